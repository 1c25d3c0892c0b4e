"""The `sciatica` command line: thin Typer commands over the care engine.

Heavy imports live inside the commands so that `sciatica --help` stays fast.
"""

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

app = typer.Typer(
    help="sciatica-care: safe, explainable massage-therapy care plans for sciatica.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
protocol_app = typer.Typer(help="Show or check a protocol file.", no_args_is_help=True)
app.add_typer(protocol_app, name="protocol")

BAD_INPUT = 2


class Format(StrEnum):
    """How a plan is printed."""

    json = "json"
    text = "text"


class SchemaName(StrEnum):
    """The published JSON Schemas."""

    history = "history"
    plan = "plan"


def fail(problems: list[str], status: int = BAD_INPUT) -> NoReturn:
    """Print every problem on stderr and exit; nothing goes to stdout."""
    sys.stderr.write("".join(f"error: {problem}\n" for problem in problems))
    raise typer.Exit(status)


def _read_input(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(source).read_bytes()
    except OSError as error:
        fail([f"--input: cannot read {source!r}: {error.strerror}"])


def _load_protocol(path: Path | None):  # type: ignore[no-untyped-def]
    from sciatica_care.domain.protocol import ProtocolProblems, load_protocol
    from sciatica_care.engine import default_protocol

    if path is None:
        return default_protocol()
    try:
        return load_protocol(path.read_text(encoding="utf-8"))
    except OSError as error:
        fail([f"--protocol: cannot read {str(path)!r}: {error.strerror}"])
    except (ProtocolProblems, UnicodeDecodeError) as error:
        problems = getattr(error, "problems", [str(error)])
        fail([f"--protocol {path}: {problem}" for problem in problems])


def _parse_today(value: str | None):  # type: ignore[no-untyped-def]
    from sciatica_care.domain.history_checks import parse_date

    if value is None:
        return None
    parsed = parse_date(value)
    if parsed is None:
        fail([f"--today: must be a date YYYY-MM-DD, got {value!r}"])
    return parsed


@app.command()
def plan(
    input: Annotated[str, typer.Option("--input", "-i", help="History JSON file, or - for stdin.")],
    today: Annotated[str | None, typer.Option(help="Plan as of this date (YYYY-MM-DD).")] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="json or text.")] = Format.json,
    protocol: Annotated[
        Path | None, typer.Option(help="A protocol TOML file instead of the default.")
    ] = None,
) -> None:
    """Make the care plan for one client's history (sciatica-care/history@1).

    Example: sciatica plan --input history.json --today 2026-03-02 --format json
    """
    from datetime import date

    from sciatica_care.domain.history_parser import HistoryProblems
    from sciatica_care.engine import plan_history, plan_json

    as_of = _parse_today(today)
    rules = _load_protocol(protocol)
    raw = _read_input(input)
    try:
        care_plan = plan_history(raw, today=as_of, system_today=date.today(), protocol=rules)
    except HistoryProblems as error:
        fail(error.problems)
    if format is Format.json:
        sys.stdout.buffer.write(plan_json(care_plan))
    else:
        from sciatica_care.render_text import render_plan

        sys.stdout.write(render_plan(care_plan))


@protocol_app.command("show")
def protocol_show(
    file: Annotated[Path | None, typer.Argument(help="A protocol file (default: shipped).")] = None,
) -> None:
    """List every rule of a protocol with its text, thresholds and sources.

    Example: sciatica protocol show
    """
    from sciatica_care.render_text import render_protocol

    sys.stdout.write(render_protocol(_load_protocol(file)))


@protocol_app.command("check")
def protocol_check(
    file: Annotated[Path, typer.Argument(help="The protocol TOML file to validate.")],
) -> None:
    """Validate a protocol file: unknown keys, missing rules and bad thresholds are refused.

    Example: sciatica protocol check my-clinic.toml
    """
    rules = _load_protocol(file)
    sys.stdout.write(
        f"{file}: protocol {rules.id} {rules.version} is valid ({len(rules.rules)} rules)\n"
    )


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
