"""Behind the TLS proxy: limits count each person's address, from a proxy named as trusted only.

SCIATICA_TRUSTED_PROXIES names the proxies whose X-Forwarded-For is believed; from anyone else
the header is ignored, and a forwarded request never opens the local-only set-up link.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError

from sciatica_care.db.database import make_engine, session_factory, transaction
from sciatica_care.services import accounts
from sciatica_care.services.sign_in import MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS
from sciatica_care.settings import Settings
from sciatica_care.web.app import create_app
from tests.web.world import NOW, PASSWORD, csrf_of

PROXY = "10.0.0.1"
OWNER = "owner@clinic.example"


def _app(folder: Path, *, trusted: str, with_owner: bool = True) -> tuple[FastAPI, str]:
    url = f"sqlite:///{folder / 'proxy.db'}"
    settings = Settings(
        home=folder,
        database_url=url,
        secret_key="test-secret",
        fixed_now=NOW,
        trusted_proxies=trusted,
    )
    app = create_app(settings)
    with transaction(session_factory(make_engine(url))) as db:
        if with_owner:
            clinic = accounts.find_or_make_clinic(db, "Riverside", now=NOW)
            accounts.add_user(
                db,
                email=OWNER,
                role="admin",
                password=PASSWORD,
                clinic=clinic,
                client=None,
                actor="test",
                now=NOW,
            )
            secret = ""
        else:
            secret = accounts.create_setup_link(db, now=NOW)
    return app, secret


@pytest.fixture
def behind_proxy(tmp_path: Path) -> Iterator[FastAPI]:
    """The app with an account, trusting the proxy at PROXY."""
    app, _ = _app(tmp_path, trusted=f"127.0.0.1, {PROXY}")
    yield app
    app.state.sciatica.close()


def through(app: FastAPI, peer: str, forwarded_for: str | None) -> TestClient:
    """A browser whose connection comes from `peer`, with the X-Forwarded-For it sends."""
    http = TestClient(app, base_url="http://127.0.0.1", client=(peer, 5000), follow_redirects=False)
    if forwarded_for is not None:
        http.headers["x-forwarded-for"] = forwarded_for
    return http


def sign_in(http: TestClient, email: str, password: str) -> int:
    form = http.get("/login")
    answer = http.post(
        "/login", data={"email": email, "password": password, "csrf_token": csrf_of(form.text)}
    )
    return answer.status_code


def test_guesses_through_a_trusted_proxy_pause_the_guesser_not_the_clinic(
    behind_proxy: FastAPI,
) -> None:
    guesser = through(behind_proxy, PROXY, "203.0.113.9")
    for number in range(MAX_FAILURES_PER_ADDRESS):
        assert sign_in(guesser, f"nobody{number}@clinic.example", "guess") == 401
    assert sign_in(guesser, OWNER, PASSWORD) == 429
    colleague = through(behind_proxy, PROXY, "198.51.100.4")
    assert sign_in(colleague, OWNER, PASSWORD) == 303


def test_an_untrusted_peer_cannot_dodge_the_limit_with_made_up_forwarded_addresses(
    behind_proxy: FastAPI,
) -> None:
    for number in range(MAX_FAILURES_PER_ADDRESS):
        http = through(behind_proxy, "192.0.2.50", f"203.0.113.{number}")
        assert sign_in(http, f"nobody{number}@clinic.example", "guess") == 401
    assert sign_in(through(behind_proxy, "192.0.2.50", "198.51.100.77"), OWNER, PASSWORD) == 429
    # The proxy's own clients are counted each on their own address, untouched.
    assert sign_in(through(behind_proxy, PROXY, "198.51.100.4"), OWNER, PASSWORD) == 303


def test_spreading_guesses_at_one_account_over_many_addresses_does_not_help(
    behind_proxy: FastAPI,
) -> None:
    for number in range(MAX_FAILURES_PER_ACCOUNT):
        http = through(behind_proxy, PROXY, f"203.0.{number // 250}.{number % 250 + 1}")
        assert sign_in(http, OWNER, "guess") == 401
    assert sign_in(through(behind_proxy, PROXY, "198.51.100.4"), OWNER, PASSWORD) == 429


def test_without_trusted_proxies_the_forwarded_header_is_ignored(tmp_path: Path) -> None:
    app, _ = _app(tmp_path, trusted="")
    for number in range(MAX_FAILURES_PER_ADDRESS):
        http = through(app, PROXY, f"203.0.113.{number}")
        assert sign_in(http, f"nobody{number}@clinic.example", "guess") == 401
    assert sign_in(through(app, PROXY, "198.51.100.4"), OWNER, PASSWORD) == 429
    app.state.sciatica.close()


@pytest.mark.parametrize(
    ("trusted", "peer", "forwarded_for", "status"),
    [
        ("", "127.0.0.1", None, 200),  # a browser on this machine
        ("", "203.0.113.7", "127.0.0.1", 404),  # an untrusted claim to be local
        (PROXY, "203.0.113.7", "127.0.0.1", 404),  # the same, with a proxy trusted
        ("127.0.0.1", "127.0.0.1", "203.0.113.7", 404),  # the trusted local proxy's client
        ("", "127.0.0.1", "203.0.113.7", 404),  # a local proxy not named as trusted
    ],
)
def test_the_set_up_link_stays_local_only(
    tmp_path: Path, trusted: str, peer: str, forwarded_for: str | None, status: int
) -> None:
    app, secret = _app(tmp_path, trusted=trusted, with_owner=False)
    assert through(app, peer, forwarded_for).get(f"/setup/{secret}").status_code == status
    app.state.sciatica.close()


@pytest.mark.parametrize("value", ["proxy.example", "10.0.0.300", "*"])
def test_a_trusted_proxy_must_be_an_address_or_network(tmp_path: Path, value: str) -> None:
    with pytest.raises(ValidationError, match="SCIATICA_TRUSTED_PROXIES"):
        Settings(home=tmp_path, trusted_proxies=f"127.0.0.1,{value}")
