"""Databases for storage tests: a fresh SQLite file and a fresh PostgreSQL database per test."""

import os
import uuid
from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from sciatica_care.db import models
from sciatica_care.db.database import make_engine, session_factory
from sciatica_care.db.migrate import upgrade

POSTGRES_ADMIN = os.environ.get(
    "SCIATICA_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"
)


def _postgres_database() -> Iterator[str]:
    """Create a database of its own for one test, and drop it afterwards."""
    import psycopg

    name = f"sciatica_test_{uuid.uuid4().hex[:12]}"
    admin_url = POSTGRES_ADMIN
    try:
        admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs PostgreSQL at {admin_url}: {error}")
        pytest.skip(f"PostgreSQL is not reachable at {admin_url}: {error}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A URL to an empty database of the parametrised backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'sciatica.db'}"
    else:
        yield from _postgres_database()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A migrated engine on the test's database."""
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    """The session factory of the test's database."""
    return session_factory(engine)


def add_care_team(
    db: "Session", client: "models.Client", now: datetime, password_hash: str
) -> "models.User":
    """A therapist assigned to the client and the client's own sign-in (no command adds them).

    Returns the therapist.
    """
    therapist = models.User(
        clinic_id=client.clinic_id, email="kim@clinic.example", role="therapist", created_at=now
    )
    account = models.User(
        clinic_id=client.clinic_id,
        email="ada@example.org",
        role="client",
        password_hash=password_hash,
        client_id=client.id,
        created_at=now,
    )
    client.therapists.append(therapist)
    db.add_all([therapist, account])
    db.flush()
    return therapist
