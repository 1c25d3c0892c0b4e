"""The plan cache: a plan is reused until the records change, and equals a fresh plan."""

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from threading import Thread

import msgspec
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from sciatica_care.db.database import make_engine, session_factory, transaction
from sciatica_care.db.migrate import upgrade
from sciatica_care.db.models import Client
from sciatica_care.engine import default_protocol, plan_history
from sciatica_care.services import revisions
from sciatica_care.services.clients import add_client
from sciatica_care.services.entries import record
from sciatica_care.services.histories import history_document
from sciatica_care.services.planning import PlanCache, plan_of
from tests.databases import _postgres_database

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)
TODAY = date(2026, 3, 2)
PROTOCOL = default_protocol()


def _add(db: Session, client_id: int, kind: str, entry: dict[str, object]) -> None:
    client = db.get_one(Client, client_id)
    record(
        db,
        client=client,
        kind=kind,
        entry=entry,
        today=TODAY,
        protocol=PROTOCOL,
        actor="test",
        now=NOW,
    )


def test_a_plan_is_reused_until_a_record_changes_and_equals_a_fresh_plan(
    sessions: sessionmaker[Session],
) -> None:
    cache = PlanCache()
    with transaction(sessions) as db:
        client = add_client(db, name="Ada", actor="test", now=NOW)
        _add(db, client.id, "screenings", {"date": "2026-02-01", "findings": []})
        _add(db, client.id, "assessments", {"date": "2026-02-01", "leg_pain": 7})
    with transaction(sessions) as db:
        first = cache.plan(db, client, today=TODAY, protocol=PROTOCOL)
        again = cache.plan(db, client, today=TODAY, protocol=PROTOCOL)
        assert again is first
        later = cache.plan(db, client, today=date(2026, 3, 9), protocol=PROTOCOL)
        assert later is not first
    with transaction(sessions) as db:
        _add(db, client.id, "diary", {"date": "2026-03-01", "leg_pain": 2})
    with transaction(sessions) as db:
        changed = cache.plan(db, client, today=TODAY, protocol=PROTOCOL)
        raw = msgspec.json.encode(history_document(db, client))
        fresh = plan_history(raw, today=TODAY, system_today=TODAY, protocol=PROTOCOL)
    assert changed is not first
    assert changed == fresh
    assert changed.progress.latest is not None
    assert changed.progress.latest.leg_pain == 2


def test_the_cache_keeps_at_most_its_size(sessions: sessionmaker[Session]) -> None:
    cache = PlanCache(size=2)
    with transaction(sessions) as db:
        clients = [add_client(db, name=f"C{n}", actor="test", now=NOW) for n in range(3)]
    with transaction(sessions) as db:
        plans = [cache.plan(db, c, today=TODAY, protocol=PROTOCOL) for c in clients]
        assert cache.plan(db, clients[2], today=TODAY, protocol=PROTOCOL) is plans[2]
        assert cache.plan(db, clients[0], today=TODAY, protocol=PROTOCOL) is not plans[0]


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database (the race needs writers that run in parallel)."""
    for url in _postgres_database():
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url


def _waiting_or_done(engine: Engine, writer: Thread) -> None:
    """Returns once `writer` has finished or waits on a row lock in PostgreSQL."""
    waiting = text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    deadline = time.monotonic() + 10
    while writer.is_alive() and time.monotonic() < deadline:
        with engine.connect() as connection:
            if connection.scalar(waiting):
                return
        time.sleep(0.01)


def test_a_red_flag_that_commits_after_a_later_write_still_reaches_the_next_plan(
    postgres_url: str,
) -> None:
    writing, other_writer, reading = (make_engine(postgres_url) for _ in range(3))
    cache = PlanCache()
    with transaction(session_factory(writing)) as db:
        client = add_client(db, name="Ada", actor="test", now=NOW)
        _add(db, client.id, "screenings", {"date": "2026-02-01", "findings": []})

    def ordinary_write() -> None:
        with transaction(session_factory(other_writer)) as db:
            _add(db, client.id, "diary", {"date": "2026-03-02", "leg_pain": 3})

    red_flag = session_factory(writing)()
    red_flag.begin()
    sign: dict[str, object] = {"date": "2026-03-02", "findings": ["saddle_numbness"]}
    _add(red_flag, client.id, "screenings", sign)
    red_flag.flush()  # its audit entry takes its id now, as a request's later queries make it
    later = Thread(target=ordinary_write)
    later.start()
    _waiting_or_done(reading, later)  # the later write waits for the red flag's commit
    assert later.is_alive()  # it cannot commit before the red flag: the client's row is locked
    with transaction(session_factory(reading)) as db:
        before = cache.plan(db, db.get_one(Client, client.id), today=TODAY, protocol=PROTOCOL)
    red_flag.commit()
    red_flag.close()
    later.join()
    with transaction(session_factory(reading)) as db:
        after = cache.plan(db, db.get_one(Client, client.id), today=TODAY, protocol=PROTOCOL)
        document = history_document(db, db.get_one(Client, client.id))
        fresh = plan_of(document, today=TODAY, protocol=PROTOCOL)
    for engine in (writing, other_writer, reading):
        engine.dispose()
    assert before.triage.level != "emergency"
    assert after.triage.level == "emergency"
    assert after == fresh


def test_a_plan_read_inside_a_write_is_not_kept(sessions: sessionmaker[Session]) -> None:
    cache = PlanCache()
    with transaction(sessions) as db:
        client = add_client(db, name="Ada", actor="test", now=NOW)
    db = sessions()
    with db.begin():
        sign: dict[str, object] = {"date": "2026-03-02", "findings": ["saddle_numbness"]}
        _add(db, client.id, "screenings", sign)
        inside = cache.plan(db, client, today=TODAY, protocol=PROTOCOL)
        db.rollback()
    db.close()
    with transaction(sessions) as db:
        _add(db, client.id, "diary", {"date": "2026-03-02", "leg_pain": 3})
    with transaction(sessions) as db:
        after = cache.plan(db, db.get_one(Client, client.id), today=TODAY, protocol=PROTOCOL)
    assert inside.triage.level == "emergency"
    assert after.triage.level != "emergency"


def test_every_audited_write_about_a_client_bumps_its_revision(
    sessions: sessionmaker[Session],
) -> None:
    with transaction(sessions) as db:
        client = add_client(db, name="Ada", actor="test", now=NOW)
    with transaction(sessions) as db:
        first = revisions.current(db, client.id)
        _add(db, client.id, "diary", {"date": "2026-03-02", "leg_pain": 3})
    with transaction(sessions) as db:
        assert revisions.current(db, client.id) == (first or 0) + 1
