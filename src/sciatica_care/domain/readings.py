"""Readings: every assessment or diary entry with leg pain, in the order the contract fixes."""

from datetime import date
from operator import attrgetter
from typing import Protocol, cast

from sciatica_care.domain.history import History


class Reading(Protocol):
    """One leg-pain reading: an assessment or a diary entry that has leg pain."""

    @property
    def date(self) -> date:
        """When it was taken."""

    @property
    def leg_pain(self) -> int:
        """Leg pain 0..10 (always present on a reading)."""

    @property
    def back_pain(self) -> int | None:
        """Back pain 0..10, if recorded."""


_BY_DATE = attrgetter("date")


def readings(history: History) -> list[Reading]:
    """All readings by date; on one date assessments before diary entries, then as listed.

    One stable sort of assessments followed by diary entries gives exactly that order.
    """
    found = [a for a in history.assessments if a.leg_pain is not None]
    found += [d for d in history.diary if d.leg_pain is not None]  # type: ignore[misc]
    found.sort(key=_BY_DATE)
    return cast(list[Reading], found)
