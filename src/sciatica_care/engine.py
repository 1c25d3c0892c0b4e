"""The care engine's front door for shells: bytes of a history in, plan JSON bytes out."""

from datetime import date
from functools import cache
from pathlib import Path

import msgspec

from sciatica_care.domain.care_plan import build_care_plan
from sciatica_care.domain.history_parser import parse_history
from sciatica_care.domain.plan import CarePlan
from sciatica_care.domain.protocol import Protocol, load_protocol

_ENCODER = msgspec.json.Encoder()
PACKAGE = Path(__file__).parent


@cache
def default_protocol() -> Protocol:
    """The protocol shipped in the package."""
    return load_protocol(default_protocol_text())


def default_protocol_text() -> str:
    """The TOML text of the shipped protocol."""
    return (PACKAGE / "protocols" / "default.toml").read_text(encoding="utf-8")


def plan_history(
    raw: bytes | str,
    *,
    today: date | None = None,
    system_today: date,
    protocol: Protocol | None = None,
    warnings: list[str] | None = None,
) -> CarePlan:
    """Parse, check and plan one history; raises HistoryProblems on bad input.

    Unknown fields are ignored and named in `warnings`.
    """
    history = parse_history(raw, today=today, system_today=system_today, warnings=warnings)
    assert history.today is not None
    return build_care_plan(history, protocol or default_protocol(), history.today)


def plan_json(plan: CarePlan) -> bytes:
    """The plan as deterministic, indented JSON ending in a newline."""
    return msgspec.json.format(_ENCODER.encode(plan), indent=2) + b"\n"
