"""Looking after the data: backup and restore of the database, a client's export and erasure."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from sciatica_care.cli.records import ClientArg, DbOption
from sciatica_care.cli.support import FAILURE, actor, clock, fail, store
from sciatica_care.db.files import atomic_private_file, remove_leftovers, write_private


def backup(
    file: Annotated[Path, typer.Argument(help="The JSON file to write (replaced if it exists).")],
    db: DbOption = None,
) -> None:
    """Write every table of the database to one JSON file; `sciatica restore` reads it back.

    The file holds personal data and password hashes: it is created readable by you alone.

    Example: sciatica backup sciatica-2026-03-02.json
    """
    from sciatica_care.services.backup import write_backup

    # A backup killed half-way leaves its hidden temporary copy: every record, every password
    # hash. The next run removes it before writing its own.
    if not file.parent.is_dir():
        fail([f"FILE: cannot write in {str(file.parent)!r}: no such folder"])
    try:
        remove_leftovers(file)
    except OSError as error:
        fail([f"FILE: cannot write in {str(file.parent)!r}: {error.strerror}"])
    # A reading transaction: the clinic goes on writing while the backup reads its snapshot.
    with store(db, reading=True) as session:
        try:
            with atomic_private_file(file) as out:
                counts = write_backup(session, out, now=clock().now())
        except OSError as error:
            fail([f"FILE: cannot write {str(file)!r}: {error.strerror}"], FAILURE)
    rows = sum(counts.values())
    typer.echo(f"backed up {rows} rows of {len(counts)} tables to {file}")


def restore(
    file: Annotated[Path, typer.Argument(help="A file written by `sciatica backup`.")],
    db: DbOption = None,
) -> None:
    """Load a backup into an empty database (SQLite or PostgreSQL), ids kept; all or nothing.

    Example: sciatica restore sciatica-2026-03-02.json --db postgresql://localhost/sciatica
    """
    from sciatica_care.services.backup import BackupError, restore_backup

    try:
        source = file.open("rb")
    except OSError as error:
        fail([f"FILE: cannot read {str(file)!r}: {error.strerror}"])
    with source, store(db) as session:
        try:
            counts = restore_backup(session, source)
        except BackupError as error:
            fail([f"{file}: {error}"])
    rows = sum(counts.values())
    typer.echo(f"restored {rows} rows of {len(counts)} tables from {file}")


def client_export(
    client: ClientArg,
    output: Annotated[Path | None, typer.Option(help="File to write (default stdout).")] = None,
    db: DbOption = None,
) -> None:
    """Write everything held about a client to one JSON file (a subject-access request).

    Their details, every record (session SOAP notes, overrides, appointments), every plan kept,
    their sign-in accounts (no password hashes) and the audit entries about them.

    Example: sciatica client export "Ada Lovelace" --output ada-everything.json
    """
    import msgspec

    from sciatica_care.services.client_data import client_export as gather
    from sciatica_care.services.clients import find_client

    with store(db) as session:
        document = gather(session, client=find_client(session, client), now=clock().now())
    text = msgspec.json.format(msgspec.json.encode(document), indent=2) + b"\n"
    if output is None:
        sys.stdout.buffer.write(text)
        return
    try:
        write_private(output, text)
    except OSError as error:
        fail([f"--output: cannot write {str(output)!r}: {error.strerror}"])


def client_erase(
    client: ClientArg,
    confirm: Annotated[
        bool, typer.Option("--confirm", help="Yes: erase this client and all their data.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Erase a client and all their data for good; the audit log keeps only that it happened.

    Example: sciatica client erase 12 --confirm
    """
    from sciatica_care.services.client_data import erase_client
    from sciatica_care.services.clients import find_client

    if not confirm:
        fail([f"--confirm: erasing {client!r} removes all their data for good; add --confirm"])
    with store(db) as session:
        found = find_client(session, client)
        cid = found.id
        removed = erase_client(session, client=found, actor=actor(), now=clock().now())
    typer.echo(f"erased client {cid} and {removed - 1} records")


def register(app: typer.Typer, client_app: typer.Typer) -> None:
    """Add backup, restore, `client export` and `client erase` to the command line."""
    app.command()(backup)
    app.command()(restore)
    client_app.command("export")(client_export)
    client_app.command("erase")(client_erase)
