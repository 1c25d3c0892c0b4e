"""Signing in and out, sessions, CSRF and the rate limit."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from sciatica_care.services.sign_in import MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS
from tests.web.world import EMAILS, PASSWORD, Browser, World, build_world, csrf_of


def test_each_role_signs_in_and_lands_on_its_home(world: World) -> None:
    for seat, home in (("admin", "/dashboard"), ("therapist", "/dashboard"), ("client", "/me")):
        http = world.client()
        form = http.get("/login")
        response = http.post(
            "/login",
            data={"email": EMAILS[seat], "password": PASSWORD, "csrf_token": csrf_of(form.text)},
            follow_redirects=False,
        )
        assert response.status_code == 303
        assert response.headers["location"] == home
        cookie = response.headers["set-cookie"]
        assert "HttpOnly" in cookie
        assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(world: World) -> None:
    http = world.client()
    form = http.get("/login")
    response = http.post(
        "/login",
        data={"email": EMAILS["admin"], "password": "wrong", "csrf_token": csrf_of(form.text)},
    )
    assert response.status_code == 401
    assert "do not match an account" in response.text


def test_signing_out_ends_the_session_for_a_copied_cookie_too(world: World) -> None:
    browser = Browser.sign_in(world.client(), EMAILS["therapist"])
    cookies = dict(browser.http.cookies)
    assert browser.http.get("/dashboard").status_code == 200
    browser.post("/logout", follow_redirects=False)
    copy = world.client()
    copy.cookies.update(cookies)
    response = copy.get("/dashboard", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_a_form_without_the_csrf_token_is_refused(world: World) -> None:
    browser = Browser.sign_in(world.client(), EMAILS["therapist"])
    response = browser.http.post("/logout", data={"csrf_token": "forged"})
    assert response.status_code == 403
    assert browser.http.get("/dashboard").status_code == 200


def test_sign_in_pauses_after_five_failures_for_the_account_from_one_address(
    world: World,
) -> None:
    http = world.client()
    email = EMAILS["other_client"]
    for _ in range(5):
        form = http.get("/login")
        http.post(
            "/login", data={"email": email, "password": "x", "csrf_token": csrf_of(form.text)}
        )
    form = http.get("/login")
    response = http.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf_of(form.text)}
    )
    assert response.status_code == 429
    assert response.headers["retry-after"] == "900"


def test_next_never_leaves_the_site(world: World) -> None:
    http = world.client()
    form = http.get("/login")
    response = http.post(
        "/login",
        data={
            "email": EMAILS["admin"],
            "password": PASSWORD,
            "csrf_token": csrf_of(form.text),
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/dashboard"


def test_failures_from_one_address_do_not_lock_the_owner_out_elsewhere(world: World) -> None:
    attacker = TestClient(world.app, base_url="http://127.0.0.1", client=("203.0.113.9", 5000))
    email = EMAILS["therapist"]
    for _ in range(6):
        form = attacker.get("/login")
        attacker.post(
            "/login", data={"email": email, "password": "x", "csrf_token": csrf_of(form.text)}
        )
    owner = TestClient(world.app, base_url="http://127.0.0.1", client=("198.51.100.4", 5000))
    signed_in = Browser.sign_in(owner, email)
    assert signed_in.http.get("/dashboard", follow_redirects=False).status_code == 200


def test_changing_the_password_signs_out_every_other_browser(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    fresh = build_world(tmp_path_factory.mktemp("password"))
    email = EMAILS["therapist"]
    here = Browser.sign_in(fresh.client(), email)
    elsewhere = Browser.sign_in(fresh.client(), email)
    new = "a brand new password"
    response = here.post(
        "/account/password",
        data={"current": PASSWORD, "new": new, "again": new},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert here.http.get("/dashboard", follow_redirects=False).status_code == 200
    assert elsewhere.http.get("/dashboard", follow_redirects=False).status_code == 303
    Browser.sign_in(fresh.client(), email, password=new)
    fresh.app.state.sciatica.close()


def test_a_password_change_names_each_problem_and_changes_nothing(world: World) -> None:
    browser = Browser.sign_in(world.client(), EMAILS["admin"])
    response = browser.post(
        "/account/password", data={"current": "wrong", "new": "short", "again": "other"}
    )
    assert response.status_code == 422
    for field in ("current:", "new:", "again:"):
        assert field in response.text
    Browser.sign_in(world.client(), EMAILS["admin"])


@pytest.fixture(scope="module")
def guessed_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """A world of its own: these tests pause accounts."""
    built = build_world(tmp_path_factory.mktemp("guesses"))
    yield built
    built.app.state.sciatica.close()


def _change(browser: Browser, current: str, new: str = "a brand new password") -> Response:
    answer: Response = browser.post(
        "/account/password",
        data={"current": current, "new": new, "again": new},
        follow_redirects=False,
    )
    return answer


def test_guessing_the_current_password_is_paused_as_sign_in_is(guessed_world: World) -> None:
    browser = Browser.sign_in(guessed_world.client(), EMAILS["other_therapist"])
    for _ in range(MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS):
        assert _change(browser, "a guess").status_code == 422
    paused = _change(browser, PASSWORD)
    assert paused.status_code == 429
    assert "too many wrong current passwords: wait 15 minutes" in paused.text
    assert paused.headers["retry-after"] == "900"
    elsewhere = TestClient(
        guessed_world.app, base_url="http://127.0.0.1", client=("198.51.100.4", 1)
    )
    Browser.sign_in(elsewhere, EMAILS["other_therapist"])  # unchanged, and usable elsewhere


def test_a_successful_change_clears_the_wrong_guesses(guessed_world: World) -> None:
    browser = Browser.sign_in(guessed_world.client(), EMAILS["therapist"])
    for _ in range(MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS - 1):
        assert _change(browser, "a guess").status_code == 422
    assert _change(browser, PASSWORD).status_code == 303
    browser = Browser(browser.http, csrf_of(browser.http.get("/account/password").text))
    for _ in range(MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS - 1):
        assert _change(browser, "a guess").status_code == 422
    assert _change(browser, "a brand new password", new="another new password").status_code == 303
