"""The `sciatica` command line: thin Typer commands over the care engine and the records.

Heavy imports live inside the commands so that `sciatica --help` and `plan --input` stay fast.
"""

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from sciatica_care.cli import admin as cli_admin
from sciatica_care.cli import calendar as cli_calendar
from sciatica_care.cli import demo as cli_demo
from sciatica_care.cli import records as cli_records
from sciatica_care.cli import report as cli_report
from sciatica_care.cli import web as cli_web
from sciatica_care.cli.support import fail, load_protocol, parse_day

app = typer.Typer(
    help="sciatica-care: safe, explainable massage-therapy care plans for sciatica.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
protocol_app = typer.Typer(help="Show or check a protocol file.", no_args_is_help=True)
app.add_typer(protocol_app, name="protocol")
cli_records.register(app)
cli_admin.register(app, cli_records.client_app)
cli_web.register(app)
cli_demo.register(app)
cli_report.register(app)
cli_calendar.register(app)


class Format(StrEnum):
    """How a plan is printed."""

    json = "json"
    text = "text"


class SchemaName(StrEnum):
    """The published JSON Schemas."""

    history = "history"
    plan = "plan"


def _read_input(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(source).read_bytes()
    except OSError as error:
        fail([f"--input: cannot read {source!r}: {error.strerror}"])


@app.command()
def plan(
    client: Annotated[
        str | None, typer.Argument(help="A stored client (id or unique name), or use --input.")
    ] = None,
    input: Annotated[
        str | None, typer.Option("--input", "-i", help="History JSON file, or - for stdin.")
    ] = None,
    today: Annotated[str | None, typer.Option(help="Plan as of this date (YYYY-MM-DD).")] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="json or text.")] = Format.json,
    protocol: Annotated[
        Path | None, typer.Option(help="A protocol TOML file instead of the default.")
    ] = None,
    db: Annotated[str | None, typer.Option("--db", help="Database URL (with CLIENT).")] = None,
    emergency_number: Annotated[
        str | None,
        typer.Option(
            envvar="SCIATICA_EMERGENCY_NUMBER",
            help="The number emergency actions tell the client to call (default 999).",
        ),
    ] = None,
) -> None:
    """Make the care plan of a history file (sciatica-care/history@1) or of a stored client.

    Example: sciatica plan --input history.json --today 2026-03-02 --format json

    Example: sciatica plan "Ada Lovelace" --format text
    """
    from sciatica_care.clock import Clock
    from sciatica_care.domain.history_parser import HistoryProblems
    from sciatica_care.engine import plan_history, plan_json

    if (client is None) == (input is None):
        fail(["give a CLIENT or --input FILE (one of them)"])
    as_of = parse_day(today, "--today")
    if client is not None:
        care_plan = cli_records.plan_client(client, as_of, protocol, db)
    else:
        # Read here, not from the settings, for the same start-up cost as the clock below.
        rules = load_protocol(protocol).with_emergency_number(emergency_number)
        raw = _read_input(input or "-")
        warnings: list[str] = []
        # A file is planned as of --today, else its own `today`, else this machine's date: the
        # settings (and the clinic's zone) would cost this command a third of its start-up.
        machine_today = Clock().today()
        try:
            care_plan = plan_history(
                raw, today=as_of, system_today=machine_today, protocol=rules, warnings=warnings
            )
        except HistoryProblems as error:
            fail(error.problems)
        sys.stderr.write("".join(f"warning: {warning}\n" for warning in warnings))
    if format is Format.json:
        sys.stdout.buffer.write(plan_json(care_plan))
        return
    from sciatica_care.cli.render_text import render_plan

    sys.stdout.write(render_plan(care_plan))


@protocol_app.command("show")
def protocol_show(
    file: Annotated[Path | None, typer.Argument(help="A protocol file (default: shipped).")] = None,
) -> None:
    """List every rule of a protocol with its text, thresholds and sources.

    Example: sciatica protocol show
    """
    from sciatica_care.cli.render_text import render_protocol

    sys.stdout.write(render_protocol(load_protocol(file)))


@protocol_app.command("check")
def protocol_check(
    file: Annotated[Path, typer.Argument(help="The protocol TOML file to validate.")],
) -> None:
    """Validate a protocol file: unknown keys, missing rules and bad thresholds are refused.

    Example: sciatica protocol check my-clinic.toml
    """
    rules = load_protocol(file)
    count = len(rules.rules)
    sys.stdout.write(f"{file}: protocol {rules.id} {rules.version} is valid ({count} rules)\n")


@app.command()
def schema(
    name: Annotated[SchemaName, typer.Argument(help="history or plan.")],
) -> None:
    """Print the JSON Schema of a history@1 or plan@1 document.

    Example: sciatica schema history > history.schema.json
    """
    from sciatica_care.engine import PACKAGE

    sys.stdout.write((PACKAGE / "schemas" / f"{name.value}.schema.json").read_text("utf-8"))


def main() -> None:
    """Run the command line; an unexpected failure is one line on stderr, not a traceback."""
    debug = "--debug" in sys.argv
    if debug:
        sys.argv.remove("--debug")
    try:
        app(standalone_mode=True)
    except SystemExit:
        raise
    except Exception as error:
        if debug:
            raise
        sys.stderr.write(f"error: unexpected failure: {type(error).__name__}: {error}\n")
        sys.stderr.write("Run again with --debug for the details.\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
