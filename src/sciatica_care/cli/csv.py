"""CSV on the command line: `export --format csv` and `import --format csv`.

Export writes diary.csv, assessments.csv and sessions.csv: as a zip to `--output FILE.zip`; as
three files into `--output FOLDER` (an existing folder, or a name without a suffix); without
--output, as a zip to stdout when it is a pipe or a file (never to a terminal, as gzip and tar
refuse to). Import reads one table, `--kind diary` or `--kind assessments`, into a client (made
if no client has that name), all rows or none: a refused or empty file creates nothing.
"""

import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

from sciatica_care.cli.support import actor, clock, fail, store
from sciatica_care.db.files import PRIVATE_FOLDER, write_private

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from sciatica_care.db.models import Client

MAX_SHOWN = 100
CSV_KINDS = ("diary", "assessments")


def export_csv(client: str, output: Path | None, db: str | None) -> None:
    """Writes a client's diary, assessments and sessions as CSV (a zip, or a folder of three)."""
    from sciatica_care.services.clients import find_client
    from sciatica_care.sharing.csv.export import client_tables, client_zip

    if output is None and sys.stdout.isatty():
        fail(["--output: give FILE.zip or a folder; a zip is not written to a terminal"])
    folder = output is not None and (output.is_dir() or not output.suffix)
    if output is not None and not folder and output.suffix.lower() != ".zip":
        fail([f"--output: must be FILE.zip or a folder (no suffix), got {str(output)!r}"])
    with store(db) as session:
        found = find_client(session, client)
        tables = client_tables(session, found) if folder else {}
        archive = b"" if folder else client_zip(session, found)
    try:
        if output is None:
            sys.stdout.buffer.write(archive)
        elif folder:
            output.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
            for name, text in tables.items():
                write_private(output / name, text.encode("utf-8"))
        else:
            write_private(output, archive)
    except OSError as error:
        fail([f"--output: cannot write {str(output)!r}: {error.strerror}"], 1)
    if output is not None:
        shown = ", ".join(str(output / name) for name in tables) if folder else str(output)
        typer.echo(f"wrote {shown}", err=True)


def import_csv(
    file: Path, client: str | None, kind: str | None, db: str | None, *, again: bool = False
) -> None:
    """Reads diary or assessment rows from a CSV file into a client; all rows or none."""
    from sciatica_care.cli.records import refused_if_repeated
    from sciatica_care.services.errors import InputProblems
    from sciatica_care.services.imports import content_hash, record_import
    from sciatica_care.sharing.csv.importer import read_records, store_records

    problems = []
    if kind not in CSV_KINDS:
        problems.append(f"--kind: must be diary or assessments, got {kind!r}")
    if not client or not client.strip():
        problems.append("--client: required with --format csv (an existing client or a new name)")
    if problems or kind is None or client is None:
        fail(problems)
    try:
        raw = file.read_bytes()
    except OSError as error:
        fail([f"FILE: cannot read {str(file)!r}: {error.strerror}"])
    try:
        history = read_records(raw, kind=kind, source=str(file), today=clock().today())
    except InputProblems as error:
        _fail_all(error.problems)
    now = clock().now()
    with store(db) as session:
        target = _client_or_new(session, client, now)
        refused_if_repeated(session, target, "csv", content_hash(raw), again=again)
        count = store_records(session, client=target, history=history, actor=actor(), now=now)
        record_import(
            session,
            client=target,
            kind="csv",
            sha256=content_hash(raw),
            records=count,
            actor=actor(),
            now=now,
        )
    typer.echo(f"imported {count} {kind} records into client {target.id}: {target.name}")


def _client_or_new(session: "Session", ref: str, now: datetime) -> "Client":
    """The client `ref` names, or a new client of that name; never a guess between several."""
    from sciatica_care.services.clients import add_client, find_client
    from sciatica_care.services.errors import ServiceError
    from sciatica_care.services.ids import parse_id

    try:
        return find_client(session, ref)
    except ServiceError as error:
        if parse_id(ref) is not None or "several" in str(error):
            raise
    return add_client(session, name=ref, actor=actor(), now=now)


def _fail_all(problems: list[str]) -> NoReturn:
    """Every problem, the first MAX_SHOWN of a very bad file and how many more there are."""
    shown = problems[:MAX_SHOWN]
    if len(problems) > MAX_SHOWN:
        shown.append(f"... and {len(problems) - MAX_SHOWN} more problems; nothing was imported")
    else:
        shown.append("nothing was imported")
    fail(shown)
