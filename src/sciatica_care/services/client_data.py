"""One client's data: everything held about them (a subject-access request), and erasure."""

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Table, delete, func, or_, select
from sqlalchemy.orm import Session

from sciatica_care.db import models
from sciatica_care.services.audit import audit
from sciatica_care.services.backup import plain

CLIENT_EXPORT_FORMAT = "sciatica-care/client-export@1"
_RECORDS: tuple[type[models.Base], ...] = (
    models.Screening,
    models.Clearance,
    models.Assessment,
    models.SessionNote,
    models.DiaryEntry,
    models.Appointment,
    models.PlanSnapshot,
)
_ACCOUNT_FIELDS = ("id", "email", "role", "created_at")


def _table(model: type[models.Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


_OVERRIDES = _table(models.TechniqueOverride)
_USERS = _table(models.User)


def _rows(db: Session, query: Any) -> list[dict[str, Any]]:
    found = db.execute(query).mappings()
    return [{key: plain(value) for key, value in row.items()} for row in found]


def _session_ids(client_id: int) -> Any:
    return select(models.SessionNote.id).where(models.SessionNote.client_id == client_id)


def _about(client_id: int) -> Any:
    """The audit entries about a client."""
    entry = models.AuditEntry
    made = (entry.entity == "clients") & (entry.entity_id == client_id)
    return select(entry.__table__).where(or_(entry.client_id == client_id, made)).order_by(entry.id)


def client_export(db: Session, *, client: models.Client, now: datetime) -> dict[str, Any]:
    """Everything held about a client: their fields, every record, plans and audit entries."""
    cid = client.id
    person = _rows(db, select(_table(models.Client)).where(models.Client.id == cid))[0]
    person["therapists"] = [{"id": user.id, "email": user.email} for user in client.therapists]
    records: dict[str, list[dict[str, Any]]] = {}
    for model in _RECORDS:
        table = _table(model)
        query = select(table).where(table.c.client_id == cid).order_by(table.c.id)
        records[table.name] = _rows(db, query)
    overrides = select(_OVERRIDES).where(_OVERRIDES.c.session_note_id.in_(_session_ids(cid)))
    records[_OVERRIDES.name] = _rows(db, overrides.order_by(_OVERRIDES.c.id))
    for snapshot in records[models.PlanSnapshot.__tablename__]:
        snapshot["plan"] = json.loads(snapshot["plan"])
    accounts = select(*(_USERS.c[name] for name in _ACCOUNT_FIELDS))
    return {
        "format": CLIENT_EXPORT_FORMAT,
        "exported_at": plain(now),
        "client": person,
        "records": records,
        "user_accounts": _rows(db, accounts.where(_USERS.c.client_id == cid).order_by("id")),
        "audit_log": _rows(db, _about(cid)),
    }


def _count(db: Session, table: Table, condition: Any) -> int:
    return db.scalar(select(func.count()).select_from(table).where(condition)) or 0


def erase_client(db: Session, *, client: models.Client, actor: str, now: datetime) -> int:
    """Removes a client, their records and their sign-in accounts; audits it without personal data.

    Returns how many rows went with the client. The audit entries about them stay: they hold ids
    and field names only.
    """
    cid = client.id
    removed = {"clients": 1}
    for model in _RECORDS:
        table = _table(model)
        removed[table.name] = _count(db, table, table.c.client_id == cid)
    in_sessions = _OVERRIDES.c.session_note_id.in_(_session_ids(cid))
    removed[_OVERRIDES.name] = _count(db, _OVERRIDES, in_sessions)
    removed[_USERS.name] = _count(db, _USERS, _USERS.c.client_id == cid)
    audit(
        db,
        actor=actor,
        action="erase",
        record=client,
        client_id=cid,
        now=now,
        changes={"removed": {name: count for name, count in removed.items() if count}},
    )
    db.execute(delete(_USERS).where(_USERS.c.client_id == cid))
    db.delete(client)
    db.flush()
    return sum(removed.values())
