"""A client's records as a history@1 document, and a history@1 document into records."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sciatica_care.db import models
from sciatica_care.domain.history import HISTORY_SCHEMA, History
from sciatica_care.services.audit import audit


def _rows(db: Session, table: type[Any], client_id: int) -> list[Any]:
    query = select(table).where(table.client_id == client_id).order_by(table.date, table.id)
    return list(db.scalars(query))


def _dated(values: dict[str, Any]) -> dict[str, Any]:
    """A record without its empty optional fields, its date in ISO form."""
    out = {"date": values.pop("date").isoformat()}
    out.update({key: value for key, value in values.items() if value is not None})
    return out


def history_document(db: Session, client: models.Client) -> dict[str, Any]:
    """Everything the engine reads about a client, as a history@1 document (no `today`)."""
    cid = client.id
    document: dict[str, Any] = {"schema": HISTORY_SCHEMA}
    person = {"birth_year": client.birth_year, "sex": client.sex}
    document["client"] = {key: value for key, value in person.items() if value is not None}
    document["screenings"] = [
        _dated({"date": s.date, "findings": s.findings, "note": s.note})
        for s in _rows(db, models.Screening, cid)
    ]
    document["clearances"] = [
        _dated({"date": c.date, "finding": c.finding, "by": c.by, "note": c.note})
        for c in _rows(db, models.Clearance, cid)
    ]
    document["assessments"] = [
        _dated(
            {
                "date": a.date,
                "leg_pain": a.leg_pain,
                "back_pain": a.back_pain,
                "odi": a.odi,
                "startback": a.startback,
                "regions": a.regions,
                "note": a.note,
            }
        )
        for a in _rows(db, models.Assessment, cid)
    ]
    document["sessions"] = [
        _dated(
            {
                "date": s.date,
                "techniques": s.techniques,
                "areas": s.areas,
                "pressure": s.pressure,
                "minutes": s.minutes,
                "pain_before": s.pain_before,
                "pain_after": s.pain_after,
                "note": s.note,
            }
        )
        for s in _rows(db, models.SessionNote, cid)
    ]
    document["diary"] = [
        _dated(
            {
                "date": d.date,
                "leg_pain": d.leg_pain,
                "back_pain": d.back_pain,
                "active_minutes": d.active_minutes,
                "self_care": d.self_care,
                "flare": d.flare,
                "note": d.note,
            }
        )
        for d in _rows(db, models.DiaryEntry, cid)
    ]
    return document


def store_history(
    db: Session, *, client: models.Client, history: History, actor: str, now: datetime
) -> int:
    """Adds every record of a checked history to a client; returns how many were added."""
    rows: list[models.Base] = []
    if history.client is not None:
        client.birth_year = history.client.birth_year or client.birth_year
        client.sex = history.client.sex or client.sex
    for screening in history.screenings:
        findings = [f if isinstance(f, str) else _finding(f) for f in screening.findings]
        rows.append(models.Screening(date=screening.date, findings=findings, note=screening.note))
    for c in history.clearances:
        rows.append(models.Clearance(date=c.date, finding=c.finding, by=c.by, note=c.note))
    for a in history.assessments:
        regions = None
        if a.regions is not None:
            regions = {k: list(v) for k, v in _struct(a.regions).items() if v}
        rows.append(
            models.Assessment(
                date=a.date,
                leg_pain=a.leg_pain,
                back_pain=a.back_pain,
                odi=None if a.odi is None else list(a.odi),
                startback=None if a.startback is None else list(a.startback),
                regions=regions,
                note=a.note,
            )
        )
    for session in history.sessions:
        rows.append(
            models.SessionNote(
                date=session.date,
                techniques=list(session.techniques),
                areas=list(session.areas),
                pressure=session.pressure,
                minutes=session.minutes,
                pain_before=session.pain_before,
                pain_after=session.pain_after,
                note=session.note,
            )
        )
    for d in history.diary:
        rows.append(
            models.DiaryEntry(
                date=d.date,
                leg_pain=d.leg_pain,
                back_pain=d.back_pain,
                flare=d.flare,
                self_care=list(d.self_care),
                active_minutes=d.active_minutes,
                note=d.note,
            )
        )
    for row in rows:
        row.client_id = client.id  # type: ignore[attr-defined]
        row.created_at = now  # type: ignore[attr-defined]
    db.add_all(rows)
    db.flush()
    audit(
        db,
        actor=actor,
        action="import",
        record=client,
        client_id=client.id,
        now=now,
        changes={"records": len(rows)},
    )
    return len(rows)


def _struct(value: Any) -> dict[str, Any]:
    return {field: getattr(value, field) for field in value.__struct_fields__}


def _finding(finding: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"code": finding.code}
    if finding.regions:
        out["regions"] = list(finding.regions)
    if finding.note is not None:
        out["note"] = finding.note
    return out


def today_of(now: datetime) -> date:
    """The calendar date of a moment."""
    return now.date()
