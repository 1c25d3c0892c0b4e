"""Engines and sessions: SQLite (WAL, foreign keys, serialised writes) or PostgreSQL via psycopg."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from sciatica_care.db.files import private_sqlite

SQLITE_BUSY_MS = 30_000
READING_POOL = 40


def normalise_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs that name no driver."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str, *, for_writing: bool = True, busy_ms: int = SQLITE_BUSY_MS) -> Engine:
    """An engine for the URL; SQLite gets its private file, WAL, foreign keys and BEGIN IMMEDIATE.

    With `for_writing=False`, SQLite transactions begin deferred: readers then never wait for the
    write lock and, under WAL, see the last committed state.
    """
    url = normalise_url(url)
    # A reading engine never makes a caller wait for a pooled connection (the web app reads on
    # its event loop, where waiting would stall every request): extra connections are opened.
    # A pool large enough for every request in flight keeps connections (and SQLite's parsed
    # schema) instead of opening and closing extra ones under load.
    pool = {} if for_writing else {"pool_size": READING_POOL, "max_overflow": -1}
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, **pool)
    database = make_url(url).database
    if database and database != ":memory:":
        private_sqlite(Path(database))
    engine = create_engine(url, connect_args={"timeout": busy_ms / 1000}, **pool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event start transactions, so writes can take the lock first.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
        cursor.close()
        # SQLite's own lower() knows ASCII only; PostgreSQL's knows every letter, so searches
        # and the order by name agree on both.
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # One writer at a time: a transaction takes the write lock at its start and waits for
        # it (busy_timeout) instead of failing later with "database is locked".
        connection.exec_driver_sql("BEGIN IMMEDIATE" if for_writing else "BEGIN")

    return engine


def is_busy(error: OperationalError) -> bool:
    """Whether SQLite refused a statement because another writer held the lock past the timeout."""
    text = str(error.orig).lower()
    return "database is locked" in text or "database is busy" in text


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions bound to the engine; objects stay readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit once at the end, roll back everything on any error."""
    with sessions() as session, session.begin():
        yield session
