"""The audit log: append-only, one row per write, no personal data in it."""

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from sciatica_care.db.models import AuditEntry, Base
from sciatica_care.services import revisions


def audit(
    db: Session,
    *,
    actor: str,
    action: str,
    record: Base,
    client_id: int | None,
    now: datetime,
    changes: dict[str, Any] | None = None,
    reason: str | None = None,
) -> None:
    """Records that `actor` did `action` to `record` (ids and field names only).

    Every write about a client is audited here, so here it also bumps the client's revision, in
    the same transaction: the plan cache keys on it.
    """
    db.add(
        AuditEntry(
            at=now,
            actor=actor,
            action=action,
            entity=record.__tablename__,
            entity_id=getattr(record, "id", None),
            client_id=client_id,
            changes=changes or {},
            reason=reason,
        )
    )
    if client_id is not None:
        revisions.bump(db, client_id)
