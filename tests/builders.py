"""Plain builders of history records and plans for the tests: real records, no mocks.

Every record goes through `msgspec.convert`, so a builder refuses what the history decoder
refuses (a pain of 11, an unknown region, an Oswestry of nine answers).
"""

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import TypeVar

import msgspec

from sciatica_care.domain.care_plan import build_care_plan
from sciatica_care.domain.history import (
    Assessment,
    Clearance,
    Client,
    DiaryEntry,
    Finding,
    History,
    Screening,
    Session,
)
from sciatica_care.domain.plan import CarePlan
from sciatica_care.engine import default_protocol

START = date(2026, 1, 5)

R = TypeVar("R", bound=msgspec.Struct)


def day(n: int) -> date:
    """The date `n` days after START."""
    return START + timedelta(days=n)


def _record(kind: type[R], **fields: object) -> R:
    """A record of `kind` from the fields given (None leaves a field out), checked like input."""
    return msgspec.convert({k: v for k, v in fields.items() if v is not None}, kind)


def assessment(
    when: date,
    leg: int | None = None,
    back: int | None = None,
    *,
    odi: Sequence[int | None] | None = None,
    startback: Sequence[int] | None = None,
    pain: Sequence[str] = (),
    numbness: Sequence[str] = (),
    tingling: Sequence[str] = (),
) -> Assessment:
    """An assessment; a body map is recorded when any layer marks a region."""
    marked = pain or numbness or tingling
    regions = {"pain": pain, "numbness": numbness, "tingling": tingling} if marked else None
    return _record(
        Assessment,
        date=when,
        leg_pain=leg,
        back_pain=back,
        odi=odi,
        startback=startback,
        regions=regions,
    )


def diary(
    when: date, leg: int | None = None, back: int | None = None, *, self_care: Sequence[str] = ()
) -> DiaryEntry:
    """A pain-diary check-in."""
    return _record(DiaryEntry, date=when, leg_pain=leg, back_pain=back, self_care=self_care)


def leg_pain_course(*points: tuple[int, int]) -> tuple[DiaryEntry, ...]:
    """Diary entries from (days after START, leg pain) pairs."""
    return tuple(diary(day(n), leg) for n, leg in points)


def session(
    when: date,
    *,
    techniques: Sequence[str] = (),
    areas: Sequence[str] = (),
    minutes: int | None = None,
    pressure: str | None = None,
) -> Session:
    """A massage session (only the date is required)."""
    return _record(
        Session, date=when, techniques=techniques, areas=areas, minutes=minutes, pressure=pressure
    )


def finding(code: str, *regions: str) -> Finding:
    """A screening finding with the body-map regions it applies to."""
    return _record(Finding, code=code, regions=regions)


def screening(when: date, *findings: str | Finding) -> Screening:
    """A screening listing every finding present on that date (none: a clear screening)."""
    return _record(Screening, date=when, findings=findings)


def clearance(
    when: date, code: str, by: str | None = "Dr A. Example", role: str | None = "GP"
) -> Clearance:
    """A clinician, named with their role, clears a finding for massage."""
    return _record(Clearance, date=when, finding=code, by=by, role=role)


CLEAR_SCREENING = screening(START)


def make_history(
    *,
    screenings: Iterable[Screening] = (CLEAR_SCREENING,),
    clearances: Iterable[Clearance] = (),
    assessments: Iterable[Assessment] = (),
    sessions: Iterable[Session] = (),
    diary: Iterable[DiaryEntry] = (),
    client: Client | None = None,
) -> History:
    """A history; by default screened clear on START and otherwise empty."""
    return History(
        client=client,
        screenings=tuple(screenings),
        clearances=tuple(clearances),
        assessments=tuple(assessments),
        sessions=tuple(sessions),
        diary=tuple(diary),
    )


def latest_date(history: History) -> date:
    """The date of the most recent entry of a history (START when it has none)."""
    dates = [
        *(s.date for s in history.screenings),
        *(c.date for c in history.clearances),
        *(a.date for a in history.assessments),
        *(s.date for s in history.sessions),
        *(d.date for d in history.diary),
    ]
    return max(dates, default=START)


def plan(history: History, today: date | None = None) -> CarePlan:
    """The care plan of the shipped protocol; `today` defaults to the history's latest date."""
    return build_care_plan(history, default_protocol(), today or latest_date(history))
