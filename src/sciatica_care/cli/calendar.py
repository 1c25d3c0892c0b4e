"""The `calendar` command: a client's calendar feed (iCalendar), as its secret link serves it."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from sciatica_care.cli.support import clinic_protocol, clock, fail, parse_day, store
from sciatica_care.db.files import write_private


def calendar(
    client: Annotated[str, typer.Argument(help="Client id or unique name.")],
    output: Annotated[Path | None, typer.Option(help="File to write (default stdout).")] = None,
    today: Annotated[
        str | None, typer.Option(help="Build the calendar as of this date (YYYY-MM-DD).")
    ] = None,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database URL (default: SCIATICA_DATABASE_URL or local SQLite)."),
    ] = None,
) -> None:
    """Print a client's calendar (ICS): sessions, check-in reminders and questionnaire dates.

    Example: sciatica calendar "Ada Lovelace" --output ada.ics
    """
    from sciatica_care.services.clients import find_client
    from sciatica_care.sharing.calendar.feed import client_calendar

    as_of = parse_day(today, "--today") or clock().today()
    with store(db) as session:
        text = client_calendar(
            session,
            client=find_client(session, client),
            today=as_of,
            protocol=clinic_protocol(),
        )
    if output is None:
        sys.stdout.buffer.write(text)
        return
    try:
        write_private(output, text)
    except OSError as error:
        fail([f"--output: cannot write {str(output)!r}: {error.strerror}"], 1)


def register(app: typer.Typer) -> None:
    """Adds the command to the main command line."""
    app.command()(calendar)
