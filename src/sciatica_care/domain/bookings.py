"""When two bookings clash: a session is one fixed length from its start; untimed ones hold a day.

A timed booking holds [start, start + SESSION_MINUTES). Two timed bookings on the same day clash
when those spans overlap, so back-to-back sessions (10:00 then 11:00) are fine. A booking without
a time means "some time that day": it clashes only with another untimed booking of the same day,
never with a timed one (the clinic fixes the time later, around what is already booked).
"""

from dataclasses import dataclass
from datetime import date, time

SESSION_MINUTES = 60


@dataclass(frozen=True, slots=True)
class Slot:
    """A booking's place in the calendar: its day and, if set, its start."""

    day: date
    start: time | None


def _minutes(start: time) -> int:
    return start.hour * 60 + start.minute


def clashes(a: Slot, b: Slot, *, minutes: int = SESSION_MINUTES) -> bool:
    """Whether two bookings of the same person overlap (see the module's rule)."""
    if a.day != b.day:
        return False
    if a.start is None or b.start is None:
        return a.start is None and b.start is None
    return abs(_minutes(a.start) - _minutes(b.start)) < minutes
