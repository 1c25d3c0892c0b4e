"""A client's records by kind, for the web and the API: pages of entries, and adding one.

An entry's history fields are checked by the same rules as a history@1 document; the extra fields a
kind keeps beyond history@1 (SOAP parts, an override, red-flag signs) are checked here.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from sciatica_care.db import models
from sciatica_care.domain.bookings import SESSION_MINUTES, Slot, clashes
from sciatica_care.domain.codes import FINDING_CODES, can_be_cleared, is_alert
from sciatica_care.domain.history import MAX_NOTE
from sciatica_care.domain.history_checks import shown
from sciatica_care.domain.holds import booking_problems, held_on, held_session_problems
from sciatica_care.domain.plan import CarePlan
from sciatica_care.domain.protocol import Protocol
from sciatica_care.domain.text import note_problems
from sciatica_care.services.audit import audit
from sciatica_care.services.entries import (
    MAX_REASON,
    Recorded,
    add_override,
    checked,
    override_problems,
    record,
    report_signs,
)
from sciatica_care.services.errors import InputProblems
from sciatica_care.services.planning import current_plan

# An examination's maps: each an object keyed by myotome, reflex, dermatome or side.
EXAM_FIELDS = ("date", "power", "reflexes", "sensation", "slr", "crossed_slr", "femoral_stretch")
# The SOAP parts, messages and booking notes share the limit of a record's note.
MAX_TEXT = MAX_NOTE
# How far ahead a session may be booked: two years covers any course of care and a yearly review;
# a later date is a typing slip (9999-12-31) that no calendar or export should have to carry.
BOOKING_HORIZON = timedelta(days=2 * 366)


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of record: its table, its history@1 fields, and the text fields it adds."""

    table: type[Any]
    fields: tuple[str, ...]
    texts: tuple[str, ...] = ()


KINDS: dict[str, Kind] = {
    "screenings": Kind(models.Screening, ("date", "findings", "negatives", "source", "by", "note")),
    "clearances": Kind(
        models.Clearance, ("date", "finding", "by", "role", "expires", "conditions", "note")
    ),
    "outcomes": Kind(models.Outcome, ("date", "finding", "result", "by", "role", "note")),
    "examinations": Kind(models.Examination, (*EXAM_FIELDS, "by", "note")),
    "episodes": Kind(models.Episode, ("date", "onset", "note")),
    "assessments": Kind(
        models.Assessment,
        ("date", "leg_pain", "back_pain", "odi", "startback", "regions", "note"),
    ),
    "sessions": Kind(
        models.SessionNote,
        ("date", "techniques", "areas", "pressure", "minutes", "pain_before", "pain_after", "note"),
        texts=("subjective", "objective", "assessment", "plan"),
    ),
    "diary": Kind(
        models.DiaryEntry,
        ("date", "leg_pain", "back_pain", "flare", "self_care", "active_minutes", "note"),
    ),
}
# Fields a request may add to an entry beyond the kind's own.
ACTIONS = {
    "sessions": ("override", "reason", "reason_code", "on_hold_reason", "on_hold_note", "signs"),
    "diary": ("signs",),
}


def entries_page(
    db: Session, client: models.Client, kind: str, *, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of a client's `kind` entries, newest first, and how many there are in all."""
    table = KINDS[kind].table.__table__
    where = table.c.client_id == client.id
    total = db.scalar(select(func.count()).select_from(table).where(where)) or 0
    rows = db.execute(
        select(table)
        .where(where)
        .order_by(table.c.date.desc(), table.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    items = [
        {key: plain(value) for key, value in row._mapping.items() if key != "client_id"}
        for row in rows
    ]
    return items, total


def plain(value: Any) -> Any:
    """A column value as JSON can carry it."""
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    return value


def add_entry(
    db: Session,
    *,
    client: models.Client,
    kind: str,
    body: dict[str, Any],
    protocol: Protocol,
    actor: str,
    now: datetime,
    today: date,
    therapist_id: int | None = None,
) -> Recorded:
    """Checks and stores one entry of `kind`, with its signs and override; every problem at once."""
    spec = KINDS[kind]
    actions = ACTIONS.get(kind, ())
    allowed = (*spec.fields, *spec.texts, *actions)
    problems = [f"{key}: unknown field" for key in body if key not in allowed]
    texts = {key: body.get(key) for key in spec.texts if body.get(key) not in (None, "")}
    problems += [
        f"{key}: must be text of at most {MAX_TEXT} characters"
        for key, value in texts.items()
        if not isinstance(value, str) or len(value) > MAX_TEXT
    ]
    problems += note_problems(texts)
    signs = body.get("signs") or []
    if not isinstance(signs, list) or any(
        not isinstance(code, str) or code not in FINDING_CODES for code in signs
    ):
        problems.append(f"signs: must be a list of finding codes, got {shown(signs)}")
        signs = []
    override, reason, reason_code = (body.get(k) for k in ("override", "reason", "reason_code"))
    held_for: dict[str, Any] = {}
    if kind == "sessions":
        problems += override_problems(protocol, override, reason, reason_code)
        held_for = _held_session(db, client, body, protocol, today, problems)
    entry = {
        key: body[key] for key in spec.fields if key in body and body[key] not in (None, [], "")
    }
    if "date" not in entry:
        entry["date"] = today.isoformat()
    try:
        entry = checked(kind, entry, today)
    except InputProblems as error:
        problems += error.problems
    if kind == "clearances":
        problems += _clearance_problems(protocol, entry.get("finding"))
    if kind == "outcomes":
        problems += outcome_problems(protocol, entry)
    if problems:
        raise InputProblems(problems)
    extra: dict[str, Any] = dict(texts)
    if held_for:
        extra.update(on_hold_reason=held_for["reason"], on_hold_note=held_for["note"])
    if kind == "sessions" and therapist_id is not None:
        extra["therapist_id"] = therapist_id
    alert = report_signs(
        db, client=client, signs=signs, protocol=protocol, actor=actor, now=now, today=today
    )
    recorded = record(
        db,
        client=client,
        kind=kind,
        entry=entry,
        today=today,
        protocol=protocol,
        actor=actor,
        now=now,
        extra=extra,
        already_checked=True,
    )
    note = recorded.row
    if override and reason and reason_code and isinstance(note, models.SessionNote):
        add_override(
            db,
            note=note,
            finding=override,
            reason=reason,
            reason_code=reason_code,
            actor=actor,
            now=now,
        )
    if held_for:
        changes = {"reason": held_for["reason"], "triage": held_for["level"]}
        audit(
            db,
            actor=actor,
            action="session_on_hold",
            record=note,
            client_id=client.id,
            now=now,
            changes=changes,
        )
    if alert is not None and alert.alert is not None and recorded.alert is None:
        return Recorded(row=recorded.row, alert=alert.alert)
    return recorded


def _held_session(
    db: Session,
    client: models.Client,
    body: dict[str, Any],
    protocol: Protocol,
    today: date,
    problems: list[str],
) -> dict[str, Any]:
    """The confirmed reason for a session note while the plan holds massage (problems added).

    Returns the reason, the words and the triage level to keep, or nothing outside a hold.
    """
    plan = current_plan(db, client, today=today, protocol=protocol)
    code, words = body.get("on_hold_reason"), body.get("on_hold_note")
    try:
        day = date.fromisoformat(body.get("date") or today.isoformat())
    except (TypeError, ValueError):
        day = today  # the date's own problem is reported by the entry's checks
    techniques = body.get("techniques")
    found = held_session_problems(plan, day=day, techniques=techniques, code=code, words=words)
    if isinstance(words, str) and len(words) > MAX_REASON:
        found.append(f"on_hold_note: must be at most {MAX_REASON} characters")
    found += note_problems({"on_hold_note": words}) if isinstance(words, str) else []
    problems += found
    if found or not held_on(plan, day):
        return {}
    assert isinstance(words, str)
    return {"reason": code, "note": words.strip(), "level": plan.triage.level}


def _clearance_problems(protocol: Protocol, finding: object) -> list[str]:
    """A clearance names a see-doctor or clearance-needed finding: red flags are never cleared."""
    spec = protocol.findings.get(finding) if isinstance(finding, str) else None
    if spec is None or can_be_cleared(spec.finding_class):
        return []
    if finding == protocol.rule("precaution.spinal_surgery").word("finding"):
        return []  # the surgeon clears recent spinal surgery; the site is still avoided
    return [f"finding: {finding} is classed {spec.finding_class} and can never be cleared"]


def outcome_problems(protocol: Protocol, entry: dict[str, Any]) -> list[str]:
    """An outcome closes an emergency or urgent finding and names the clinician and their role."""
    problems = [
        f"{key}: an outcome names the clinician's {what}"
        for key, what in (("by", "name"), ("role", "role"))
        if not (isinstance(entry.get(key), str) and entry[key].strip())
    ]
    finding = entry.get("finding")
    spec = protocol.findings.get(finding) if isinstance(finding, str) else None
    combined = protocol.combinations.get(finding) if isinstance(finding, str) else None
    finding_class = spec.finding_class if spec else combined.finding_class if combined else None
    if finding_class is not None and not is_alert(finding_class):
        problems.append(
            f"finding: {finding} is classed {finding_class}: an outcome closes an emergency or "
            "urgent finding (a clearance is what lifts the others)"
        )
    return problems


def add_message(
    db: Session,
    *,
    client: models.Client,
    sender: models.User,
    body: str,
    kind: str,
    now: datetime,
) -> models.Message:
    """A message in a client's thread with their care team; `before_session` feeds the SOAP S."""
    problems = []
    if kind not in ("message", "before_session"):
        problems.append(f"kind: must be message or before_session, got {kind!r}")
    if not body.strip():
        problems.append("body: must not be empty")
    if len(body) > MAX_TEXT:
        problems.append(f"body: must be at most {MAX_TEXT} characters")
    problems += note_problems({"body": body})
    if problems:
        raise InputProblems(problems)
    message = models.Message(
        client_id=client.id, sender_id=sender.id, kind=kind, body=body.strip(), created_at=now
    )
    db.add(message)
    db.flush()
    audit(db, actor=sender.email, action="create", record=message, client_id=client.id, now=now)
    return message


def book(
    db: Session,
    *,
    client: models.Client,
    day: date,
    start: time | None,
    therapist_id: int | None,
    note: str | None,
    actor: str,
    now: datetime,
    today: date,
    plan: CarePlan,
) -> models.Appointment:
    """Books a massage session between the clinic's `today` and `BOOKING_HORIZON` ahead.

    Refused while the client's current `plan` holds massage, and on a clash.
    """
    problems = booking_problems(plan) + booking_date_problems(day, today)
    problems += note_problems({"note": note})
    if note is not None and len(note) > MAX_TEXT:
        problems.append(f"note: must be at most {MAX_TEXT} characters")
    if problems:
        raise InputProblems(problems)
    refuse_clash(db, client=client, day=day, start=start, therapist_id=therapist_id)
    appointment = models.Appointment(
        client_id=client.id,
        date=day,
        start_time=start,
        therapist_id=therapist_id,
        note=note,
        created_at=now,
    )
    db.add(appointment)
    db.flush()
    audit(db, actor=actor, action="create", record=appointment, client_id=client.id, now=now)
    return appointment


def booking_date_problems(day: date, today: date) -> list[str]:
    """Why a session cannot be booked on `day` (in the past, or beyond `BOOKING_HORIZON`)."""
    if day < today:
        return [f"date: must not be in the past, got {day.isoformat()}"]
    latest = today + BOOKING_HORIZON
    if day > latest:
        return [f"date: must be at most two years ahead ({latest.isoformat()}), got {day}"]
    return []


def refuse_clash(
    db: Session, *, client: models.Client, day: date, start: time | None, therapist_id: int | None
) -> None:
    """Refuses a booking that overlaps another of the same therapist or the same client.

    The client's row and then the therapist's are locked first (SELECT ... FOR UPDATE on
    PostgreSQL; a SQLite write transaction already holds the database's one write lock from its
    BEGIN IMMEDIATE), so two bookings made at once are checked one after the other.
    """
    _lock(db, models.Client, client.id)
    if therapist_id is not None:
        _lock(db, models.User, therapist_id)
    table = models.Appointment
    same = table.client_id == client.id
    if therapist_id is not None:
        same = or_(same, table.therapist_id == therapist_id)
    booked = db.execute(
        select(table.client_id, table.therapist_id, table.start_time, models.User)
        .outerjoin(models.User, models.User.id == table.therapist_id)
        .where(table.date == day, same)
        .order_by(table.start_time, table.id)
    ).all()
    wanted = Slot(day, start)
    problems = []
    for other_client, other_therapist, other_start, with_user in booked:
        if not clashes(wanted, Slot(day, other_start)):
            continue
        when = _when(day, other_start)
        if other_client == client.id:
            with_whom = f" with {_called(with_user)}" if with_user is not None else ""
            problems.append(f"{client.name} already has a session{with_whom} {when}")
        elif therapist_id is not None and other_therapist == therapist_id:
            # The other client is not named: the one booking may not be on their care team.
            problems.append(f"{_called(with_user)} already has a session {when}")
    if problems:
        field = "date" if start is None else "time"
        raise InputProblems([f"{field}: {problem}" for problem in dict.fromkeys(problems)])


def _lock(db: Session, table: type[models.Client] | type[models.User], row_id: int) -> None:
    db.execute(select(table.id).where(table.id == row_id).with_for_update())


def _when(day: date, start: time | None) -> str:
    if start is None:
        return f"without a time on {day.isoformat()}"
    minutes = start.hour * 60 + start.minute + SESSION_MINUTES
    end = f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"
    return f"from {start.strftime('%H:%M')} to {end} on {day.isoformat()}"


def _called(user: models.User) -> str:
    return user.name or user.email
