"""`sciatica demo`: a demo clinic in an empty database, that plans and serves without an error."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sciatica_care.clock import Clock
from sciatica_care.db import models
from sciatica_care.db.database import make_engine, session_factory, transaction
from sciatica_care.services.accounts import create_api_token, find_user
from sciatica_care.services.demo import PASSWORD
from sciatica_care.services.demo_data import PROFILES, demo_stories
from sciatica_care.settings import Settings
from sciatica_care.web.app import create_app
from tests.cli.runner import run
from tests.web.world import Browser


@contextmanager
def database(url: str) -> Iterator[Session]:
    """One transaction on the demo's database."""
    engine = make_engine(url)
    try:
        with transaction(session_factory(engine)) as db:
            yield db
    finally:
        engine.dispose()


def count(db: Session, table: type[models.Base], *where: object) -> int:
    """How many rows of `table` match."""
    return db.scalar(select(func.count()).select_from(table).where(*where)) or 0  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A fresh SQLite file filled by `sciatica demo` once: its URL and the command's output."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    done = run("demo", "--db", url)
    assert done.returncode == 0, done.stderr
    return url, done.stdout


def test_the_demo_prints_the_shared_password_with_a_warning(demo: tuple[str, str]) -> None:
    _url, said = demo
    assert PASSWORD in said
    assert "for trying the app only" in said
    assert "admin@demo.example" in said
    assert "Rosa Red" in said


def test_the_demo_clinic_has_its_team_and_six_clients_with_three_months_of_care(
    demo: tuple[str, str],
) -> None:
    url, _said = demo
    today = Clock().today()  # the command counts in this machine's zone, as here
    with database(url) as db:
        assert db.scalars(select(models.Clinic.name)).all() == ["Demo Clinic"]
        roles = db.execute(select(models.User.role, func.count()).group_by(models.User.role))
        assert dict(roles.all()) == {"admin": 1, "therapist": 2, "client": 6}
        clients = db.scalars(select(models.Client)).all()
        assert len(clients) == 6
        for client in clients:
            assert client.therapists, client.name
            account = db.scalar(select(models.User).where(models.User.client_id == client.id))
            assert account is not None
            assert account.email == f"{client.name.split()[0].lower()}@demo.example"
            days = db.scalars(
                select(models.Assessment.date).where(models.Assessment.client_id == client.id)
            ).all()
            assert len(days) >= 5
            assert (max(days) - min(days)).days >= 80
            assert count(db, models.SessionNote, models.SessionNote.client_id == client.id) >= 8
            diary_days = db.scalars(
                select(func.count(func.distinct(models.DiaryEntry.date))).where(
                    models.DiaryEntry.client_id == client.id
                )
            ).one()
            assert diary_days >= 60  # most days of about 90
        assert count(db, models.Appointment, models.Appointment.date > today) >= 10
        assert count(db, models.Message) >= 6
        assert count(db, models.AuditEntry) > 500  # every entry went through the services


def test_every_demo_client_plans_and_rosa_is_an_emergency(demo: tuple[str, str]) -> None:
    url, _said = demo
    statuses = {}
    for profile in PROFILES:
        done = run("plan", profile.name, "--db", url)
        assert done.returncode == 0, (profile.name, done.stderr)
        plan = json.loads(done.stdout)
        statuses[profile.name] = plan["progress"]["status"]
        if profile.name == "Rosa Red":
            assert plan["triage"]["level"] == "emergency"
            assert plan["massage"]["status"] == "on_hold"
        else:
            assert plan["triage"]["level"] != "emergency", profile.name
    assert {"improved", "unchanged", "worse"} <= set(statuses.values())


def test_a_second_run_refuses_and_adds_nothing(demo: tuple[str, str]) -> None:
    url, _said = demo
    with database(url) as db:
        before = count(db, models.DiaryEntry)
    again = run("demo", "--db", url)
    assert again.returncode == 1
    assert "only fills an empty database" in again.stderr
    assert again.stdout == ""
    with database(url) as db:
        assert count(db, models.DiaryEntry) == before


def test_the_demo_refuses_a_database_that_has_a_client(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'real.db'}"
    assert run("client", "add", "Real Person", "--db", url).returncode == 0
    refused = run("demo", "--db", url)
    assert refused.returncode == 1
    assert "1 client(s)" in refused.stderr
    with database(url) as db:
        assert count(db, models.Client) == 1
        assert count(db, models.User) == 0


def test_the_demo_is_the_same_for_the_same_day_and_seed() -> None:
    today = date(2026, 3, 2)
    assert demo_stories(today, 7) == demo_stories(today, 7)
    assert demo_stories(today, 7) != demo_stories(today, 8)
    assert all(
        entry["date"] <= today.isoformat()
        for told in demo_stories(today, 7)
        for entry in (*told.screenings, *told.assessments, *told.sessions, *told.diary)
    )


def test_the_web_app_serves_every_demo_client_without_an_error(
    demo: tuple[str, str], tmp_path: Path
) -> None:
    url, _said = demo
    app = create_app(Settings(home=tmp_path, database_url=url, secret_key="test-secret"))
    try:
        with database(url) as db:
            secret = create_api_token(
                db, find_user(db, "admin@demo.example"), label="t", actor="t", now=Clock().now()
            )[1]
            ids = db.scalars(select(models.Client.id)).all()
        api = TestClient(app, base_url="http://127.0.0.1")
        api.headers["authorization"] = f"Bearer {secret}"
        admin = Browser.sign_in(
            TestClient(app, base_url="http://127.0.0.1"), "admin@demo.example", PASSWORD
        )
        for client_id in ids:
            assert api.get(f"/api/v1/clients/{client_id}/plan").status_code == 200
            assert admin.http.get(f"/clients/{client_id}").status_code == 200
        for page in ("/dashboard", "/clients", "/admin", "/admin/audit", "/admin/assignments"):
            assert admin.http.get(page).status_code == 200, page
        rosa = Browser.sign_in(
            TestClient(app, base_url="http://127.0.0.1"), "rosa@demo.example", PASSWORD
        )
        assert rosa.http.get("/me").status_code == 200
    finally:
        app.state.sciatica.close()
