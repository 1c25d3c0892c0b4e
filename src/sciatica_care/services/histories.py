"""A client's records as a history@1 document, and a history@1 document into records."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from itertools import repeat
from operator import attrgetter
from typing import Any

from sqlalchemy import Column, Connection, Dialect, select
from sqlalchemy.orm import Session

from sciatica_care.db import models
from sciatica_care.domain import history as records
from sciatica_care.domain.history import HISTORY_SCHEMA, History
from sciatica_care.services.audit import audit

CHUNK_ROWS = 10_000
_EXAM_MAPS = ("power", "reflexes", "sensation", "slr", "crossed_slr", "femoral_stretch")
_EXAM_COLUMNS = ("date", *_EXAM_MAPS, "by", "note")


def _rows(db: Session, table: type[Any], client_id: int) -> list[Any]:
    """A client's rows of one table by date, as plain rows (no ORM objects: large diaries)."""
    columns = table.__table__
    query = select(columns).where(columns.c.client_id == client_id)
    return list(db.execute(query.order_by(columns.c.date, columns.c.id)))


def _dated(values: dict[str, Any]) -> dict[str, Any]:
    """A record without its empty optional fields, its date in ISO form."""
    out = {"date": values.pop("date").isoformat()}
    out.update({key: value for key, value in values.items() if value is not None})
    return out


def screening_entries(db: Session, client: models.Client) -> list[dict[str, Any]]:
    """A client's screenings as history@1 entries, by date."""
    return [
        _dated(
            {
                "date": s.date,
                "findings": s.findings,
                "negatives": s.negatives,
                # Only a check-in says where it came from: a full screening is the default.
                "source": None if s.source == "screening" else s.source,
                "by": s.by,
                "note": s.note,
            }
        )
        for s in _rows(db, models.Screening, client.id)
    ]


def history_document(db: Session, client: models.Client) -> dict[str, Any]:
    """Everything the engine reads about a client, as a history@1 document (no `today`)."""
    cid = client.id
    document: dict[str, Any] = {"schema": HISTORY_SCHEMA}
    # Read from the table, not the loaded object: the plan cache checks the client's revision
    # around this read, and the object may have been loaded before a later commit.
    person_columns = select(models.Client.birth_year, models.Client.sex)
    born, sex = db.execute(person_columns.where(models.Client.id == cid)).one()
    person = {"birth_year": born, "sex": sex}
    document["client"] = {key: value for key, value in person.items() if value is not None}
    document["screenings"] = screening_entries(db, client)
    document["clearances"] = [
        _dated(
            {
                "date": c.date,
                "finding": c.finding,
                "by": c.by,
                "role": c.role,
                "expires": c.expires.isoformat() if c.expires else None,
                "conditions": c.conditions,
                "note": c.note,
            }
        )
        for c in _rows(db, models.Clearance, cid)
    ]
    document["outcomes"] = [
        _dated(
            {
                "date": o.date,
                "finding": o.finding,
                "result": o.result,
                "by": o.by,
                "role": o.role,
                "note": o.note,
            }
        )
        for o in _rows(db, models.Outcome, cid)
    ]
    document["examinations"] = [
        _dated({name: getattr(e, name) or None for name in _EXAM_COLUMNS} | {"date": e.date})
        for e in _rows(db, models.Examination, cid)
    ]
    document["episodes"] = [
        _dated({"date": e.date, "onset": e.onset.isoformat() if e.onset else None, "note": e.note})
        for e in _rows(db, models.Episode, cid)
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
    db: Session,
    *,
    client: models.Client,
    history: History,
    actor: str,
    now: datetime,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Adds every record of a checked history to a client; returns how many were added.

    Rows go to the driver in chunks (executemany) inside the session's transaction, in the
    history's order, so ids rise in list order; `progress` hears how many rows each chunk added.
    """
    if history.client is not None:
        client.birth_year = history.client.birth_year or client.birth_year
        client.sex = history.client.sex or client.sex
    db.flush()
    connection = db.connection()
    count = 0
    for kind in _KINDS:
        entries = getattr(history, kind.attribute)
        count += _bulk_insert(connection, kind, entries, client.id, now, progress)
    audit(
        db,
        actor=actor,
        action="import",
        record=client,
        client_id=client.id,
        now=now,
        changes={"records": count},
    )
    return count


def _struct(value: Any) -> dict[str, Any]:
    return {name: getattr(value, name) for name in value.__struct_fields__}


def _finding(finding: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"code": finding.code}
    if finding.regions:
        out["regions"] = list(finding.regions)
    if finding.note is not None:
        out["note"] = finding.note
    return out


def _findings(findings: tuple[Any, ...]) -> list[Any]:
    return [f if isinstance(f, str) else _finding(f) for f in findings]


def _codes(codes: tuple[str, ...] | None) -> list[str] | None:
    return None if codes is None else list(codes)


def _conditions(conditions: records.Conditions | None) -> dict[str, Any] | None:
    if conditions is None:
        return None
    given = _struct(conditions)
    return {key: list(v) if isinstance(v, tuple) else v for key, v in given.items() if v}


def _regions(regions: records.Regions | None) -> dict[str, list[str]] | None:
    if regions is None:
        return None
    return {layer: list(marks) for layer, marks in _struct(regions).items() if marks}


@dataclass(frozen=True, slots=True)
class _Kind:
    """One kind of record: its list in a history, its table, columns and how some are shaped."""

    attribute: str
    model: type[models.Base]
    columns: tuple[str, ...]
    shape: dict[str, Callable[[Any], Any]] = field(default_factory=dict)


_KINDS = (
    _Kind(
        "screenings",
        models.Screening,
        ("date", "findings", "negatives", "source", "by", "note"),
        {"findings": _findings, "negatives": _codes},
    ),
    _Kind(
        "clearances",
        models.Clearance,
        ("date", "finding", "by", "role", "expires", "conditions", "note"),
        {"conditions": _conditions},
    ),
    _Kind("outcomes", models.Outcome, ("date", "finding", "result", "by", "role", "note")),
    _Kind(
        "examinations",
        models.Examination,
        ("date", *_EXAM_MAPS, "by", "note"),
        dict.fromkeys(_EXAM_MAPS, dict),
    ),
    _Kind("episodes", models.Episode, ("date", "onset", "note")),
    _Kind(
        "assessments",
        models.Assessment,
        ("date", "leg_pain", "back_pain", "odi", "startback", "regions", "note"),
        {"regions": _regions},
    ),
    _Kind(
        "sessions",
        models.SessionNote,
        ("date", "techniques", "areas", "pressure", "minutes", "pain_before", "pain_after", "note"),
    ),
    _Kind(
        "diary",
        models.DiaryEntry,
        ("date", "leg_pain", "back_pain", "flare", "self_care", "active_minutes", "note"),
    ),
)


def _bulk_insert(
    connection: Connection,
    kind: _Kind,
    entries: tuple[Any, ...],
    client_id: int,
    now: datetime,
    progress: Callable[[int], None] | None,
) -> int:
    """Inserts the records in chunks with the driver's executemany; returns how many.

    Not ORM objects, nor `session.execute(insert(table), dicts)`: SQLAlchemy's per-row parameter
    handling alone takes longer than the driver's insert. The column types' bind processors still
    shape every value, so rows are stored as the ORM stores them; each chunk is converted a column
    at a time (C-level `map` and `zip` over the records).
    """
    table = models.Base.metadata.tables[kind.model.__tablename__]
    dialect = connection.dialect
    convert = {column.name: _converter(column, dialect) for column in table.columns}
    client_value = _converted([client_id], convert["client_id"])[0]
    now_value = _converted([now], convert["created_at"])[0]
    statement = _insert_sql(table.name, ("client_id", *kind.columns, "created_at"), dialect)
    for start in range(0, len(entries), CHUNK_ROWS):
        chunk = entries[start : start + CHUNK_ROWS]
        columns = []
        for name in kind.columns:
            values = list(map(attrgetter(name), chunk))
            if name in kind.shape:
                values = list(map(kind.shape[name], values))
            columns.append(_converted(values, convert[name]))
        rows = list(zip(repeat(client_value), *columns, repeat(now_value)))
        connection.exec_driver_sql(statement, rows)
        if progress is not None:
            progress(len(chunk))
    return len(entries)


def _insert_sql(table: str, columns: tuple[str, ...], dialect: Dialect) -> str:
    """A positional INSERT of `columns` in the driver's own parameter style."""
    quote = dialect.identifier_preparer.quote
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    names = ", ".join(quote(name) for name in columns)
    marks = ", ".join([mark] * len(columns))
    return f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"


Converter = tuple[Callable[[Any], Any], Callable[[Any], Any]] | None


def _converter(column: Column[Any], dialect: Dialect) -> Converter:
    """The column type's own bind processor, so rows are stored exactly as the ORM stores them,
    and the same remembering each result (a diary repeats its dates and self-care lists).

    Untyped keys are safe: the records are type-checked, so a column never mixes 1 and True.
    """
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    if process is None:
        return None
    return process, lru_cache(maxsize=4096)(process)


def _converted(values: list[Any], converter: Converter) -> list[Any]:
    if converter is None:
        return values
    process, remembered = converter
    try:
        return list(map(remembered, values))
    except TypeError:  # lists and dicts are not hashable
        return list(map(process, values))
