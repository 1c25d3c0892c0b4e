"""Every answer carries the security headers; no answer but a static file may be kept by a cache."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sciatica_care.settings import Settings
from sciatica_care.web.app import create_app
from sciatica_care.web.headers import SECURITY_HEADERS
from tests.web.world import World


@pytest.fixture(scope="module")
def failing_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    """The real app with a page and an API route that raise, as a bug in a route would."""
    folder = tmp_path_factory.mktemp("failing")
    url = f"sqlite:///{folder / 'sciatica.db'}"
    app = create_app(Settings(home=folder, database_url=url, secret_key="test-secret"))

    @app.get("/broken")
    def broken_page() -> None:
        raise RuntimeError("a bug")

    @app.get("/api/v1/broken")
    def broken_api() -> None:
        raise RuntimeError("a bug")

    yield app
    app.state.sciatica.close()


def assert_secure(headers: object) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert headers[name] == value, name  # type: ignore[index]


@pytest.mark.parametrize("path", ["/broken", "/api/v1/broken"])
def test_a_server_error_answers_500_with_the_security_headers_and_no_store(
    failing_app: FastAPI, path: str
) -> None:
    client = TestClient(failing_app, base_url="http://127.0.0.1", raise_server_exceptions=False)
    answer = client.get(path)
    assert answer.status_code == 500
    assert_secure(answer.headers)
    assert answer.headers["cache-control"] == "no-store"
    assert "a bug" not in answer.text
    assert "Traceback" not in answer.text


def test_the_500_page_is_the_app_page_and_the_api_answer_is_json(failing_app: FastAPI) -> None:
    client = TestClient(failing_app, base_url="http://127.0.0.1", raise_server_exceptions=False)
    page = client.get("/broken")
    assert page.headers["content-type"].startswith("text/html")
    assert "Something went wrong" in page.text
    assert client.get("/api/v1/broken").json()["detail"].startswith("something went wrong")


@pytest.mark.parametrize(
    ("seat", "path"),
    [
        ("therapist", "/dashboard"),
        ("therapist", "/clients/{ada}"),
        ("client", "/me"),
        ("anonymous", "/login"),
        ("anonymous", "/no-such-page"),
    ],
)
def test_every_page_says_no_store(world: World, seat: str, path: str) -> None:
    browser = world.client() if seat == "anonymous" else world.browser(seat).http
    answer = browser.get(path.format(**world.placeholders()), follow_redirects=False)
    assert answer.headers["cache-control"] == "no-store"
    assert_secure(answer.headers)


@pytest.mark.parametrize(
    "path", ["/api/v1/clients", "/api/v1/clients/{ada}/plan", "/api/v1/clients/{cleo}"]
)
def test_every_api_answer_says_no_store(world: World, path: str) -> None:
    answer = world.api("therapist").get(path.format(**world.placeholders()))
    assert answer.headers["cache-control"] == "no-store"


def test_static_files_may_be_cached(world: World) -> None:
    static = Path(__file__).parents[2] / "src/sciatica_care/web/static"
    name = sorted(p.name for p in static.iterdir() if p.suffix == ".css")[0]
    answer = world.client().get(f"/static/{name}")
    assert answer.status_code == 200
    assert "cache-control" not in answer.headers
    assert_secure(answer.headers)
