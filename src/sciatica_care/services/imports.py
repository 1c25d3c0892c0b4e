"""Which files were read into a client: a repeat of the same file is refused unless asked for.

An operator who runs an import again after a crash must not double every record. Each import
keeps its file's SHA-256; one whose transaction never committed left no row, so it may run again.
"""

import hashlib
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sciatica_care.db import models
from sciatica_care.services.audit import audit
from sciatica_care.services.errors import ServiceError

KINDS = ("history", "fhir", "csv")


class AlreadyImported(ServiceError):
    """The same file was read into this client before."""

    def __init__(self, client: models.Client, earlier: models.Import) -> None:
        count = f"{earlier.records} record{'' if earlier.records == 1 else 's'}"
        super().__init__(
            f"FILE: already imported into client {client.id}: {client.name}"
            f" on {when(earlier)} by {earlier.actor} ({count}); nothing was imported"
        )
        self.earlier = earlier


def content_hash(raw: bytes) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    return hashlib.sha256(raw).hexdigest()


def when(done: models.Import) -> str:
    """When an import was made, to the minute, in UTC."""
    return done.imported_at.strftime("%Y-%m-%d %H:%M UTC")


def refuse_repeat(
    db: Session, *, client: models.Client, kind: str, sha256: str, again: bool = False
) -> None:
    """Refuses a file already read into `client` (unless `again`); locks the client's row first.

    The lock (SELECT ... FOR UPDATE on PostgreSQL; SQLite's write transaction holds the write
    lock already) makes two imports of one file at once check one after the other.
    """
    db.execute(select(models.Client.id).where(models.Client.id == client.id).with_for_update())
    if again:
        return
    earlier = db.scalars(
        select(models.Import)
        .where(
            models.Import.client_id == client.id,
            models.Import.kind == kind,
            models.Import.sha256 == sha256,
        )
        .order_by(models.Import.id)
        .limit(1)
    ).first()
    if earlier is not None:
        raise AlreadyImported(client, earlier)


def record_import(
    db: Session,
    *,
    client: models.Client,
    kind: str,
    sha256: str,
    records: int,
    actor: str,
    now: datetime,
) -> models.Import:
    """Keeps that a file was read into `client`, in the import's own transaction."""
    done = models.Import(
        client_id=client.id, kind=kind, sha256=sha256, records=records, actor=actor, imported_at=now
    )
    db.add(done)
    db.flush()
    audit(db, actor=actor, action="create", record=done, client_id=client.id, now=now)
    return done


def client_imports(db: Session, *, client: models.Client) -> list[models.Import]:
    """Every file read into `client`, oldest first."""
    query = select(models.Import).where(models.Import.client_id == client.id)
    return list(db.scalars(query.order_by(models.Import.imported_at, models.Import.id)))
