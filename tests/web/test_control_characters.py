"""A control character in any field is refused with 422 naming the field, never a 500.

PostgreSQL cannot hold NUL in text, so every route is probed on both backends: each text field of
every form and API body in the access matrix gets a NUL, as the admin who may use them all.
"""

import importlib
import json
import pkgutil
from typing import Any

import pytest

import tests.web
from tests.web.matrix import Route
from tests.web.world import World, csrf_of

MODULES = sorted(
    name for _, name, _ in pkgutil.iter_modules(tests.web.__path__) if name.startswith("matrix_")
)
WRITES = [
    route
    for name in MODULES
    for route in importlib.import_module(f"tests.web.{name}").ROUTES
    if route.method == "POST" and route.expect["admin"] < 400 and (route.form or route.json)
]
# Free-text fields the matrix's minimal bodies leave out, probed too where the form has them.
NOTES = ("note", "subjective", "objective", "assessment", "plan", "body", "reason", "name")
PROBES = [
    (route, field)
    for route in WRITES
    for field, value in {**dict.fromkeys(NOTES, ""), **(route.form or route.json or {})}.items()
    if isinstance(value, str) and field != "csrf_token"
]


@pytest.fixture(params=["sqlite", "postgresql"])
def any_world(request: pytest.FixtureRequest) -> World:
    """The world on each backend."""
    world: World = request.getfixturevalue("world" if request.param == "sqlite" else "pg_world")
    return world


def _filled(value: Any, world: World) -> Any:
    text = json.dumps(value)
    for key, replacement in world.placeholders().items():
        text = text.replace("{" + key + "}", replacement)
    return json.loads(text)


@pytest.mark.parametrize(
    ("route", "field"), PROBES, ids=[f"{r.method} {r.path} {f}" for r, f in PROBES]
)
def test_a_nul_in_any_field_of_any_write_is_refused_not_a_crash(
    any_world: World, route: Route, field: str
) -> None:
    path = _filled(route.path, any_world)
    if route.via == "api":
        body = _filled(route.json, any_world)
        body[field] = body.get(field, "") + "\x00"
        response = any_world.api("admin").post(path, json=body, follow_redirects=False)
    else:
        form = _filled(route.form, any_world)
        form[field] = form.get(field, "") + "\x00"
        response = any_world.browser("admin").post(path, data=form, follow_redirects=False)
    assert response.status_code < 500, response.text
    if response.status_code == 422 and route.via == "page":
        assert response.headers["content-type"].startswith("text/html"), response.text


@pytest.mark.parametrize("field", ["email", "password"])
def test_a_nul_at_sign_in_is_refused_with_the_field_named(any_world: World, field: str) -> None:
    http = any_world.client()
    form = {"email": "ana@clinic.example", "password": "whatever-it-is", field: "a\x00b"}
    form["csrf_token"] = csrf_of(http.get("/login").text)
    response = http.post("/login", data=form)
    assert response.status_code == 422
    assert f"{field.capitalize()}: must not hold control characters" in response.text


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"note": "left leg\x00"}, "note"),
        ({"leg_pain": 3, "note": "bell\x07"}, "note"),
        ('{"note": "lone \\ud800 surrogate"}', "note"),
        ('{"leg_pain": 2, "note": "del\\u007f"}', "note"),
    ],
)
def test_the_api_refuses_a_control_character_in_an_entry_by_its_path(
    any_world: World, body: dict[str, Any] | str, path: str
) -> None:
    api = any_world.api("admin")
    url = f"/api/v1/clients/{any_world.ada}/diary"
    if isinstance(body, str):
        response = api.post(url, content=body, headers={"content-type": "application/json"})
    else:
        response = api.post(url, json=body)
    assert response.status_code == 422, response.text
    assert any(p.startswith(f"{path}: must not hold control") for p in response.json()["problems"])


def test_a_nested_nul_and_a_nested_unknown_field_are_named_by_path(any_world: World) -> None:
    api = any_world.api("admin")
    body = {"findings": [{"code": "diabetes", "x": 42}, {"code": "diabetes", "note": "\x00"}]}
    response = api.post(f"/api/v1/clients/{any_world.ada}/screenings", json=body)
    assert response.status_code == 422, response.text
    problems = response.json()["problems"]
    assert "findings[0].x: unknown field" in problems
    assert any(p.startswith("findings[1].note: must not hold control") for p in problems)


def test_tabs_and_line_breaks_stay_in_a_note(any_world: World) -> None:
    api = any_world.api("admin")
    note = "line one\n\tline two\r\n"
    response = api.post(f"/api/v1/clients/{any_world.ada}/diary", json={"note": note})
    assert response.status_code == 201, response.text
    saved = response.json()
    assert saved["note"] == note, saved


def test_a_search_for_a_control_character_finds_nobody_and_never_fails(any_world: World) -> None:
    api = any_world.api("admin")
    answer = api.get("/api/v1/clients", params={"q": "Ada\x00"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["total"] == 0
    page = any_world.browser("admin").http.get("/clients", params={"q": "\x00"})
    assert page.status_code == 200
