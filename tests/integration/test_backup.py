"""The backup service on SQLite and PostgreSQL: one row per line, read back however it arrives."""

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from sciatica_care.db.database import make_engine, session_factory, transaction
from sciatica_care.db.migrate import HEAD, upgrade
from sciatica_care.services.backup import BACKUP_FORMAT, restore_backup, write_backup
from sciatica_care.services.clients import add_client

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    """Sessions on a database of the test's own, not inside a transaction rolled back after it."""
    # On PostgreSQL a backup begins its own REPEATABLE READ transaction: it cannot join one.
    return session_factory(engine)


class Trickle:
    """A stream that hands over one byte per read, so every value straddles a read."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def read(self, size: int, /) -> bytes:
        """At most one byte."""
        return self._data.read(min(size, 1))


def _backup(sessions: sessionmaker[Session]) -> bytes:
    out = io.BytesIO()
    with transaction(sessions) as db:
        write_backup(db, out, now=NOW)
    return out.getvalue()


def test_a_backup_read_one_byte_at_a_time_restores_the_same_rows(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    with transaction(sessions) as db:
        for number in range(12):
            add_client(db, name=f"Client {number}", birth_year=1950 + number, actor="t", now=NOW)
    written = _backup(sessions)
    engine = make_engine(f"sqlite:///{tmp_path / 'copy.db'}")
    upgrade(engine)
    copy = session_factory(engine)
    with transaction(copy) as db:
        counts = restore_backup(db, Trickle(written))
    assert (counts["clients"], counts["audit_log"], counts["clinics"]) == (12, 12, 1)
    again = _backup(copy)
    engine.dispose()
    assert again == written


def test_a_backup_holds_its_format_revision_and_one_row_per_line(
    sessions: sessionmaker[Session],
) -> None:
    with transaction(sessions) as db:
        add_client(db, name="Ada", actor="t", now=NOW)
    written = _backup(sessions)
    document = json.loads(written)
    assert (document["format"], document["revision"]) == (BACKUP_FORMAT, HEAD)
    assert document["created_at"] == "2026-03-02T09:00:00Z"
    assert document["tables"]["clients"]["rows"] == [
        [1, 1, "Ada", None, None, None, False, "2026-03-02T09:00:00Z", 1]
    ]
    assert b'\n[1,1,"Ada",null,null,null,false,"2026-03-02T09:00:00Z",1]\n' in written
