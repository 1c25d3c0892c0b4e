"""A client's records in date order, and their pain and Oswestry course, for the terminal."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sciatica_care.domain.instruments import odi_percent


@dataclass(frozen=True, slots=True)
class Event:
    """One record on the timeline."""

    date: date
    kind: str
    summary: str


@dataclass(frozen=True, slots=True)
class Point:
    """Pain and Oswestry on one day, and whether a session took place."""

    date: date
    leg_pain: int | None
    back_pain: int | None
    odi_percent: float | None
    session: bool


def _summary(kind: str, entry: dict[str, Any]) -> str:
    if kind == "screening":
        codes = [f if isinstance(f, str) else f["code"] for f in entry.get("findings", [])]
        return "findings: " + (", ".join(codes) or "none")
    if kind == "clearance":
        return f"{entry.get('finding')} cleared by {entry.get('by') or 'a clinician'}"
    if kind == "session":
        techniques = ", ".join(entry.get("techniques", [])) or "techniques not recorded"
        pain = f"; leg pain {entry.get('pain_before')} -> {entry.get('pain_after')}"
        return techniques + (pain if entry.get("pain_before") is not None else "")
    parts = [
        f"{label} {entry[key]}"
        for key, label in (("leg_pain", "leg"), ("back_pain", "back"))
        if entry.get(key) is not None
    ]
    if entry.get("flare"):
        parts.append("flare")
    return ", ".join(parts) or "no scores"


_KINDS = (
    ("screenings", "screening"),
    ("clearances", "clearance"),
    ("assessments", "assessment"),
    ("sessions", "session"),
    ("diary", "diary"),
)


def timeline(document: dict[str, Any]) -> list[Event]:
    """Every record of a history@1 document, oldest first."""
    events = [
        Event(date.fromisoformat(entry["date"]), kind, _summary(kind, entry))
        for key, kind in _KINDS
        for entry in document.get(key, [])
    ]
    events.sort(key=lambda event: event.date)
    return events


def course(document: dict[str, Any], min_sections: int = 8) -> list[Point]:
    """Per day: the last leg and back pain given, the day's Oswestry, and whether a session was."""
    days: dict[date, dict[str, Any]] = {}
    for key in ("assessments", "diary"):
        for entry in document.get(key, []):
            day = days.setdefault(date.fromisoformat(entry["date"]), {})
            for field in ("leg_pain", "back_pain"):
                if entry.get(field) is not None:
                    day[field] = entry[field]
            if key == "assessments" and entry.get("odi"):
                score = odi_percent(entry["odi"], min_sections)
                if score is not None:
                    day["odi"] = score
    for entry in document.get("sessions", []):
        days.setdefault(date.fromisoformat(entry["date"]), {})["session"] = True
    return [
        Point(day, v.get("leg_pain"), v.get("back_pain"), v.get("odi"), bool(v.get("session")))
        for day, v in sorted(days.items())
    ]
