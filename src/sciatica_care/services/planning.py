"""Planning from the database: the same engine as `plan --input`, and a snapshot kept."""

import logging
from collections import OrderedDict
from datetime import date, datetime
from threading import Lock
from typing import Any

import msgspec
from sqlalchemy.orm import Session

from sciatica_care.db import models
from sciatica_care.domain.history_parser import HistoryProblems
from sciatica_care.domain.plan import CarePlan
from sciatica_care.domain.protocol import Protocol
from sciatica_care.domain.stored_history import plannable
from sciatica_care.engine import plan_history, plan_json
from sciatica_care.services import revisions
from sciatica_care.services.audit import audit
from sciatica_care.services.histories import history_document

log = logging.getLogger(__name__)


def plan_of(document: dict[str, Any], *, today: date, protocol: Protocol) -> CarePlan:
    """The engine's plan for a stored history, exactly as `plan --input` makes it.

    A stored record the engine cannot read (see `plannable`) is left out and logged, never fatal.
    """
    try:
        raw = msgspec.json.encode(document)
        return plan_history(raw, today=today, system_today=today, protocol=protocol)
    except HistoryProblems:
        usable, left_out = plannable(document, today)
    log.warning("planning left out %d stored record(s): %s", len(left_out), "; ".join(left_out))
    raw = msgspec.json.encode(usable)
    return plan_history(raw, today=today, system_today=today, protocol=protocol)


def plan_client(
    db: Session,
    *,
    client: models.Client,
    today: date,
    protocol: Protocol,
    actor: str,
    now: datetime,
) -> CarePlan:
    """Plans a client's stored history exactly as `plan --input` plans its export; keeps it."""
    care_plan = plan_of(history_document(db, client), today=today, protocol=protocol)
    snapshot = models.PlanSnapshot(
        client_id=client.id,
        as_of=care_plan.as_of,
        protocol_id=protocol.id,
        protocol_version=protocol.version,
        plan=plan_json(care_plan).decode(),
        made_by=actor,
        created_at=now,
    )
    db.add(snapshot)
    db.flush()
    audit(db, actor=actor, action="plan", record=snapshot, client_id=client.id, now=now)
    return care_plan


class PlanCache:
    """Current plans by client, reused until the client's records change.

    A plan is kept per database, client, revision, date and protocol; the oldest are dropped
    beyond `size`. The revision is bumped by every write to the client's records in that write's
    own transaction, so revisions rise in commit order (see `services.revisions`). It is read
    before and after the records: a plan is kept only when both agree, so what is kept under a
    revision is always what that revision holds, on PostgreSQL's per-statement snapshots too.
    A session that has itself written to the client keeps nothing: its revision is not committed,
    and a rollback would hand the same number to another write.
    """

    ATTEMPTS = 3

    def __init__(self, size: int = 2048) -> None:
        self._size = size
        self._plans: OrderedDict[tuple[object, ...], CarePlan] = OrderedDict()
        self._lock = Lock()

    def plan(
        self, db: Session, client: models.Client, *, today: date, protocol: Protocol
    ) -> CarePlan:
        """The client's plan as of `today`, as `plan --input` would make it from an export."""
        where = db.get_bind().engine.url.render_as_string(hide_password=True)
        made: CarePlan | None = None
        for _ in range(self.ATTEMPTS):
            revision = revisions.current(db, client.id)
            key = (where, client.id, revision, today, protocol.id, protocol.version)
            with self._lock:
                found = self._plans.get(key)
                if found is not None:
                    self._plans.move_to_end(key)
                    return found
            made = plan_of(history_document(db, client), today=today, protocol=protocol)
            if revisions.uncommitted(db, client.id):
                return made  # this session's own writes: the revision may yet roll back
            if revisions.current(db, client.id) == revision:
                self._keep(key, made)
                return made
        # Writes kept landing while the records were read: answer afresh, keep nothing.
        assert made is not None
        return made

    def _keep(self, key: tuple[object, ...], plan: CarePlan) -> None:
        with self._lock:
            self._plans[key] = plan
            while len(self._plans) > self._size:
                self._plans.popitem(last=False)


def current_plan(
    db: Session,
    client: models.Client,
    *,
    today: date,
    protocol: Protocol,
    plans: PlanCache | None = None,
) -> CarePlan:
    """The client's plan as of `today`: the one source of every view of it (pages, API, exports)."""
    return (plans if plans is not None else PlanCache(size=1)).plan(
        db, client, today=today, protocol=protocol
    )
