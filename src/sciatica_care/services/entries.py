"""Recording what happens: screenings, clearances, assessments, sessions, diary check-ins.

Each entry is checked by the same rules as a history@1 document, stored, audited, and checked for
red flags: an entry that carries an emergency or urgent sign answers with the triage message.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import msgspec
from sqlalchemy.orm import Session

from sciatica_care.db import models
from sciatica_care.domain.body_map import latest_body_map
from sciatica_care.domain.codes import is_alert
from sciatica_care.domain.history import History
from sciatica_care.domain.history_checks import UNKNOWN_FIELD, check_document
from sciatica_care.domain.history_parser import known_entry
from sciatica_care.domain.holds import OVERRIDE_REASONS, reason_problems
from sciatica_care.domain.protocol import Protocol
from sciatica_care.domain.screening import triage
from sciatica_care.domain.text import note_problems
from sciatica_care.services import revisions
from sciatica_care.services.audit import audit
from sciatica_care.services.errors import InputProblems

MAX_REASON = 2_000  # why a precaution is lifted for one session: a few sentences
# List columns that an entry may leave out; they are stored empty.
_LISTS: dict[str, tuple[str, ...]] = {
    "screenings": ("findings",),
    "sessions": ("techniques", "areas"),
    "diary": ("self_care",),
}
# Map columns likewise: an examination may leave out what was not examined.
_MAPS: dict[str, tuple[str, ...]] = {
    "examinations": ("power", "reflexes", "sensation", "slr", "crossed_slr", "femoral_stretch"),
}
_ROWS: dict[str, type[models.Base]] = {
    "screenings": models.Screening,
    "clearances": models.Clearance,
    "outcomes": models.Outcome,
    "examinations": models.Examination,
    "episodes": models.Episode,
    "assessments": models.Assessment,
    "sessions": models.SessionNote,
    "diary": models.DiaryEntry,
}


@dataclass(frozen=True, slots=True)
class Alert:
    """A red flag carried by an entry: its level, what to do and the signs."""

    level: str
    action: str
    signs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Recorded:
    """A stored entry and the alert it raised, if any."""

    row: models.Base
    alert: Alert | None


def checked(kind: str, entry: dict[str, Any], today: date) -> dict[str, Any]:
    """The entry as stored if it is valid as one `kind` record; else InputProblems by field.

    Unlike a whole history@1 document, an entry to store refuses unknown fields at any depth. A
    null list at any depth (`"regions": null`) is read as empty, as the planner reads it.
    """
    problems, unknown = check_document({kind: [entry]}, today)
    problems += [item.replace(UNKNOWN_FIELD, "unknown field") for item in unknown]
    prefix = f"{kind}[0]."
    if problems:
        raise InputProblems([p.removeprefix(prefix) for p in problems])
    return known_entry(kind, entry)


def red_flag(kind: str, entry: dict[str, Any], protocol: Protocol) -> Alert | None:
    """The emergency or urgent triage that this entry alone calls for."""
    if kind not in ("screenings", "assessments", "examinations"):
        return None  # (a new deficit against an earlier examination shows in the plan)
    screened = {"date": entry["date"], "findings": []}
    document = (
        {kind: [entry]} if kind == "screenings" else {kind: [entry], "screenings": [screened]}
    )
    history = msgspec.convert(document, History)
    result = triage(history, latest_body_map(history), protocol).triage
    if not is_alert(result.level):
        return None
    signs = tuple(f.code for f in result.findings if f.level == result.level)
    return Alert(level=result.level, action=result.action, signs=signs)


def record(
    db: Session,
    *,
    client: models.Client,
    kind: str,
    entry: dict[str, Any],
    today: date,
    protocol: Protocol,
    actor: str,
    now: datetime,
    extra: dict[str, Any] | None = None,
    already_checked: bool = False,
) -> Recorded:
    """Checks, stores and audits one entry; returns it with any red-flag alert.

    `already_checked` says the caller has just run `checked` on this very entry.
    """
    valid = entry if already_checked else checked(kind, entry, today)
    fields = {**valid, **(extra or {})}
    fields["date"] = date.fromisoformat(valid["date"])
    for name in ("expires", "onset"):  # a clearance's last day, an episode's onset
        if valid.get(name) is not None:
            fields[name] = date.fromisoformat(valid[name])
    for name in _LISTS.get(kind, ()):
        fields.setdefault(name, [])
    for name in _MAPS.get(kind, ()):
        fields.setdefault(name, {})
    row = _ROWS[kind](client_id=client.id, created_at=now, **fields)
    db.add(row)
    db.flush()
    audit(
        db,
        actor=actor,
        action="create",
        record=row,
        client_id=client.id,
        now=now,
        changes={"fields": sorted(fields)},
    )
    return Recorded(row=row, alert=red_flag(kind, valid, protocol))


def report_signs(
    db: Session,
    *,
    client: models.Client,
    signs: list[str],
    protocol: Protocol,
    actor: str,
    now: datetime,
    today: date,
) -> Recorded | None:
    """Red-flag signs reported at a check-in, stored as what they are: a `check_in` screening of
    those signs only, dated today, asked by nobody (protocol 2026.2, B1).

    It never stands for a full screening: the signs join the findings in force (an emergency or
    urgent one stays open until its outcome is recorded), and nothing else is read from it. It is
    dated the day it is made, so the care team's triage sees it even when the check-in it came
    with is back-dated. Each sign appears once.
    """
    if not signs:
        return None
    revisions.lock(db, client.id)  # reports on one client are stored one after the other
    entry = {
        "date": today.isoformat(),
        "findings": list(dict.fromkeys(signs)),
        "source": "check_in",
    }
    return record(
        db,
        client=client,
        kind="screenings",
        entry=entry,
        today=today,
        protocol=protocol,
        actor=actor,
        now=now,
    )


def override_problems(
    protocol: Protocol, code: str | None, reason: str | None, reason_code: str | None = None
) -> list[str]:
    """Why a precaution cannot be lifted for a session (by field), or nothing.

    An override names a modifying finding, a clinical reason from `OVERRIDE_REASONS`
    (`reason_code`) and the therapist's words (`reason`); the client's wish is never one.
    """
    if code is None:
        given = {"reason": reason, "reason_code": reason_code}
        return [
            f"{name}: only with an override" for name, value in given.items() if value is not None
        ]
    if not isinstance(code, str) or not isinstance(reason, (str, type(None))):
        return [f"override: must be a finding code with a reason in words, got {code!r}"]
    spec = protocol.findings.get(code)
    if spec is None:
        return [f"override: {code!r} is not a finding code"]
    if spec.finding_class != "modify":
        return [f"override: {code} is classed {spec.finding_class} and can never be overridden"]
    fields = ("reason_code", "reason")
    problems = reason_problems(fields, reason_code, reason, OVERRIDE_REASONS, needed=True)
    if reason and len(reason) > MAX_REASON:
        problems.append(f"reason: must be at most {MAX_REASON} characters")
    return problems or note_problems({"reason": reason})


def add_override(
    db: Session,
    *,
    note: models.SessionNote,
    finding: str,
    reason: str,
    reason_code: str,
    actor: str,
    now: datetime,
) -> None:
    """Records that a modifying precaution was lifted for this session, and why."""
    row = models.TechniqueOverride(
        session_note_id=note.id,
        finding=finding,
        reason=reason.strip(),
        reason_code=reason_code,
        created_at=now,
    )
    db.add(row)
    db.flush()
    audit(db, actor=actor, action="override", record=row, client_id=note.client_id, now=now)
