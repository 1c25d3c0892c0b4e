"""A client's records in date order, and their pain and Oswestry course."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import msgspec

from sciatica_care.domain.course import DayCourse, daily_course
from sciatica_care.domain.history import History


@dataclass(frozen=True, slots=True)
class Event:
    """One record on the timeline."""

    date: date
    kind: str
    summary: str


def _screening(entry: dict[str, Any]) -> str:
    codes = [f if isinstance(f, str) else f["code"] for f in entry.get("findings", [])]
    said = "signs reported at a check-in: " if entry.get("source") == "check_in" else ""
    answered_no = entry.get("negatives")
    no = f"; {len(answered_no)} answered no" if answered_no is not None else ""
    return said + "findings: " + (", ".join(codes) or "none") + no


def _clearance(entry: dict[str, Any]) -> str:
    return f"{entry.get('finding')} cleared by {entry.get('by') or 'a clinician'}"


def _examination(entry: dict[str, Any]) -> str:
    weak = [f"{k} {v}/5" for k, v in entry.get("power", {}).items() if v < 5]
    lost = [
        f"{k} {v}"
        for name in ("reflexes", "sensation")
        for k, v in entry.get(name, {}).items()
        if v in ("reduced", "absent")
    ]
    return "neurological examination: " + (", ".join(weak + lost) or "no deficit recorded")


def _episode(entry: dict[str, Any]) -> str:
    onset = entry.get("onset")
    return "a new episode of sciatica" + (f", symptoms since {onset}" if onset else "")


def _outcome(entry: dict[str, Any]) -> str:
    who = ", ".join(filter(None, (entry.get("by"), entry.get("role")))) or "no clinician named"
    return f"{entry.get('finding')}: {entry.get('result')}, by {who}"


def _session(entry: dict[str, Any]) -> str:
    techniques = ", ".join(entry.get("techniques", [])) or "techniques not recorded"
    pain = f"; leg pain {entry.get('pain_before')} -> {entry.get('pain_after')}"
    return techniques + (pain if entry.get("pain_before") is not None else "")


def _scores(entry: dict[str, Any]) -> str:
    """An assessment or a diary entry: its pain scores and a flare."""
    parts = [
        f"{label} {entry[key]}"
        for key, label in (("leg_pain", "leg"), ("back_pain", "back"))
        if entry.get(key) is not None
    ]
    if entry.get("flare"):
        parts.append("flare")
    return ", ".join(parts) or "no scores"


_KINDS: tuple[tuple[str, str, Callable[[dict[str, Any]], str]], ...] = (
    ("screenings", "screening", _screening),
    ("clearances", "clearance", _clearance),
    ("outcomes", "outcome", _outcome),
    ("examinations", "examination", _examination),
    ("episodes", "episode", _episode),
    ("assessments", "assessment", _scores),
    ("sessions", "session", _session),
    ("diary", "diary", _scores),
)


def timeline(document: dict[str, Any]) -> list[Event]:
    """Every record of a history@1 document, oldest first."""
    events = [
        Event(date.fromisoformat(entry["date"]), kind, summary(entry))
        for key, kind, summary in _KINDS
        for entry in document.get(key, [])
    ]
    events.sort(key=lambda event: event.date)
    return events


def course(document: dict[str, Any], min_sections: int = 8) -> list[DayCourse]:
    """The course by day of a history@1 document (see `domain.course.daily_course`)."""
    return daily_course(msgspec.convert(document, History), min_sections=min_sections)
