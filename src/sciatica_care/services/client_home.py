"""What a client sees of their own care: the check-in, the next session, the pain course, messages.

The check-in always asks about the emergency and urgent signs; a sign reported there is recorded
as a screening by `records.add_entry`, which answers with the alert at once.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.orm import Session

from sciatica_care.db import models
from sciatica_care.domain.codes import ALERT_LEVELS, SELF_CARE_ITEMS
from sciatica_care.domain.course import DayCourse
from sciatica_care.domain.holds import clinical_hold
from sciatica_care.domain.plan import CarePlan
from sciatica_care.domain.protocol import Protocol
from sciatica_care.services import planning
from sciatica_care.services.audit import audit
from sciatica_care.services.entries import Recorded
from sciatica_care.services.histories import history_document
from sciatica_care.services.planning import PlanCache
from sciatica_care.services.records import MAX_TEXT, add_entry
from sciatica_care.services.timeline import course

NONE_OF_THESE = "none"
# The signs in the client's own words; a sign the protocol adds later falls back to its question.
CLIENT_WORDS = {
    "saddle_numbness": "New numbness or tingling around your genitals, bottom or inner thighs,"
    " or wiping feels different",
    "bladder_change": "Trouble starting or stopping peeing, leaking, or not feeling when your"
    " bladder is full",
    "bowel_change": "Losing control of your bowels, or not feeling when you need to go",
    "bilateral_leg_symptoms": "Pain, numbness or weakness now in both legs",
    "new_sexual_dysfunction": "New problems with sex, or less feeling in your genitals",
    "progressive_weakness": "A leg or foot getting weaker: tripping, or a foot that drops or slaps",
    "suspected_dvt": "A calf that is swollen, warm, red or painful to touch",
    "fever_or_infection_signs": "A fever, chills or an infection",
    "significant_trauma": "A fall from a height or a road accident that hurt your back",
    "severe_motor_deficit": "A foot or leg suddenly very weak, or a foot that drops",
    "widespread_neurology": "Walking has become unsteady, or numbness or weakness is spreading",
    "possible_aaa": "A throbbing feeling in your tummy, or feeling faint or clammy with the pain",
}


@dataclass(frozen=True, slots=True)
class Sign:
    """A warning sign the check-in asks about: its finding code, level and plain words."""

    code: str
    level: str
    text: str


@dataclass(frozen=True, slots=True)
class CheckIn:
    """A check-in as the form sent it: numbers when they are numbers, other text kept as given."""

    leg_pain: int | str | None = None
    back_pain: int | str | None = None
    flare: bool | None = None
    self_care: tuple[str, ...] = ()
    note: str | None = None
    signs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NextSession:
    """The next booked session, or the plan's suggested date when none is booked."""

    day: date
    start: time | None
    booked: bool
    on_hold: bool = False  # booked, but the plan holds massage: the session cannot go ahead


@dataclass(frozen=True, slots=True)
class Post:
    """One message in a client's thread."""

    id: int
    kind: str
    body: str
    created_at: datetime
    read_at: datetime | None
    sender_id: int | None
    sender: str
    from_client: bool


def warning_signs(protocol: Protocol) -> tuple[Sign, ...]:
    """The emergency and urgent signs a check-in asks about, emergency first, in plain words."""
    signs = [
        Sign(code, spec.finding_class, CLIENT_WORDS.get(code, spec.question))
        for code, spec in protocol.findings.items()
        if spec.finding_class in ALERT_LEVELS
    ]
    return tuple(sorted(signs, key=lambda sign: ALERT_LEVELS.index(sign.level)))


def check_in_problems(answers: CheckIn, protocol: Protocol) -> dict[str, str]:
    """What is wrong with a check-in, by form field, in plain words; empty when it can be saved."""
    problems: dict[str, str] = {}
    for name in ("leg_pain", "back_pain"):
        value = getattr(answers, name)
        if value is not None and not (isinstance(value, int) and 0 <= value <= 10):
            problems[name] = "Choose a number from 0 to 10."
    if any(item not in SELF_CARE_ITEMS for item in answers.self_care):
        problems["self_care"] = "Tick only the self-care items listed."
    known = {sign.code for sign in warning_signs(protocol)}
    if not answers.signs:
        problems["signs"] = "Tick the signs you have noticed, or “None of these”."
    elif any(code not in known | {NONE_OF_THESE} for code in answers.signs):
        problems["signs"] = "Tick only the signs listed."
    if answers.note is not None and len(answers.note) > MAX_TEXT:
        problems["note"] = f"Keep the note under {MAX_TEXT} characters."
    said = (answers.leg_pain, answers.back_pain, answers.note, answers.flare or None)
    if all(value is None for value in said) and not answers.self_care and not reported(answers):
        problems.setdefault("leg_pain", "Choose your leg pain or back pain, or add a note.")
    return problems


def reported(answers: CheckIn) -> list[str]:
    """The warning signs a check-in reports: a ticked sign counts even beside “None of these”."""
    return [code for code in answers.signs if code != NONE_OF_THESE]


def check_in(
    db: Session,
    *,
    client: models.Client,
    answers: CheckIn,
    protocol: Protocol,
    actor: str,
    now: datetime,
    today: date,
) -> Recorded:
    """Stores a checked check-in as a diary entry; its signs join the screening and may alert."""
    body: dict[str, Any] = {
        "date": today.isoformat(),
        "leg_pain": answers.leg_pain,
        "back_pain": answers.back_pain,
        "flare": answers.flare,
        "self_care": list(answers.self_care),
        "note": answers.note,
        "signs": reported(answers),
    }
    return add_entry(
        db,
        client=client,
        kind="diary",
        body=body,
        protocol=protocol,
        actor=actor,
        now=now,
        today=today,
    )


def current_plan(
    db: Session, client: models.Client, protocol: Protocol, today: date, plans: PlanCache
) -> CarePlan:
    """The client's plan as of today, not stored; reused until the records change."""
    return planning.current_plan(db, client, today=today, protocol=protocol, plans=plans)


def next_session(
    db: Session, client: models.Client, plan: CarePlan, today: date
) -> NextSession | None:
    """The first booked session from today on; else the date the plan suggests, if any."""
    booked = db.execute(
        select(models.Appointment.date, models.Appointment.start_time)
        .where(models.Appointment.client_id == client.id, models.Appointment.date >= today)
        .order_by(models.Appointment.date, models.Appointment.start_time, models.Appointment.id)
        .limit(1)
    ).first()
    if booked is not None:
        on_hold = clinical_hold(plan) is not None
        return NextSession(day=booked.date, start=booked.start_time, booked=True, on_hold=on_hold)
    suggested = plan.cadence.next_session
    if suggested is None:
        return None
    return NextSession(day=max(suggested, today), start=None, booked=False)


def pain_course(db: Session, client: models.Client) -> list[DayCourse]:
    """Leg and back pain by day, as the care team's chart reads it (`domain.course`)."""
    return course(history_document(db, client))


def thread(db: Session, client: models.Client) -> list[Post]:
    """Every message between a client and their care team, oldest first."""
    rows = db.execute(
        select(models.Message, models.User)
        .outerjoin(models.User, models.User.id == models.Message.sender_id)
        .where(models.Message.client_id == client.id)
        .order_by(models.Message.created_at, models.Message.id)
    )
    return [
        Post(
            id=message.id,
            kind=message.kind,
            body=message.body,
            created_at=message.created_at,
            read_at=message.read_at,
            sender_id=message.sender_id,
            sender=(sender.name or sender.email) if sender is not None else "a former member",
            from_client=sender is not None and sender.role == "client",
        )
        for message, sender in rows
    ]


def _from_other_side(reader: models.User) -> ColumnElement[bool]:
    """The messages `reader` receives: a client's come from the care team, and the other way."""
    client_senders = select(models.User.id).where(models.User.role == "client")
    if reader.role == "client":
        return or_(
            models.Message.sender_id.is_(None), models.Message.sender_id.not_in(client_senders)
        )
    return models.Message.sender_id.in_(client_senders)


def unread_count(db: Session, client: models.Client, reader: models.User) -> int:
    """How many messages to `reader` in the client's thread are not read yet."""
    query = select(func.count(models.Message.id)).where(
        models.Message.client_id == client.id,
        models.Message.read_at.is_(None),
        _from_other_side(reader),
    )
    return db.scalar(query) or 0


def mark_read(db: Session, *, client: models.Client, reader: models.User, now: datetime) -> int:
    """Marks the messages `reader` receives in the client's thread as read; returns how many."""
    unread = list(
        db.scalars(
            select(models.Message).where(
                models.Message.client_id == client.id,
                models.Message.read_at.is_(None),
                _from_other_side(reader),
            )
        )
    )
    if not unread:
        return 0
    db.execute(
        update(models.Message)
        .where(models.Message.id.in_([m.id for m in unread]))
        .values(read_at=now)
        .execution_options(synchronize_session="fetch")
    )
    for message in unread:
        audit(db, actor=reader.email, action="read", record=message, client_id=client.id, now=now)
    return len(unread)
