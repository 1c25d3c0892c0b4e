"""`sciatica backup` reads a snapshot and leaves the write lock to the clinic; its file is whole.

The backup runs as a process of its own, as a clinic runs it from cron while the app serves.
"""

import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, insert, select

from sciatica_care.db import models
from sciatica_care.db.database import make_engine, session_factory, transaction
from tests.cli.runner import TIMEOUT, sciatica
from tests.paths import SCIATICA

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
# Enough rows that the backup runs for a good part of a second on a quick machine.
ROWS = 150_000


def audit_row(number: int) -> dict[str, object]:
    """One audit entry, as the app writes them on every change."""
    return {
        "at": NOW,
        "actor": f"user:{number % 7}",
        "action": "update",
        "entity": "session_note",
        "entity_id": number,
        "client_id": number % 50,
        "changes": {"note": ["before", "after"], "number": number},
        "reason": None,
    }


def biggish(url: str) -> None:
    """A migrated database with ROWS audit entries."""
    assert sciatica(url, "client", "add", "Ada").returncode == 0
    engine = make_engine(url)
    with engine.begin() as connection:
        for start in range(0, ROWS, 10_000):
            rows = [audit_row(n) for n in range(start, start + 10_000)]
            connection.execute(insert(models.AuditEntry), rows)
    engine.dispose()


def test_writes_commit_while_a_backup_reads_and_the_backup_is_a_snapshot(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'sciatica.db'}"
    biggish(url)
    target = tmp_path / "b.json"
    sessions = session_factory(make_engine(url))
    backup = subprocess.Popen(
        [str(SCIATICA), "backup", str(target), "--db", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    during = 0  # writes begun after the backup wrote its first rows, done before it finished
    writes = 0
    while backup.poll() is None:
        started = any(p.stat().st_size for p in tmp_path.glob(".b.json.*.tmp"))
        with transaction(sessions) as db:
            db.execute(insert(models.AuditEntry), [audit_row(ROWS + writes)])
        writes += 1
        if started and not target.exists() and backup.poll() is None:
            during += 1
    _, err = backup.communicate(timeout=TIMEOUT)
    assert backup.returncode == 0, err
    assert during >= 1, f"no write committed during the backup ({writes} writes in all)"
    with transaction(sessions) as db:
        stored = db.execute(select(func.count()).select_from(models.AuditEntry)).scalar_one()
    backed_up = json.loads(target.read_bytes())["tables"]["audit_log"]["rows"]
    # One snapshot: every row from before the backup began, none committed while it read.
    assert ROWS <= len(backed_up) <= stored - during
    assert [row[0] for row in backed_up] == list(range(1, len(backed_up) + 1))


def test_a_failed_backup_leaves_no_temporary_copy(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sciatica.db'}"
    assert sciatica(url, "client", "add", "Ada").returncode == 0
    (tmp_path / "taken").mkdir()  # the target's name is a folder: the final rename fails
    failed = sciatica(url, "backup", str(tmp_path / "taken"))
    assert failed.returncode == 1
    assert failed.stderr.startswith(f"error: FILE: cannot write {str(tmp_path / 'taken')!r}")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_the_next_backup_removes_what_a_killed_one_left(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sciatica.db'}"
    assert sciatica(url, "client", "add", "Ada").returncode == 0
    left = tmp_path / ".b.json.k1ll3d.tmp"
    left.write_text('{"format": "sciatica-care/backup@1", "tables": {"users": ')
    other = tmp_path / ".other.json.k1ll3d.tmp"  # another file's: not this backup's to remove
    other.write_text("{}")
    done = sciatica(url, "backup", str(tmp_path / "b.json"))
    assert done.returncode == 0, done.stderr
    assert not left.exists()
    assert other.exists()
    assert json.loads((tmp_path / "b.json").read_bytes())["tables"]["clients"]["rows"]
