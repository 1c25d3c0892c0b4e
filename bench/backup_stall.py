"""How long `sciatica backup` keeps the clinic's writes waiting (SQLite).

Method: a database of `--rows` audit entries is made once. A writer commits one small row at a
time (the app's own engine: BEGIN IMMEDIATE, 30 s busy timeout), first for `--baseline` seconds
alone, then while `sciatica backup` runs as a process of its own. The figure is the longest single
commit while the backup runs, against the longest commit of the writer alone, in the same run:
a backup that holds the write lock makes one commit wait for the whole backup.

Target: the longest commit during the backup <= 10x the longest commit alone (a backup that
locks gives hundreds of times). `--sciatica PATH` runs another checkout's command, for a before
and after figure on the same machine.
"""

import argparse
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from sciatica_care.db import models
from sciatica_care.db.database import make_engine, session_factory, transaction
from sciatica_care.db.migrate import upgrade

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TARGET = 10.0


def row(number: int) -> dict[str, object]:
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


def make_database(url: str, rows: int) -> None:
    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as connection:
        for start in range(0, rows, 10_000):
            batch = [row(n) for n in range(start, min(rows, start + 10_000))]
            connection.execute(insert(models.AuditEntry), batch)
    engine.dispose()


def commit_one(sessions: sessionmaker[Session], number: int) -> float:
    """Seconds one small write took to commit."""
    start = time.perf_counter()
    with transaction(sessions) as db:
        db.execute(insert(models.AuditEntry), [row(number)])
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_100_000)
    parser.add_argument("--baseline", type=float, default=2.0, help="seconds of writes alone")
    default = Path(sys.executable).parent / "sciatica"
    parser.add_argument("--sciatica", type=Path, default=default, help="the command to time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'sciatica.db'}"
        make_database(url, args.rows)
        sessions = session_factory(make_engine(url))
        number = args.rows
        alone: list[float] = []
        start = time.perf_counter()
        while time.perf_counter() - start < args.baseline:
            alone.append(commit_one(sessions, number))
            number += 1
        command = [str(args.sciatica), "backup", str(Path(folder) / "b.json"), "--db", url]
        began = time.perf_counter()
        backup = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        during: list[float] = []
        while backup.poll() is None:
            during.append(commit_one(sessions, number))
            number += 1
        took = time.perf_counter() - began
        _, err = backup.communicate()
        if backup.returncode != 0:
            sys.stderr.write(err.decode())
            return 1
    worst_alone, worst_during = max(alone), max(during)
    ratio = worst_during / worst_alone
    print(f"rows: {args.rows:,}; backup took {took:.2f} s ({args.sciatica})")
    print(f"writes alone:        {len(alone):6} commits, longest {worst_alone * 1000:8.1f} ms")
    print(f"during the backup:   {len(during):6} commits, longest {worst_during * 1000:8.1f} ms")
    verdict = "target met" if ratio <= TARGET else "target MISSED"
    print(f"ratio longest during/alone: {ratio:.1f}x (<= {TARGET:g}x): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
