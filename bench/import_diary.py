"""Importing a 1,000,000-entry pain diary, against the raw driver's own bulk insert.

Usage: python bench/import_diary.py [--rows N] [--repeats R] [--postgres URL | --no-postgres]

1. Writes one history@1 document whose diary has N entries (default 1,000,000; a seeded
   `random.Random`, the same bytes every run) to a temporary file, and keeps the same rows as
   driver-ready tuples for the baseline. Nothing of that is timed.
2. The project: `sciatica import FILE --client Bench --db URL`, the real command as a person runs
   it (start-up, read, parse and check, store, commit), into a fresh database already migrated,
   timed around the process. Its peak memory is the child's `ru_maxrss` (`os.wait4`).
3. The baseline, in another fresh database migrated the same way (the same table, index and
   foreign key): the raw driver inserts the same rows in one transaction, timed from BEGIN to
   COMMIT: sqlite3 `executemany` on SQLite, `COPY ... FROM STDIN` (psycopg) on PostgreSQL. Its
   rows are built before the clock starts, so it times the driver alone.
4. The two alternate R times (default 3), each run into a fresh database; the best of each is
   reported and used for the ratio, the median beside it. PostgreSQL runs in databases created
   for the run on the server at --postgres (default the local test server) and dropped
   afterwards; an unreachable server is reported and skipped.

Targets, on SQLite: the project's rate at least 0.5x the raw rate, and the import's peak RSS under
500 MB. PostgreSQL is reported against COPY without a target. The exit status is 0 whether or not
a target is met; it is 1 only when an import fails or stores the wrong number of rows.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text

from sciatica_care.db.database import make_engine, session_factory, transaction
from sciatica_care.db.migrate import upgrade
from sciatica_care.services.clients import add_client

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 0.5
TARGET_MB = 500.0
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
SELF_CARE = ("stay_active", "walking", "swimming", "posture", "heat", "cold")
FIRST_DAY = date(1960, 1, 1)
LAST_DAY = date(2025, 12, 31)
CREATED_AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
COLUMNS = (
    "client_id",
    "date",
    "leg_pain",
    "back_pain",
    "flare",
    "self_care",
    "active_minutes",
    "note",
    "created_at",
)
Row = tuple[Any, ...]


def diary(rows: int, seed: int = 0) -> Iterator[dict[str, Any]]:
    """`rows` diary entries, several a day, in date order (deterministic in `seed`)."""
    rng = random.Random(seed)
    span = (LAST_DAY - FIRST_DAY).days
    pain = 6
    for index in range(rows):
        pain = max(0, min(10, pain + rng.choice((-1, 0, 0, 1))))
        entry: dict[str, Any] = {
            "date": (FIRST_DAY + timedelta(days=index * span // rows)).isoformat(),
            "leg_pain": pain,
            "back_pain": max(0, pain - rng.randint(0, 3)),
            "active_minutes": rng.randint(0, 120),
            "self_care": rng.sample(SELF_CARE, rng.choice((0, 1, 1, 2, 3))),
        }
        if rng.random() < 0.05:
            entry["flare"] = True
        if rng.random() < 0.02:
            entry["note"] = "Long drive today; leg ached after."
        yield entry


def write_document(path: Path, rows: int) -> list[Row]:
    """Write the history@1 document; return its diary as the baseline's driver-ready rows."""
    baseline: list[Row] = []
    shared: dict[str, str] = {}  # one string per distinct date and self-care list, as a
    created = CREATED_AT.isoformat(sep=" ")  # driver-level importer would keep them
    with path.open("w", encoding="utf-8") as out:
        out.write('{"schema":"sciatica-care/history@1","client":{"birth_year":1970},"diary":[')
        for index, entry in enumerate(diary(rows)):
            out.write(("," if index else "") + json.dumps(entry, separators=(",", ":")))
            care = json.dumps(entry["self_care"])
            baseline.append(
                (
                    1,
                    shared.setdefault(entry["date"], entry["date"]),
                    entry["leg_pain"],
                    entry["back_pain"],
                    entry.get("flare"),
                    shared.setdefault(care, care),
                    entry["active_minutes"],
                    entry.get("note"),
                    created,
                )
            )
        out.write("]}")
    return baseline


def _migrated(url: str, *, with_client: bool) -> None:
    """Bring a fresh database to the project's schema (and give it client 1 for the baseline)."""
    engine = make_engine(url)
    try:
        upgrade(engine)
        if with_client:
            with transaction(session_factory(engine)) as db:
                add_client(db, name="Baseline", actor="bench", now=CREATED_AT)
    finally:
        engine.dispose()


def _sciatica() -> str:
    venv = ROOT / ".venv" / "bin" / "sciatica"
    return str(venv if venv.exists() else Path(sys.executable).parent / "sciatica")


def time_import(document: Path, url: str) -> tuple[float, float]:
    """Run `sciatica import` once; its wall time in seconds and its peak RSS in MB."""
    command = [_sciatica(), "import", str(document), "--client", "Bench", "--db", url]
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    _, err = child.communicate()
    if child.returncode != 0:
        raise RuntimeError(f"sciatica import failed ({child.returncode}): {err.strip()}")
    return seconds, usage.ru_maxrss / 1024


def sqlite_baseline(url: str, rows: list[Row]) -> float:
    """sqlite3 executemany of the rows in one transaction; seconds from BEGIN to COMMIT."""
    import sqlite3

    insert = f"INSERT INTO diary_entries ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * 9)})"
    connection = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    try:
        connection.execute("PRAGMA foreign_keys=ON")
        start = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(insert, rows)
        connection.execute("COMMIT")
        return time.perf_counter() - start
    finally:
        connection.close()


def postgres_baseline(url: str, rows: list[Row]) -> float:
    """COPY of the rows in one transaction; seconds from BEGIN to COMMIT."""
    import psycopg

    with psycopg.connect(url) as connection:
        start = time.perf_counter()
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY diary_entries ({', '.join(COLUMNS)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        connection.commit()
        return time.perf_counter() - start


def count_rows(url: str) -> int:
    """How many diary rows a database holds."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.scalar(text("SELECT count(*) FROM diary_entries")) or 0)
    finally:
        engine.dispose()


@contextmanager
def sqlite_database(folder: Path) -> Iterator[str]:
    """A fresh SQLite file, removed afterwards."""
    path = folder / f"{uuid.uuid4().hex[:10]}.db"
    try:
        yield f"sqlite:///{path}"
    finally:
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)


@contextmanager
def postgres_database(admin: Any, admin_url: str) -> Iterator[str]:
    """A fresh PostgreSQL database on the server, dropped afterwards."""
    name = f"sciatica_bench_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{admin_url.rsplit('/', 1)[0]}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Runs:
    """The timed runs of one backend."""

    project: list[float]
    baseline: list[float]
    fixed: list[float]
    peak_mb: float = 0.0


def measure(
    fresh: Callable[[], AbstractContextManager[str]],
    baseline: Callable[[str, list[Row]], float],
    document: Path,
    rows: list[Row],
    repeats: int,
) -> Runs:
    """Alternate the project's import and the baseline, each into a fresh database.

    Each round also imports a document with no records: the command's fixed cost (start-up,
    opening and checking the database, adding the client, commit).
    """
    runs = Runs([], [], [])
    empty = document.with_name("empty.json")
    empty.write_text('{"schema":"sciatica-care/history@1"}', encoding="utf-8")
    for _ in range(repeats):
        with fresh() as url:
            _migrated(url, with_client=False)
            runs.fixed.append(time_import(empty, url)[0])
        with fresh() as url:
            _migrated(url, with_client=False)
            seconds, peak_mb = time_import(document, url)
            found = count_rows(url)
            if found != len(rows):
                raise RuntimeError(f"the import stored {found} diary rows, not {len(rows)}")
            runs.project.append(seconds)
            runs.peak_mb = max(runs.peak_mb, peak_mb)
        with fresh() as url:
            _migrated(url, with_client=True)
            runs.baseline.append(baseline(url, rows))
    return runs


def report(backend: str, raw_name: str, runs: Runs, rows: int) -> float:
    """Print both rates, their ratio and the import's peak memory; return the ratio."""
    best, raw = min(runs.project), min(runs.baseline)
    count = len(runs.project)
    for name, times in (("sciatica import", runs.project), (raw_name, runs.baseline)):
        seconds = min(times)
        print(
            f"{backend:<10} {name:<18} {rows / seconds:>11,.0f} rows/s  ({seconds:.2f} s best of"
            f" {count}, median {statistics.median(times):.2f} s)"
        )
    print(f"{backend:<10} {'ratio project/raw':<18} {raw / best:>11.2f}x")
    fixed = min(runs.fixed)
    if best > fixed:
        print(
            f"{backend:<10} {'less fixed cost':<18} {rows / (best - fixed):>11,.0f} rows/s  (an"
            f" empty import takes {fixed:.2f} s; ratio {raw / (best - fixed):.2f}x)"
        )
    print(f"{backend:<10} {'import peak RSS':<18} {runs.peak_mb:>11.0f} MB")
    return raw / best


def run_postgres(admin_url: str, document: Path, rows: list[Row], repeats: int) -> None:
    """The PostgreSQL runs, or a line saying why they were skipped."""
    import psycopg

    try:
        admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        reason = str(error).strip().splitlines()[0]
        print(f"postgresql skipped: not reachable at {admin_url} ({reason})")
        return
    with admin:
        runs = measure(
            lambda: postgres_database(admin, admin_url), postgres_baseline, document, rows, repeats
        )
    report("postgresql", "raw COPY", runs, len(rows))


def _verdict(name: str, ok: bool, detail: str) -> str:
    return f"{name}: {'target met' if ok else 'target MISSED'} ({detail})"


def main(argv: list[str] | None = None) -> int:
    """Generate the document, time both paths on each backend and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=1_000_000, help="diary rows (1,000,000)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each, best kept (3)")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="PostgreSQL server URL")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    args = parser.parse_args(argv)
    if args.rows < 1 or args.repeats < 1:
        parser.error("--rows and --repeats must be at least 1")
    with tempfile.TemporaryDirectory(prefix="import-diary-") as scratch:
        folder = Path(scratch)
        document = folder / "diary.json"
        started = time.perf_counter()
        rows = write_document(document, args.rows)
        size = document.stat().st_size / 2**20
        print(
            f"document: {args.rows:,} diary entries, {size:.0f} MiB of JSON"
            f" (written in {time.perf_counter() - started:.1f} s, untimed)"
        )
        try:
            runs = measure(
                lambda: sqlite_database(folder), sqlite_baseline, document, rows, args.repeats
            )
            ratio = report("sqlite", "raw executemany", runs, args.rows)
            if not args.no_postgres:
                run_postgres(args.postgres, document, rows, args.repeats)
        except RuntimeError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
    print()
    print(_verdict("sqlite ratio project/raw", ratio >= TARGET_RATIO, f"{ratio:.2f}x, >= 0.5x"))
    peak = runs.peak_mb
    print(_verdict("import peak RSS", peak < TARGET_MB, f"{peak:.0f} MB, < {TARGET_MB:.0f} MB"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
