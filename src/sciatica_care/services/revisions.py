"""A client's revision: a counter that every write to the client's records bumps.

The bump is an UPDATE of the client's row in the writing transaction itself, so it holds the row's
write lock until that transaction ends (PostgreSQL; SQLite has one writer at a time anyway): two
writes for one client commit one after the other, and revisions rise in commit order. A reader
that sees revision N sees every write up to N and none after it, which makes (client, revision) a
safe cache key. Ids from a sequence are not: they are handed out at INSERT, and a transaction that
took a lower id can commit after one that took a higher id.
"""

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sciatica_care.db.models import Client


def lock(db: Session, client_id: int) -> None:
    """Takes the client's write lock now, before reading what the write will build on."""
    db.execute(select(Client.id).where(Client.id == client_id).with_for_update())


BUMPED = "sciatica_care.bumped_clients"


def bump(db: Session, client_id: int) -> None:
    """Counts one more change to the client's records (and holds their lock until commit)."""
    db.info.setdefault(BUMPED, set()).add(client_id)
    db.execute(
        update(Client)
        .where(Client.id == client_id)
        .values(revision=Client.revision + 1)
        .execution_options(synchronize_session=False)
    )


def current(db: Session, client_id: int) -> int | None:
    """The client's revision as committed now (read from the table, never from a loaded object)."""
    return db.scalar(select(Client.revision).where(Client.id == client_id))


def uncommitted(db: Session, client_id: int) -> bool:
    """Whether this session has written to the client's records: its revision may yet roll back."""
    return client_id in db.info.get(BUMPED, ())
