"""`sciatica demo`: fill an empty database with a demo clinic to try the app with."""

import typer

from sciatica_care.cli.records import DbOption
from sciatica_care.cli.support import FAILURE, clinic_protocol, clock, fail, store


def demo(db: DbOption = None) -> None:
    """Fill an EMPTY database with a demo clinic: an admin, two therapists and six clients
    with three months of assessments, sessions and diary (one client has a red flag).

    All demo accounts share one password, printed at the end: for trying the app only.

    Example: sciatica demo && sciatica serve
    """
    from sciatica_care.services.demo import CLINIC, PASSWORD, NotEmpty, fill_demo

    clinic = clock()
    now = clinic.now()
    today = clinic.date_of(now)
    with store(db) as session:
        try:
            filled = fill_demo(session, protocol=clinic_protocol(), today=today, now=now)
        except NotEmpty as error:
            fail([str(error)], FAILURE)
    counts = ", ".join(f"{count} {kind}" for kind, count in sorted(filled.counts.items()))
    typer.echo(f'Added the demo clinic "{CLINIC}": {counts}.')
    if filled.red_flags:
        typer.echo(f"Red flag (see them first): {', '.join(filled.red_flags)}.")
    typer.echo("\nAccounts:")
    for email, role in filled.accounts:
        typer.echo(f"  {role:<10} {email}")
    typer.echo(f"\nPassword of every demo account: {PASSWORD}")
    typer.echo(
        "WARNING: these accounts and their shared password are for trying the app only. "
        "Never put real clients in the demo database."
    )
    serve = "sciatica serve" + (f" --db {db}" if db else "")
    typer.echo(f"Next: {serve}, then sign in as admin@demo.example.")


def register(app: typer.Typer) -> None:
    """Adds `demo` to the main command line."""
    app.command()(demo)
