"""An import killed with SIGKILL while it inserts leaves the database exactly as it was.

Nothing of it was committed, so its file is not kept as imported: the rerun is taken, not refused
as a repeat, and only a run after a committed import is refused.
"""

import json
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import text

from sciatica_care.db.database import make_engine
from tests.paths import SCIATICA

ENTRIES = 150_000  # about a second of inserting on SQLite, several on PostgreSQL
SELF_CARE = ("[]", '["walking"]', '["heat","stay_active"]', '["swimming"]')
COUNTED = ("clients", "diary_entries", "audit_log", "imports")


def write_big_history(path: Path, entries: int) -> None:
    """A history@1 document with an `entries`-long diary, twenty a day from 1960 (deterministic)."""
    first = date(1960, 1, 1)
    with path.open("w", encoding="utf-8") as out:
        out.write('{"schema":"sciatica-care/history@1","diary":[')
        for i in range(entries):
            day = (first + timedelta(days=i // 20)).isoformat()
            out.write(
                ("," if i else "")
                + f'{{"date":"{day}","leg_pain":{i % 11},"back_pain":{i * 7 % 11},'
                + f'"active_minutes":{i % 90},"self_care":{SELF_CARE[i % 4]}}}'
            )
        out.write("]}")


def sciatica(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a command against the test's database."""
    return subprocess.run(
        [str(SCIATICA), *args, "--db", db], capture_output=True, text=True, timeout=120
    )


def counts(db: str) -> dict[str, int]:
    """Rows per table, read through a fresh engine (so the database must open)."""
    engine = make_engine(db)
    try:
        with engine.connect() as connection:
            return {
                table: int(connection.scalar(text(f"SELECT count(*) FROM {table}")) or 0)
                for table in COUNTED
            }
    finally:
        engine.dispose()


@contextmanager
def inserting_signal(db: str) -> Iterator[Callable[[], bool]]:
    """A check that the import is busy writing diary rows, in a way each backend can show.

    SQLite: the write-ahead log grows past 1 MB (the page cache spills into it long before
    COMMIT). PostgreSQL: a server process is running the diary INSERT.
    """
    if db.startswith("sqlite"):
        wal = Path(db.removeprefix("sqlite:///") + "-wal")
        yield lambda: wal.exists() and wal.stat().st_size > 2**20
        return
    engine = make_engine(db)
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
        " AND query LIKE 'INSERT INTO diary_entries%'"
    )

    def busy() -> bool:
        with engine.connect() as connection:
            return bool(connection.scalar(query))

    try:
        yield busy
    finally:
        engine.dispose()


def kill_while(signal: Callable[[], bool], command: list[str], timeout: float = 60.0) -> int:
    """Start the command, SIGKILL it as soon as `signal` holds; its return code."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + timeout
    try:
        while not signal():
            if process.poll() is not None:
                _, err = process.communicate()
                raise AssertionError(f"the import ended before it could be killed: {err!r}")
            if time.monotonic() > deadline:
                raise AssertionError("the import never showed it was inserting")
            time.sleep(0.002)
        process.kill()
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)
    return process.returncode


def test_an_import_killed_while_inserting_changes_nothing_and_can_be_run_again(
    database_url: str, tmp_path: Path
) -> None:
    db = database_url
    assert sciatica(db, "client", "add", "Ada").returncode == 0
    assert sciatica(db, "log", "Ada", "--leg-pain", "4", "--date", "2026-01-05").returncode == 0
    before = counts(db)
    big = tmp_path / "big.json"
    write_big_history(big, ENTRIES)
    command = [str(SCIATICA), "import", str(big), "--client", "Big", "--db", db]

    with inserting_signal(db) as inserting:
        assert kill_while(inserting, command) == -9

    assert counts(db) == before
    if db.startswith("sqlite"):
        engine = make_engine(db)
        try:
            with engine.connect() as connection:
                assert connection.scalar(text("PRAGMA integrity_check")) == "ok"
        finally:
            engine.dispose()
    again = sciatica(db, "import", str(big), "--client", "Big")
    assert again.returncode == 0, again.stderr
    assert f"imported {ENTRIES} records" in again.stdout
    after = counts(db)
    assert after["diary_entries"] == before["diary_entries"] + ENTRIES
    assert after["imports"] == before["imports"] + 1
    repeated = sciatica(db, "import", str(big), "--client", "Big")
    assert repeated.returncode == 2
    assert ": Big on " in repeated.stderr  # (PostgreSQL spent an id on the killed run)
    assert f"({ENTRIES} records); nothing was imported" in repeated.stderr
    assert counts(db) == after
    planned = sciatica(db, "plan", "Big", "--today", "2026-03-02", "--format", "json")
    assert planned.returncode == 0, planned.stderr
    assert json.loads(planned.stdout)["schema"] == "sciatica-care/plan@1"
