"""The first admin's set-up page: a fresh install is set up once through its one-time link."""

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from sciatica_care.db.database import make_engine, session_factory, transaction
from sciatica_care.db.models import User
from sciatica_care.services import accounts
from sciatica_care.settings import Settings
from sciatica_care.web.app import create_app
from tests.web.world import NOW, PASSWORD, csrf_of


def _fresh_install(folder: Path) -> tuple[TestClient, str, str]:
    """The app on an empty database, and the one-time link its first start would print."""
    url = f"sqlite:///{folder / 'fresh.db'}"
    settings = Settings(home=folder, database_url=url, secret_key="test-secret", fixed_now=NOW)
    app = create_app(settings)
    with transaction(session_factory(make_engine(url))) as db:
        secret = accounts.create_setup_link(db, now=NOW)
    return TestClient(app, follow_redirects=False), url, secret


def _admins(url: str) -> int:
    with session_factory(make_engine(url))() as db:
        return db.scalar(select(func.count()).select_from(User).where(User.role == "admin")) or 0


def test_the_set_up_link_makes_the_first_admin_once(tmp_path: Path) -> None:
    http, url, secret = _fresh_install(tmp_path)
    page = http.get(f"/setup/{secret}")
    assert page.status_code == 200
    form = {
        "clinic": "Riverside Clinic",
        "email": "owner@clinic.example",
        "password": PASSWORD,
        "csrf_token": csrf_of(page.text),
    }
    made = http.post(f"/setup/{secret}", data=form)
    assert made.status_code == 303
    assert made.headers["location"] == "/dashboard"
    again = http.post(f"/setup/{secret}", data={**form, "email": "second@clinic.example"})
    assert again.status_code == 404
    assert _admins(url) == 1


def test_a_bad_email_keeps_the_link_and_says_why(tmp_path: Path) -> None:
    http, url, secret = _fresh_install(tmp_path)
    page = http.get(f"/setup/{secret}")
    form = {"clinic": "Riverside", "email": "owner", "password": PASSWORD}
    refused = http.post(f"/setup/{secret}", data={**form, "csrf_token": csrf_of(page.text)})
    assert refused.status_code == 422
    assert "email" in refused.text
    assert _admins(url) == 0
    assert http.get(f"/setup/{secret}").status_code == 200  # the link still works
