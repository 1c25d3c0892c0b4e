"""Databases for storage tests, on SQLite and on PostgreSQL (the `backend` parameter).

- `sessions`: a session factory inside a transaction that is rolled back after the test, on one
  migrated database per backend for the whole run (per xdist worker). Each session the test opens
  joins it through a SAVEPOINT, so commits and rollbacks in the code under test behave as usual.
- `database_url` and `engine`: a fresh database of the test's own, for tests that need real
  commits or several connections (other processes, a crash, a second engine, Alembic).

A test that asks for `sessions` together with `engine` or `database_url` gets sessions on that
fresh database, as before: it may read through one what it wrote through the other.
"""

import os
import uuid
from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session, sessionmaker

from sciatica_care.db import models
from sciatica_care.db.database import make_engine, session_factory
from sciatica_care.db.migrate import upgrade

POSTGRES_ADMIN = os.environ.get(
    "SCIATICA_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"
)
BACKENDS = ["sqlite", "postgresql"]


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


def _empty_database(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a new empty database of `backend`, removed afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'sciatica.db'}"
    else:
        yield from _postgres_database()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend of the test: sqlite or postgresql."""
    return str(request.param)


@pytest.fixture
def database_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A URL to an empty database of the parametrised backend, the test's own."""
    yield from _empty_database(backend, tmp_path_factory)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A migrated engine on the test's own database."""
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


class SharedDatabases:
    """One migrated database per backend, made when a test first needs it."""

    def __init__(self, tmp_path_factory: pytest.TempPathFactory) -> None:
        self._tmp = tmp_path_factory
        self._engines: dict[str, Engine] = {}
        self._cleanups: list[Iterator[str]] = []

    def engine(self, backend: str) -> Engine:
        """The migrated engine of `backend`'s shared database."""
        if backend not in self._engines:
            made = _empty_database(backend, self._tmp)
            url = next(made)
            self._cleanups.append(made)
            engine = make_engine(url)
            upgrade(engine)
            self._engines[backend] = engine
        return self._engines[backend]

    def close(self) -> None:
        """Dispose of the engines and drop the databases."""
        for engine in self._engines.values():
            engine.dispose()
        for made in self._cleanups:
            next(made, None)


@pytest.fixture(scope="session")
def shared_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SharedDatabases]:
    """The run's migrated databases, one per backend."""
    shared = SharedDatabases(tmp_path_factory)
    yield shared
    shared.close()


def _restart_sequences(connection: Connection) -> None:
    """Number new rows from 1 again (PostgreSQL sequences ignore rollbacks)."""
    query = "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema='public'"
    names = connection.scalars(text(query)).all()
    if names:
        connection.exec_driver_sql("".join(f'ALTER SEQUENCE "{name}" RESTART;' for name in names))


@pytest.fixture
def sessions(
    request: pytest.FixtureRequest, backend: str, shared_databases: SharedDatabases
) -> Iterator[sessionmaker[Session]]:
    """Sessions on an empty migrated database; whatever the test stores is rolled back after it."""
    if "engine" in request.fixturenames or "database_url" in request.fixturenames:
        yield session_factory(request.getfixturevalue("engine"))
        return
    connection = shared_databases.engine(backend).connect()
    outer = connection.begin()
    if backend == "postgresql":
        _restart_sequences(connection)
    try:
        yield sessionmaker(
            connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
    finally:
        outer.rollback()
        connection.close()


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
