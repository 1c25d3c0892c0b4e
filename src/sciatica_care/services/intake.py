"""The care team's forms: screening questions, answers into entries, checks against the plan.

Form answers become the same entry bodies the API takes (services.records.add_entry checks them);
what only a form needs is checked here, each problem naming its field.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sciatica_care.db import models
from sciatica_care.domain.codes import FINDING_CLASSES, can_be_cleared
from sciatica_care.domain.plan import CarePlan, TriageFinding
from sciatica_care.domain.protocol import Protocol
from sciatica_care.services.errors import InputProblems
from sciatica_care.services.ids import parse_id
from sciatica_care.services.records import MAX_TEXT

# The sections of each questionnaire by number and a neutral topic: never the licensed wording.
ODI_TOPICS = (
    "pain intensity",
    "personal care",
    "lifting",
    "walking",
    "sitting",
    "standing",
    "sleeping",
    "sex life",
    "social life",
    "travelling",
)
STARTBACK_TOPICS = (
    "pain down the leg",
    "pain elsewhere (shoulder or neck)",
    "walking",
    "dressing",
    "activity and fear",
    "worry",
    "outlook on the pain",
    "mood",
    "how bothersome overall",
)
# Findings where the place matters: massage keeps away from it, or pressure is eased there.
SITED_RULES = frozenset({"precaution.avoid_site"})
SITED_CODES = frozenset(
    {"numbness", "suspected_dvt", "confirmed_dvt", "past_dvt", "varicose_veins", "recent_fracture"}
)
T = TypeVar("T")
DEFAULT_INTERVAL = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Question:
    """One screening question in plain words, with what a yes means."""

    code: str
    question: str
    action: str
    finding_class: str
    sited: bool


@dataclass(frozen=True, slots=True)
class QuestionGroup:
    """The questions of one level of severity."""

    finding_class: str
    questions: tuple[Question, ...]


def screening_questions(protocol: Protocol) -> tuple[QuestionGroup, ...]:
    """Every finding's question, grouped by class, the most severe (emergency) first."""
    groups = []
    for finding_class in reversed(FINDING_CLASSES):
        questions = tuple(
            Question(
                code=spec.code,
                question=spec.question,
                action=spec.action,
                finding_class=finding_class,
                sited=spec.rule in SITED_RULES or spec.code in SITED_CODES,
            )
            for spec in protocol.findings.values()
            if spec.finding_class == finding_class
        )
        if questions:
            groups.append(QuestionGroup(finding_class, questions))
    return tuple(groups)


def screening_body(
    *,
    day: str | None,
    findings: Sequence[str],
    none_of_these: bool,
    regions: Mapping[str, Sequence[str]],
    note: str | None,
) -> dict[str, Any]:
    """A screening entry; an empty form is refused, so "no findings" is always a choice made."""
    if not findings and not none_of_these:
        raise InputProblems(["findings: tick each sign that is present, or tick none of these"])
    if findings and none_of_these:
        raise InputProblems(["none: none of these is ticked, but so are some signs: untick one"])
    listed: list[Any] = [
        {"code": code, "regions": list(regions[code])} if regions.get(code) else code
        for code in findings
    ]
    return {"date": day, "findings": listed, "note": note}


def clearance_body(
    *,
    day: str | None,
    finding: str | None,
    by: str | None,
    note: str | None,
    role: str | None = None,
    expires: str | None = None,
    max_pressure: str | None = None,
) -> dict[str, Any]:
    """A clinician's clearance of one finding: the finding, who cleared it and their role, when
    it lapses (blank: the protocol's default) and the pressure it allows at most."""
    problems = []
    if finding is None:
        problems.append("finding: choose the finding that was cleared")
    if by is None or not by.strip():
        problems.append("by: name the clinician who cleared it")
    if role is None or not role.strip():
        problems.append("role: say the clinician's role (for example GP, midwife, oncologist)")
    if problems:
        raise InputProblems(problems)
    conditions = {"max_pressure": max_pressure} if max_pressure else None
    return {
        "date": day,
        "finding": finding,
        "by": by,
        "role": role,
        "expires": expires,
        "conditions": conditions,
        "note": note,
    }


def assessment_body(
    *,
    day: str | None,
    leg_pain: int | str | None,
    back_pain: int | str | None,
    odi: Sequence[int | str | None],
    startback: Sequence[int | str | None],
    regions: Mapping[str, Sequence[str]],
    note: str | None,
) -> dict[str, Any]:
    """An assessment entry: Oswestry sections may be skipped; STarT Back is all items or none."""
    answered = [answer is not None for answer in startback]
    if any(answered) and not all(answered):
        raise InputProblems(
            [
                f"startback_{number}: answer every item, or none to leave the questionnaire out"
                for number, done in enumerate(answered, start=1)
                if not done
            ]
        )
    marked = {layer: list(codes) for layer, codes in regions.items() if codes}
    return {
        "date": day,
        "leg_pain": leg_pain,
        "back_pain": back_pain,
        "odi": list(odi) if any(answer is not None for answer in odi) else None,
        "startback": list(startback) if any(answered) else None,
        "regions": marked or None,
        "note": note,
    }


@dataclass(frozen=True, slots=True)
class Booking:
    """A checked booking: the day, the time if any, and the therapist if any."""

    day: date
    start: time | None
    therapist_id: int | None
    note: str | None


def booking(
    *,
    day: str | None,
    start: str | None,
    therapist: str | None,
    therapists: Sequence[int],
    note: str | None,
) -> Booking:
    """A booking from a form's text; the therapist must be on the client's care team."""
    problems = []
    if note is not None and len(note) > MAX_TEXT:
        problems.append(f"note: must be at most {MAX_TEXT} characters")
    parsed_day = _parsed(date.fromisoformat, day)
    if parsed_day is None:
        problems.append(f"date: must be a date like 2026-03-02, got {day or 'nothing'}")
    parsed_start = _parsed(time.fromisoformat, start)
    if start is not None and parsed_start is None:
        problems.append(f"time: must be a time like 14:30, got {start}")
    therapist_id = parse_id(therapist)
    if therapist is not None and therapist_id not in therapists:
        problems.append("therapist: choose one of the client's therapists")
    if problems or parsed_day is None:
        raise InputProblems(problems)
    return Booking(parsed_day, parsed_start, therapist_id, note)


def _parsed(parse: Callable[[str], T], value: str | None) -> T | None:
    if value is None:
        return None
    try:
        return parse(value)
    except ValueError:
        return None


def clearable(protocol: Protocol, plan: CarePlan) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The findings a physician can clear: those waiting for a clearance now, then the rest."""
    codes = [code for code, spec in protocol.findings.items() if can_be_cleared(spec.finding_class)]
    waiting = tuple(f.code for f in plan.triage.findings if f.code in codes and not f.cleared)
    return waiting, tuple(code for code in codes if code not in waiting)


def notes_before_session(db: Session, *, client: models.Client) -> list[models.Message]:
    """The client's notes before a session written since the last session note, oldest first."""
    last = db.scalar(
        select(func.max(models.SessionNote.created_at)).where(
            models.SessionNote.client_id == client.id
        )
    )
    query = select(models.Message).where(
        models.Message.client_id == client.id, models.Message.kind == "before_session"
    )
    if last is not None:
        query = query.where(models.Message.created_at > last)
    return list(db.scalars(query.order_by(models.Message.created_at, models.Message.id)))


def subjective_text(notes: Sequence[models.Message]) -> str:
    """The client's own words for the S of a SOAP note, one note a paragraph."""
    return "\n\n".join(note.body for note in notes)


def overridable(plan: CarePlan, protocol: Protocol) -> tuple[TriageFinding, ...]:
    """The precautions in force that a therapist may lift for one session, with a reason."""
    return tuple(
        finding
        for finding in plan.triage.findings
        if (spec := protocol.findings.get(finding.code)) is not None
        and spec.finding_class == "modify"
    )


def next_session_day(plan: CarePlan, today: date) -> date:
    """The plan's next session date, else a week from today; never in the past."""
    planned = plan.cadence.next_session or today + DEFAULT_INTERVAL
    return max(planned, today)


@dataclass(frozen=True, slots=True)
class SavedSession:
    """A session note just written, with the precautions it lifted."""

    note: models.SessionNote
    overrides: tuple[models.TechniqueOverride, ...]


def saved_session(db: Session, *, client: models.Client, note_id: int) -> SavedSession | None:
    """One of the client's session notes and its overrides; None if it is not theirs."""
    note = db.get(models.SessionNote, note_id)
    if note is None or note.client_id != client.id:
        return None
    overrides = db.scalars(
        select(models.TechniqueOverride)
        .where(models.TechniqueOverride.session_note_id == note.id)
        .order_by(models.TechniqueOverride.id)
    )
    return SavedSession(note=note, overrides=tuple(overrides))
