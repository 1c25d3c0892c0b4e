"""Planning from the database: the same engine as `plan --input`, and a snapshot kept."""

from datetime import date, datetime

import msgspec
from sqlalchemy.orm import Session

from sciatica_care.db import models
from sciatica_care.domain.plan import CarePlan
from sciatica_care.domain.protocol import Protocol
from sciatica_care.engine import plan_history, plan_json
from sciatica_care.services.audit import audit
from sciatica_care.services.histories import history_document


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
    raw = msgspec.json.encode(history_document(db, client))
    care_plan = plan_history(raw, today=today, system_today=today, protocol=protocol)
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
