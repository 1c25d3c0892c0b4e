"""Writing calendar events as iCalendar (RFC 5545): stable UIDs, floating times, alarms.

A timed event is a *floating* local time (no TZID, no `Z`); anything else is an all-day event.
Every event carries one DISPLAY alarm. Text never breaks the document: control characters (line
breaks included) in summaries, descriptions, alarms and the calendar's name become spaces.
"""

import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from icalendar import Alarm, Calendar, Event, vDuration
from icalendar.enums import STATUS, TRANSP

from sciatica_care.domain.bookings import SESSION_MINUTES

DOMAIN = "sciatica-care"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "calendar.sciatica-care.invalid")
PRODID = "-//sciatica-care//calendar feed//EN"
REFRESH = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Item:
    """One event of a feed: what, when (a day, or a day and a floating start), its alarm."""

    uid: str
    kind: str
    summary: str
    description: str
    day: date
    start: time | None
    alarm: timedelta
    alarm_text: str
    busy: bool = False
    tentative: bool = False


def event_uid(client_id: int, kind: str, key: object) -> str:
    """A UID that stays the same across refreshes: uuid5 of client, kind and key, and a domain."""
    return f"{uuid.uuid5(NAMESPACE, f'client/{client_id}/{kind}/{key}')}@{DOMAIN}"


def clean(text: str) -> str:
    """The text with every control character (newlines and tabs too) replaced by a space."""
    return "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text)


def to_ics(items: Sequence[Item], *, name: str, feed_key: str, today: date) -> bytes:
    """The items as an iCalendar document, in a stable order, every event with its alarm."""
    calendar = Calendar.new(
        prodid=PRODID,
        name=clean(name),
        uid=str(uuid.uuid5(NAMESPACE, f"feed/{feed_key}")),
    )
    # How often subscribers should fetch again: RFC 7986, and the older name some apps read.
    calendar.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    stamp = datetime.combine(today, time(), tzinfo=UTC)
    for item in sorted(items, key=lambda i: (i.day, i.start or time(), i.kind, i.uid)):
        calendar.add_component(_event(item, stamp))
    return bytes(calendar.to_ical())


def _event(item: Item, stamp: datetime) -> Event:
    start: date | datetime = item.day
    end: date | datetime = item.day + timedelta(days=1)
    if item.start is not None:
        start = datetime.combine(item.day, item.start)  # naive: a floating local time
        end = start + timedelta(minutes=SESSION_MINUTES)
    event = Event.new(
        uid=item.uid,
        summary=clean(item.summary),
        description=clean(item.description),
        start=start,
        end=end,
        stamp=stamp,
        categories=[item.kind],
        transparency=TRANSP.OPAQUE if item.busy else TRANSP.TRANSPARENT,
        status=STATUS.TENTATIVE if item.tentative else STATUS.CONFIRMED,
    )
    alarm = Alarm.new(description=clean(item.alarm_text))
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", item.alarm)
    event.add_component(alarm)
    return event
