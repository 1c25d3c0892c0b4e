"""API tokens and calendar links stop at their expiry; older ones keep working until revoked."""

from datetime import UTC, date, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, text
from sqlalchemy.orm import Session, sessionmaker

from sciatica_care.db import models
from sciatica_care.db.database import make_engine
from sciatica_care.db.migrate import alembic_config
from sciatica_care.services import accounts
from sciatica_care.services.accounts import TokenExpired
from sciatica_care.services.clients import add_client
from sciatica_care.services.errors import InputProblems
from sciatica_care.sharing.calendar import links
from tests.databases import add_care_team

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def _therapist(db: Session) -> tuple[models.User, models.Client]:
    clinic = accounts.find_or_make_clinic(db, "Riverside", now=NOW)
    client = add_client(db, name="Ada Lovelace", clinic_id=clinic.id, actor="test", now=NOW)
    therapist = add_care_team(db, client, NOW, password_hash="argon2$not-a-real-hash")
    return therapist, client


def test_a_token_works_until_its_expiry_then_says_it_expired(
    sessions: sessionmaker[Session],
) -> None:
    with sessions() as db:
        therapist, _ = _therapist(db)
        _, secret = accounts.create_api_token(
            db, therapist, label="report", actor="test", now=NOW, expires_at=NOW + DAY
        )
        _, forever = accounts.create_api_token(db, therapist, label="x", actor="test", now=NOW)
        assert accounts.user_for_api_token(db, secret, now=NOW + DAY - timedelta(seconds=1))
        with pytest.raises(TokenExpired, match=r"API token expired on 2026-12-04"):
            accounts.user_for_api_token(db, secret, now=NOW + DAY)
        assert accounts.user_for_api_token(db, forever, now=NOW + 3650 * DAY) == therapist


def test_a_calendar_link_works_until_its_expiry_then_says_it_expired(
    sessions: sessionmaker[Session],
) -> None:
    with sessions() as db:
        therapist, client = _therapist(db)
        link, secret = links.create_client_link(
            db, client=client, by=therapist, now=NOW, expires_at=NOW + 30 * DAY
        )
        assert links.find_feed(db, secret, now=NOW + 29 * DAY) is not None
        with pytest.raises(TokenExpired, match=r"calendar link expired on 2027-01-02"):
            links.find_feed(db, secret, now=NOW + 30 * DAY)
        assert db.get_one(models.CalendarLink, link.id).expires_at == NOW + 30 * DAY


def test_an_expiry_must_lie_ahead(sessions: sessionmaker[Session]) -> None:
    with sessions() as db:
        therapist, _ = _therapist(db)
        with pytest.raises(InputProblems) as token:
            accounts.create_api_token(db, therapist, label=None, actor="t", now=NOW, expires_at=NOW)
        with pytest.raises(InputProblems) as link:
            links.create_user_link(db, user=therapist, now=NOW, expires_at=NOW - DAY)
    assert token.value.problems == link.value.problems == ["expires: must be in the future"]


def _migrate(engine: Engine, revision: str, *, down: bool = False) -> None:
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def _columns(engine: Engine, table: str) -> set[str]:
    with engine.connect() as connection:
        return {column["name"] for column in inspect(connection).get_columns(table)}


def test_0007_adds_expiry_to_tokens_and_links_kept_working_and_goes_back(
    database_url: str,
) -> None:
    engine = make_engine(database_url)
    try:
        _migrate(engine, "0006")
        with engine.begin() as connection:
            connection.execute(
                text("INSERT INTO clinics (name, created_at) VALUES ('Riverside', :now)"),
                {"now": NOW},
            )
            connection.execute(
                text(
                    "INSERT INTO users (clinic_id, email, role, created_at)"
                    " VALUES (1, 'kim@clinic.example', 'therapist', :now)"
                ),
                {"now": NOW},
            )
            connection.execute(
                text(
                    "INSERT INTO api_tokens (user_id, token_hash, label, created_at)"
                    " VALUES (1, :hash, 'old', :now)"
                ),
                {"hash": accounts.token_hash("sct_old"), "now": NOW},
            )
        assert "expires_at" not in _columns(engine, "api_tokens")
        _migrate(engine, "0007")
        for table in ("api_tokens", "calendar_links"):
            assert "expires_at" in _columns(engine, table)
        with Session(engine) as db:
            found = accounts.user_for_api_token(db, "sct_old", now=NOW + 3650 * DAY)
            assert found is not None
            assert found.email == "kim@clinic.example"  # made before expiry existed: kept working
        _migrate(engine, "0006", down=True)
        for table in ("api_tokens", "calendar_links"):
            assert "expires_at" not in _columns(engine, table)
        with engine.connect() as connection:
            assert connection.scalar(text("SELECT label FROM api_tokens")) == "old"
    finally:
        engine.dispose()


def test_the_day_shown_is_the_utc_day() -> None:
    error = TokenExpired("API token", datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    assert str(error).startswith("this API token expired on 2026-12-31 (UTC)")
    assert error.expires_at.date() == date(2026, 12, 31)
