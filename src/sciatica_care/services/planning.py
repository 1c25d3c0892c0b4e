"""Planning from the database: the same engine as `plan --input`, and a snapshot kept."""

from collections import OrderedDict
from datetime import date, datetime
from threading import Lock
from typing import Any

import msgspec
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sciatica_care.db import models
from sciatica_care.domain.plan import CarePlan
from sciatica_care.domain.protocol import Protocol
from sciatica_care.engine import plan_history, plan_json
from sciatica_care.services.audit import audit
from sciatica_care.services.histories import history_document


def plan_of(document: dict[str, Any], *, today: date, protocol: Protocol) -> CarePlan:
    """The engine's plan for a history@1 document, exactly as `plan --input` makes it."""
    raw = msgspec.json.encode(document)
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

    Every write to a client's records adds an audit entry naming the client, so the newest audit
    id of a client is a change counter that costs one indexed query. A plan is kept per database,
    client, change counter, date and protocol; the oldest are dropped beyond `size`.
    """

    def __init__(self, size: int = 2048) -> None:
        self._size = size
        self._plans: OrderedDict[tuple[object, ...], CarePlan] = OrderedDict()
        self._lock = Lock()

    def plan(
        self, db: Session, client: models.Client, *, today: date, protocol: Protocol
    ) -> CarePlan:
        """The client's plan as of `today`, as `plan --input` would make it from an export."""
        revision = db.scalar(
            select(func.max(models.AuditEntry.id)).where(models.AuditEntry.client_id == client.id)
        )
        where = db.get_bind().engine.url.render_as_string(hide_password=True)
        key = (where, client.id, revision, today, protocol.id, protocol.version)
        with self._lock:
            found = self._plans.get(key)
            if found is not None:
                self._plans.move_to_end(key)
                return found
        made = plan_of(history_document(db, client), today=today, protocol=protocol)
        with self._lock:
            self._plans[key] = made
            while len(self._plans) > self._size:
                self._plans.popitem(last=False)
        return made
