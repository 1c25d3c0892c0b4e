"""A client's course by day: leg and back pain, Oswestry, and the days a session took place.

One meaning for every chart and table (the care team's page, the client's own chart, the
terminal and the doctor's report): on a day with several readings the last one counts, in the
order the contract fixes for readings (assessments before diary entries, then as listed).
"""

from dataclasses import dataclass
from datetime import date

from sciatica_care.domain.history import Assessment, DiaryEntry, History
from sciatica_care.domain.instruments import odi_percent


@dataclass(frozen=True, slots=True)
class DayCourse:
    """Pain and Oswestry on one day, and whether a session took place."""

    date: date
    leg_pain: int | None
    back_pain: int | None
    odi_percent: float | None
    session: bool


@dataclass(slots=True)
class _Day:
    leg_pain: int | None = None
    back_pain: int | None = None
    odi_percent: float | None = None
    session: bool = False


def daily_course(history: History, *, min_sections: int) -> list[DayCourse]:
    """Per day, oldest first: the day's last leg and back pain, its Oswestry, and any session."""
    days: dict[date, _Day] = {}
    entries: list[Assessment | DiaryEntry] = [*history.assessments, *history.diary]
    for entry in sorted(entries, key=lambda e: e.date):
        day = days.setdefault(entry.date, _Day())
        day.leg_pain = entry.leg_pain if entry.leg_pain is not None else day.leg_pain
        day.back_pain = entry.back_pain if entry.back_pain is not None else day.back_pain
    for assessment in history.assessments:
        score = odi_percent(assessment.odi, min_sections) if assessment.odi else None
        if score is not None:
            days[assessment.date].odi_percent = score
    for session in history.sessions:
        days.setdefault(session.date, _Day()).session = True
    return [
        DayCourse(when, day.leg_pain, day.back_pain, day.odi_percent, day.session)
        for when, day in sorted(days.items())
    ]
