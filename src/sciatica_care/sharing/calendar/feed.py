"""Calendar feeds (iCalendar, RFC 5545): a client's care, and a therapist's booked sessions.

A client's feed holds their booked sessions, the plan's suggested next session when none is
booked, a daily pain check-in reminder for the next two weeks and the date the next Oswestry
questionnaire is due. A therapist's feed holds the booked sessions of every client they may see.
Every event carries an alarm (VALARM).

Time zones: the app stores no clinic time zone, and needs none. A session booked with a start time
is a *floating* local time (`DTSTART:20260310T143000`, no TZID, no `Z`): a phone shows it at 14:30
wherever it is, which is the clinic's local time for clients who live near the clinic. Anything
without a time (sessions booked for a day, suggestions, reminders, due dates) is an all-day event
(`DTSTART;VALUE=DATE`). Alarms of all-day events are relative to the start of the day (PT9H is
09:00 that day), so they are floating too.

While the plan holds massage (an emergency or a finding that needs a doctor first), booked sessions
are marked "ON HOLD:" and tentative with the plan's triage action, the client's feed adds an
all-day event today pointing at the message about their care, and no next session is suggested.
The events are written by `calendar_ics`, where names never break the document.

Every event's UID is a uuid5 of the client, the kind of event and the appointment id or date, so
a calendar app that refreshes the feed updates its events instead of doubling them. DTSTAMP is the
start of `today` (UTC), so two builds on one day give the same bytes.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from sciatica_care.db import models
from sciatica_care.domain.holds import clinical_hold
from sciatica_care.domain.plan import CarePlan
from sciatica_care.domain.protocol import Protocol
from sciatica_care.services import access
from sciatica_care.services.planning import PlanCache, current_plan
from sciatica_care.sharing.calendar.ics import Item, event_uid, to_ics

PAST_DAYS = 30  # booked sessions this far back stay in the feed (a calendar keeps its history)
CHECK_IN_DAYS = 14
ODI_EVERY_DAYS = 28
# Review codes after which the next Oswestry is due now rather than 4 weeks after the last.
REASSESS_NOW = frozenset(
    {"worsening", "relapse", "function_worse", "not_improving_6_weeks", "not_improving_12_weeks"}
)
AT_NINE = timedelta(hours=9)  # from the start of an all-day event: 09:00 that day
NINE_THE_DAY_BEFORE = -timedelta(hours=15)
ON_HOLD = "ON HOLD: "


@dataclass(frozen=True, slots=True)
class Booked:
    """A booked session as a feed shows it."""

    id: int
    client_id: int
    client_name: str
    day: date
    start: time | None
    therapist: str | None


def session_items(
    booked: Iterable[Booked], *, for_therapist: bool, holds: Mapping[int, str] | None = None
) -> list[Item]:
    """Booked sessions: floating local times when a start time is booked, all-day otherwise.

    `holds` maps a client id to the triage action of a plan that holds massage: those sessions
    are marked "ON HOLD:", tentative, with the action in the description and the alarm.
    """
    items = []
    for b in booked:
        with_whom = f" with {b.therapist}" if b.therapist else ""
        summary = f"Massage: {b.client_name}" if for_therapist else "Massage session"
        description = f"Booked massage session{with_whom}."
        timed = b.start is not None
        alarm_text = "Massage session in one hour" if timed else "Massage session tomorrow"
        action = (holds or {}).get(b.client_id)
        if action is not None:
            summary = ON_HOLD + summary
            description = f"Massage is on hold: {action} {description}"
            alarm_text = f"{ON_HOLD}{alarm_text}. {action}"
        items.append(
            Item(
                uid=event_uid(b.client_id, "session", b.id),
                kind="session",
                summary=summary,
                description=description,
                day=b.day,
                start=b.start,
                alarm=-timedelta(hours=1) if timed else NINE_THE_DAY_BEFORE,
                alarm_text=alarm_text,
                busy=True,
                tentative=action is not None,
            )
        )
    return items


def care_items(
    client_id: int,
    *,
    plan: CarePlan,
    today: date,
    booked_ahead: bool,
    latest_odi: date | None,
) -> list[Item]:
    """The suggested next session, the check-in reminders and the next Oswestry's due date.

    While the plan holds massage: no suggested session, and an all-day event today that points
    at the message about the client's care, with the plan's triage action.
    """
    items = []
    action = clinical_hold(plan)
    if action is not None:
        items.append(
            Item(
                uid=event_uid(client_id, "on-hold", today.isoformat()),
                kind="on-hold",
                summary="See the message about your care",
                description=f"Massage is on hold. {action}",
                day=today,
                start=None,
                alarm=AT_NINE,
                alarm_text=f"See the message about your care: {action}",
            )
        )
    suggested = plan.cadence.next_session
    if suggested is not None and not booked_ahead and action is None:
        day = max(suggested, today)
        items.append(
            Item(
                uid=event_uid(client_id, "suggested", day.isoformat()),
                kind="suggested",
                summary="Suggested massage session (not booked yet)",
                description=f"Your care plan suggests a session about now. {plan.cadence.reason}",
                day=day,
                start=None,
                alarm=NINE_THE_DAY_BEFORE,
                alarm_text="Time to book your next massage session",
                tentative=True,
            )
        )
    for offset in range(CHECK_IN_DAYS):
        day = today + timedelta(days=offset)
        items.append(
            Item(
                uid=event_uid(client_id, "check-in", day.isoformat()),
                kind="check-in",
                summary="Pain check-in",
                description="Record today's leg and back pain in your diary.",
                day=day,
                start=None,
                alarm=AT_NINE,
                alarm_text="Pain check-in: how are your leg and back today?",
            )
        )
    due = oswestry_due(plan=plan, today=today, latest_odi=latest_odi)
    items.append(
        Item(
            uid=event_uid(client_id, "oswestry", due.isoformat()),
            kind="questionnaire",
            summary="Oswestry questionnaire due",
            description="Your therapist asks you to answer the Oswestry questionnaire again.",
            day=due,
            start=None,
            alarm=AT_NINE,
            alarm_text="The Oswestry questionnaire is due today",
        )
    )
    return items


def oswestry_due(*, plan: CarePlan, today: date, latest_odi: date | None) -> date:
    """Now when the plan's review asks for it or none was answered; else 4 weeks after the last."""
    if latest_odi is None:
        return today
    if latest_odi < today and any(r.code in REASSESS_NOW for r in plan.review):
        return today
    return max(latest_odi + timedelta(days=ODI_EVERY_DAYS), today)


def client_calendar(
    db: Session,
    *,
    client: models.Client,
    today: date,
    protocol: Protocol,
    plans: PlanCache | None = None,
) -> bytes:
    """A client's feed: booked and suggested sessions, check-ins, the next Oswestry."""
    plan = current_plan(db, client, today=today, protocol=protocol, plans=plans)
    booked = _booked(db, select(models.Client).where(models.Client.id == client.id), today)
    action = clinical_hold(plan)
    holds = {} if action is None else {client.id: action}
    items = session_items(booked, for_therapist=False, holds=holds)
    items += care_items(
        client.id,
        plan=plan,
        today=today,
        booked_ahead=any(b.day >= today for b in booked),
        latest_odi=_latest_odi(db, client.id),
    )
    return to_ics(
        items, name=f"Massage care: {client.name}", feed_key=f"client/{client.id}", today=today
    )


def therapist_calendar(
    db: Session,
    *,
    user: models.User,
    today: date,
    protocol: Protocol,
    plans: PlanCache | None = None,
) -> bytes:
    """A care team member's feed: the booked sessions of every client they may see.

    Sessions of a client whose plan holds massage are marked on hold, as in the client's feed.
    """
    booked = _booked(db, access.visible_clients(user), today)
    cache = plans if plans is not None else PlanCache()
    holds = {}
    for client_id in sorted({b.client_id for b in booked}):
        client = db.get_one(models.Client, client_id)
        action = clinical_hold(
            current_plan(db, client, today=today, protocol=protocol, plans=cache)
        )
        if action is not None:
            holds[client_id] = action
    items = session_items(booked, for_therapist=True, holds=holds)
    name = f"Massage sessions: {user.name or user.email}"
    return to_ics(items, name=name, feed_key=f"user/{user.id}", today=today)


def _booked(db: Session, clients: Select[models.Client], today: date) -> list[Booked]:
    """Sessions of the clients booked from `PAST_DAYS` ago on."""
    shown = clients.with_only_columns(models.Client.id)
    a = models.Appointment
    query = (
        select(
            a.id,
            a.client_id,
            models.Client.name,
            a.date,
            a.start_time,
            models.User.name,
            models.User.email,
        )
        .join(models.Client, models.Client.id == a.client_id)
        .outerjoin(models.User, models.User.id == a.therapist_id)
        .where(a.client_id.in_(shown), a.date >= today - timedelta(days=PAST_DAYS))
        .order_by(a.date, a.id)
    )
    return [
        Booked(row[0], row[1], row[2], row[3], row[4], row[5] or row[6])
        for row in db.execute(query)
    ]


def _latest_odi(db: Session, client_id: int) -> date | None:
    """The date of the client's latest Oswestry answers (JSON null and SQL NULL both mean none)."""
    a = models.Assessment
    rows = db.execute(select(a.date, a.odi).where(a.client_id == client_id))
    return max((day for day, odi in rows if odi), default=None)
