"""Readings: every assessment or diary entry with leg pain, in the order the contract fixes."""

from datetime import date
from operator import itemgetter
from typing import NamedTuple

from sciatica_care.domain.history import History


class Reading(NamedTuple):
    """One leg-pain reading (an assessment or a diary entry)."""

    date: date
    kind: int  # 0 = assessment, 1 = diary: on one date an assessment comes first
    leg_pain: int
    back_pain: int | None


_BY_DATE_THEN_KIND = itemgetter(0, 1)


def readings(history: History) -> list[Reading]:
    """All readings by date; on one date assessments before diary entries, then as listed."""
    found = [
        Reading(a.date, 0, a.leg_pain, a.back_pain)
        for a in history.assessments
        if a.leg_pain is not None
    ]
    found += [
        Reading(d.date, 1, d.leg_pain, d.back_pain) for d in history.diary if d.leg_pain is not None
    ]
    found.sort(key=_BY_DATE_THEN_KIND)
    return found
