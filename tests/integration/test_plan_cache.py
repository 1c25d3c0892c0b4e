"""The plan cache: a plan is reused until the records change, and equals a fresh plan."""

from datetime import UTC, date, datetime

import msgspec
from sqlalchemy.orm import Session, sessionmaker

from sciatica_care.db.database import transaction
from sciatica_care.engine import default_protocol, plan_history
from sciatica_care.services.clients import add_client
from sciatica_care.services.entries import record
from sciatica_care.services.histories import history_document
from sciatica_care.services.planning import PlanCache

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)
TODAY = date(2026, 3, 2)
PROTOCOL = default_protocol()


def _add(db: Session, client_id: int, kind: str, entry: dict[str, object]) -> None:
    from sciatica_care.db.models import Client

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
