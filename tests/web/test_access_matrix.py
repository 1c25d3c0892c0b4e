"""Every route by every seat: the answer each must get (see tests/web/matrix.py).

The routes come from tests/web/matrix_*.py; a route of the app that no module lists fails the
test, so a new route cannot ship without its row in the matrix.
"""

import importlib
import json
import pkgutil
from typing import Any

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import Mount
from starlette.routing import Route as StarletteRoute

import tests.web
from tests.web.matrix import SEATS_AND_ANONYMOUS, Route, everyone
from tests.web.world import Browser, World

MODULES = sorted(
    name for _, name, _ in pkgutil.iter_modules(tests.web.__path__) if name.startswith("matrix_")
)
ROUTES: list[Route] = [
    route for name in MODULES for route in importlib.import_module(f"tests.web.{name}").ROUTES
]
CELLS = [(route, seat) for route in ROUTES for seat in SEATS_AND_ANONYMOUS]


def _filled(value: Any, ids: dict[str, str]) -> Any:
    """A path or body with its placeholders replaced by the world's ids."""
    text = json.dumps(value)
    for key, replacement in ids.items():
        text = text.replace("{" + key + "}", replacement)
    return json.loads(text)


@pytest.fixture(scope="module")
def browsers(world: World) -> dict[str, Browser]:
    """A signed-in browser per seat, made once."""
    return {seat: world.browser(seat) for seat in SEATS_AND_ANONYMOUS if seat != "anonymous"}


def _answer(world: World, browsers: dict[str, Browser], route: Route, seat: str) -> int:
    # Each seat books its own hour: the booking form refuses a second session at the same time.
    ids = {**world.placeholders(), "seat_time": f"{8 + SEATS_AND_ANONYMOUS.index(seat):02d}:00"}
    path = _filled(route.path, ids)
    http: TestClient
    if route.via == "api":
        http = world.client() if seat == "anonymous" else world.api(seat)
        body = None if route.json is None else _filled(route.json, ids)
        response = http.request(route.method, path, json=body, follow_redirects=False)
        return response.status_code
    if seat == "anonymous":
        http, csrf = world.client(), ""
    else:
        http, csrf = browsers[seat].http, browsers[seat].csrf
    if route.method == "GET":
        return http.get(path, follow_redirects=False).status_code
    form = {"csrf_token": csrf, **(_filled(route.form, ids) if route.form else {})}
    if route.path == "/logout" and seat != "anonymous":
        # Signing out would end the shared browser's session: use a fresh one.
        fresh = world.browser(seat)
        form["csrf_token"] = fresh.csrf
        http = fresh.http
    return http.request(route.method, path, data=form, follow_redirects=False).status_code


@pytest.mark.parametrize(
    ("route", "seat"), CELLS, ids=[f"{r.method} {r.path} as {s}" for r, s in CELLS]
)
def test_each_seat_gets_the_expected_answer(
    world: World, browsers: dict[str, Browser], route: Route, seat: str
) -> None:
    assert _answer(world, browsers, route, seat) == route.expect[seat], route.note


def test_every_route_of_the_app_is_in_the_matrix(world: World) -> None:
    ids = world.placeholders()
    listed = [(r.method, _filled(r.path, ids)) for r in ROUTES]
    missing = []
    checked = 0
    # The routes of included routers too (FastAPI keeps them apart from the app's own).
    for context in iter_route_contexts(world.app.routes):
        app_route = context.original_route
        if isinstance(app_route, Mount) or not isinstance(app_route, StarletteRoute):
            continue
        if context.path is None or context.path.startswith("/docs/oauth2"):
            continue
        checked += 1
        for method in sorted((context.methods or set()) - {"HEAD"}):
            if not any(m == method and context.path_regex.match(p) for m, p in listed):
                missing.append(f"{method} {context.path}")
    assert checked > 50
    assert missing == [], "routes without a row in tests/web/matrix_*.py"


def test_every_row_names_every_seat() -> None:
    for route in ROUTES:
        assert set(route.expect) == set(SEATS_AND_ANONYMOUS), route.path


def test_a_misspelt_seat_is_an_error_not_a_silent_default() -> None:
    with pytest.raises(ValueError, match="other_thearpist"):
        everyone(200, other_thearpist=404)
