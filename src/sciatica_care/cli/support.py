"""What every command shares: failing cleanly, the clock, dates and protocols, opening the store."""

import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from sciatica_care.clock import Clock
    from sciatica_care.domain.protocol import Protocol

BAD_INPUT = 2
FAILURE = 1
# Fields whose option is not `--` and the field's name; a client's name is an argument.
_OPTIONS = {
    "findings": "--finding",
    "techniques": "--technique",
    "areas": "--area",
    "signs": "--sign",
    "negatives": "--no",
    "avoid_techniques": "--avoid-technique",
    "avoid_regions": "--avoid-region",
    "reflexes": "--reflex",
    "name": "NAME",
}


def fail(problems: list[str], status: int = BAD_INPUT) -> NoReturn:
    """Print every problem on stderr and exit; nothing goes to stdout."""
    sys.stderr.write("".join(f"error: {problem}\n" for problem in problems))
    raise typer.Exit(status)


def clock() -> "Clock":
    """The clinic's clock: every command's `now` (UTC) and `today` (the clinic's date)."""
    from sciatica_care.settings import get_settings

    return get_settings().clock()


def parse_day(value: str | None, option: str) -> date | None:
    """A YYYY-MM-DD option value, or exit 2 naming the option."""
    from sciatica_care.domain.history_checks import parse_date

    if value is None:
        return None
    parsed = parse_date(value)
    if parsed is None:
        fail([f"{option}: must be a date YYYY-MM-DD, got {value!r}"])
    return parsed


def clinic_protocol(path: Path | None = None) -> "Protocol":
    """The protocol (shipped or from `path`) with the clinic's emergency number."""
    from sciatica_care.settings import get_settings

    return load_protocol(path).with_emergency_number(get_settings().emergency_number)


def load_protocol(path: Path | None) -> "Protocol":
    """The shipped protocol, or the one in `path` (exit 2 listing its problems)."""
    from sciatica_care.domain.protocol import ProtocolProblems
    from sciatica_care.domain.protocol import load_protocol as load
    from sciatica_care.engine import default_protocol

    if path is None:
        return default_protocol()
    try:
        return load(path.read_text(encoding="utf-8"))
    except OSError as error:
        fail([f"--protocol: cannot read {str(path)!r}: {error.strerror}"])
    except ProtocolProblems as error:
        fail([f"--protocol {path}: {problem}" for problem in error.problems])
    except UnicodeDecodeError as error:
        fail([f"--protocol {path}: not UTF-8 text: {error}"])


def option_name(field: str) -> str:
    """The command-line option for a field path: `regions.pain[0]` -> `--pain`."""
    head = field.split("[", maxsplit=1)[0]
    head = head.removeprefix("regions.").removeprefix("conditions.").split(".")[0]
    return _OPTIONS.get(head, "--" + head.replace("_", "-"))


@contextmanager
def store(
    db_url: str | None, fields: Mapping[str, str] | None = None, *, reading: bool = False
) -> Iterator["Session"]:
    """One transaction on the configured database, migrated first; every error is one line.

    `fields` names the command's argument or option of each neutral field a service may refuse.
    With `reading`, the transaction only reads and never takes SQLite's write lock: under WAL it
    sees the database as it was at its first read while writers go on (PostgreSQL: one
    REPEATABLE READ, READ ONLY snapshot).
    """
    from sqlalchemy.exc import SQLAlchemyError

    from sciatica_care.db.database import make_engine, session_factory, transaction
    from sciatica_care.db.files import PRIVATE_FOLDER, tighten
    from sciatica_care.db.migrate import upgrade
    from sciatica_care.services.errors import InputProblems, ServiceError
    from sciatica_care.settings import get_settings

    settings = get_settings()
    tighten(settings.home, PRIVATE_FOLDER)
    url = db_url or settings.database()
    try:
        engine = make_engine(url)
        upgrade(engine)
        if reading:
            engine.dispose()
            engine = make_engine(url, for_writing=False)
    except SQLAlchemyError as error:
        fail([f"cannot open the database: {error.__class__.__name__}: {error.args[0]}"], FAILURE)
    try:
        with transaction(session_factory(engine)) as session:
            yield session
    except InputProblems as error:
        fail([_named(problem, fields or {}) for problem in error.problems])
    except ServiceError as error:
        fail([str(error)])
    except SQLAlchemyError as error:
        fail([f"the database refused the change: {error.__class__.__name__}"], FAILURE)
    finally:
        engine.dispose()


def _named(problem: str, fields: Mapping[str, str]) -> str:
    field, _, message = problem.partition(": ")
    return f"{fields[field]}: {message}" if field in fields else problem


def actor() -> str:
    """Who is acting, for the audit log."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):
        return "cli"
