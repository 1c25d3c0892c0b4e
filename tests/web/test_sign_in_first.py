"""Every write that needs a signed-in user is refused before a byte of its body is read."""

import re

import pytest

from sciatica_care.web.route_table import api_routes
from sciatica_care.web.sign_in_first import WRITES, guarded_routes
from tests.web.asgi_calls import call, endless, scope
from tests.web.world import World

# The only writes anyone may send without signing in; a new one must be added here on purpose.
OPEN_WRITES = {("POST", "/login"), ("POST", "/logout"), ("POST", "/setup/{secret}")}
STRANGERS = {
    "nobody": {},
    "a made-up token": {"authorization": "Bearer not-a-real-token"},
    "a forged cookie": {"cookie": "sciatica_session=forged.cookie.value"},
}


def _filled(path: str, world: World) -> str:
    return re.sub(r"\{[^}]+\}", str(world.ada), path)


def test_every_write_but_signing_in_needs_a_signed_in_user(world: World) -> None:
    writes = {
        (method, routed.path)
        for routed in api_routes(world.app.routes)
        for method in routed.methods & WRITES
    }
    guarded = {
        (method, routed.path)
        for routed in guarded_routes(world.app.routes)
        for method in routed.methods & WRITES
    }
    assert writes - guarded == OPEN_WRITES
    assert len(guarded) > 20


@pytest.mark.parametrize("stranger", STRANGERS)
def test_an_unsigned_write_is_refused_without_reading_its_body(world: World, stranger: str) -> None:
    for routed in guarded_routes(world.app.routes):
        path = _filled(routed.path, world)
        for method in sorted(routed.methods & WRITES):
            headers = {
                **STRANGERS[stranger],
                "content-type": "application/json",
                "content-length": "200000000",
            }
            answer = call(world.app, scope(method, path, headers), endless())
            assert answer.pulled == 0, f"{method} {path} read the body of {stranger}"
            if path.startswith("/api/"):
                assert answer.status == 401, f"{method} {path}"
                assert b"sign in required" in answer.body
            else:
                assert answer.status == 303, f"{method} {path}"
                assert answer.headers["location"].startswith("/login?next=")


def test_a_signed_in_write_reaches_its_route(world: World) -> None:
    response = world.api("therapist").post("/api/v1/clients", json={"name": "Dora Diaz"})
    assert response.status_code == 201, response.text


def test_a_browser_write_without_its_csrf_token_is_still_refused(world: World) -> None:
    browser = world.browser("client")
    response = browser.http.post("/me/check-in", data={"leg_pain": "3"}, follow_redirects=False)
    assert response.status_code == 403
