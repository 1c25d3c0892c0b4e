"""One client's data: everything held about them (a subject-access request), and erasure."""

import json
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, ForeignKey, MetaData, Table, delete, func, or_, select
from sqlalchemy.orm import Session

from sciatica_care.db import models
from sciatica_care.services.audit import audit
from sciatica_care.services.backup import plain

CLIENT_EXPORT_FORMAT = "sciatica-care/client-export@1"
# Tables about a client that the export shows in a section of its own, or leaves out; and why.
# Every other table with a foreign-key path to `clients` goes under `records`, found from the
# metadata, so a new table about clients is exported (and erased) without a change here.
OWN_SECTIONS = {
    "clients": "the client's own fields, under `client`",
    "client_therapists": "the care team, under `client.therapists`",
    "users": "the client's sign-in accounts, under `user_accounts`, without the password hash",
    "audit_log": "the entries about the client, under `audit_log` (ids, not a foreign key)",
}
LEFT_OUT = {
    "web_sessions": "sign-in state of the client's accounts: token hashes and expiry times",
    "api_tokens": "API tokens of the client's accounts: token hashes, revocable, never shown",
}
# Columns that hold secrets (hashes of passwords and tokens): never exported.
SECRET_COLUMNS = frozenset({"password_hash", "token_hash", "csrf_token"})
_ACCOUNT_FIELDS = ("id", "email", "role", "created_at")


def _table(model: type[models.Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


_CLIENTS = _table(models.Client)
_USERS = _table(models.User)


def client_paths(metadata: MetaData) -> dict[str, tuple[ForeignKey, ...]]:
    """Each table that refers to clients, by name, with its shortest chain of foreign keys there."""
    paths: dict[str, tuple[ForeignKey, ...]] = {_CLIENTS.name: ()}
    while True:
        found: dict[str, tuple[ForeignKey, ...]] = {}
        for table in metadata.sorted_tables:
            for key in sorted(table.foreign_keys, key=lambda key: key.parent.name):
                if table.name not in paths and key.column.table.name in paths:
                    found.setdefault(table.name, (key, *paths[key.column.table.name]))
        if not found:
            return {name: path for name, path in paths.items() if path}
        paths.update(found)


def _about_client(path: tuple[ForeignKey, ...], client_id: int) -> ColumnElement[bool]:
    """The rows whose chain of foreign keys `path` ends at this client."""
    key, *rest = path
    if not rest:
        return key.parent == client_id
    return key.parent.in_(select(key.column).where(_about_client(tuple(rest), client_id)))


_PATHS = client_paths(models.Base.metadata)
RECORD_TABLES: tuple[Table, ...] = tuple(
    table
    for table in models.Base.metadata.sorted_tables
    if table.name in _PATHS and table.name not in OWN_SECTIONS and table.name not in LEFT_OUT
)


def _rows(db: Session, query: Any) -> list[dict[str, Any]]:
    found = db.execute(query).mappings()
    return [{key: plain(value) for key, value in row.items()} for row in found]


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
    for table in RECORD_TABLES:
        shown = [column for column in table.c if column.key not in SECRET_COLUMNS]
        query = select(*shown).where(_about_client(_PATHS[table.name], cid))
        records[table.name] = _rows(db, query.order_by(*table.primary_key))
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
    for table in RECORD_TABLES:
        removed[table.name] = _count(db, table, _about_client(_PATHS[table.name], cid))
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
