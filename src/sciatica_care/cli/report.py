"""The `report` command: the one- or two-page PDF report for the client's doctor."""

from pathlib import Path
from typing import Annotated

import typer

from sciatica_care.cli.support import clinic_protocol, clock, fail, store
from sciatica_care.db.files import write_private

ClientArg = Annotated[str, typer.Argument(help="Client id or unique name.")]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help='PDF to write (default "<name>-report.pdf").')
]
DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (default: SCIATICA_DATABASE_URL or local SQLite)."),
]


def report(client: ClientArg, output: OutputOption = None, db: DbOption = None) -> None:
    """Write the report for the client's doctor as a PDF.

    Example: sciatica report "Ada Lovelace" --output ada-report.pdf
    """
    from sciatica_care.services.clients import find_client
    from sciatica_care.sharing.report.facts import doctor_report
    from sciatica_care.sharing.report.pdf import render

    with store(db) as session:
        found = find_client(session, client)
        facts = doctor_report(
            session, client=found, today=clock().today(), protocol=clinic_protocol()
        )
    target = output or Path(f"{_file_name(found.name)}-report.pdf")
    try:
        write_private(target, render(facts))
    except OSError as error:
        fail([f"--output: cannot write {str(target)!r}: {error.strerror}"], 1)
    typer.echo(f"report written: {target}")


def _file_name(name: str) -> str:
    """A client's name made safe as a file name in the current folder."""
    kept = "".join(c if c.isalnum() or c in " .-_" else "_" for c in name).strip(" .")
    return kept or "client"


def register(app: typer.Typer) -> None:
    """Adds the command to the main command line."""
    app.command()(report)
