"""A client's diary, assessments and sessions as spreadsheet-safe CSV tables, and as one zip.

Each table is UTF-8 with a header row, its columns in a fixed order, dates in ISO form, lists as
codes joined by ";", and one column per Oswestry and STarT Back item (answers by number only,
never the questionnaires' wording). A text cell a spreadsheet would read as a formula (starting
with = + - @, a tab or a carriage return) is prefixed with an apostrophe; numbers never are.
"""

import csv
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sciatica_care.db import models
from sciatica_care.domain.codes import LAYERS
from sciatica_care.domain.text import cleaned

ODI_ITEMS = 10
STARTBACK_ITEMS = 9
LIST_SEPARATOR = ";"
ODI_COLUMNS = tuple(f"odi_{n}" for n in range(1, ODI_ITEMS + 1))
STARTBACK_COLUMNS = tuple(f"startback_{n}" for n in range(1, STARTBACK_ITEMS + 1))
REGION_COLUMNS = tuple(f"{layer}_regions" for layer in LAYERS)
# The columns of each table, in the order they are written.
COLUMNS: dict[str, tuple[str, ...]] = {
    "diary": ("date", "leg_pain", "back_pain", "flare", "self_care", "active_minutes", "note"),
    "assessments": (
        "date",
        "leg_pain",
        "back_pain",
        *ODI_COLUMNS,
        *STARTBACK_COLUMNS,
        *REGION_COLUMNS,
        "note",
    ),
    "sessions": (
        "date",
        "techniques",
        "areas",
        "pressure",
        "minutes",
        "pain_before",
        "pain_after",
        "subjective",
        "objective",
        "assessment",
        "plan",
        "note",
    ),
}
_MODELS: dict[str, type[models.Base]] = {
    "diary": models.DiaryEntry,
    "assessments": models.Assessment,
    "sessions": models.SessionNote,
}
# Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"
# A fixed time stamp for the zip's members, so the same records give the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def needs_guard(text: str) -> bool:
    """Whether a spreadsheet would run `text` as a formula, or it already looks guarded."""
    if text.startswith(FORMULA_STARTS):
        return True
    return text.startswith(GUARD) and needs_guard(text[1:])


def guarded(text: str) -> str:
    """Text a spreadsheet shows as text: an apostrophe before anything formula-like."""
    return GUARD + text if needs_guard(text) else text


def unguarded(text: str) -> str:
    """The text that `guarded` was given (the importer's inverse)."""
    return text[1:] if text.startswith(GUARD) and needs_guard(text[1:]) else text


def cell(value: object) -> str:
    """One value as a CSV cell: numbers as they are, text guarded, lists joined, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return guarded(cleaned(LIST_SEPARATOR.join(str(item) for item in value)))
    # A control character stored before the checks refused them is shown as U+FFFD.
    return guarded(cleaned(str(value)))


def _items(answers: Sequence[Any] | None, count: int) -> list[Any]:
    return list(answers) if answers else [None] * count


def _assessment_values(row: Any) -> list[Any]:
    regions: Mapping[str, Any] = row.regions or {}
    return [
        row.date,
        row.leg_pain,
        row.back_pain,
        *_items(row.odi, ODI_ITEMS),
        *_items(row.startback, STARTBACK_ITEMS),
        *(regions.get(layer) or None for layer in LAYERS),
        row.note,
    ]


def _values(kind: str, row: Any) -> list[Any]:
    if kind == "assessments":
        return _assessment_values(row)
    return [getattr(row, name) for name in COLUMNS[kind]]


def table_rows(db: Session, client: models.Client, kind: str) -> list[list[str]]:
    """A client's `kind` records by date as CSV cells, without the header."""
    table = _MODELS[kind].__table__
    query = select(table).where(table.c.client_id == client.id)
    rows = db.execute(query.order_by(table.c.date, table.c.id))
    return [[cell(value) for value in _values(kind, row)] for row in rows]


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A CSV table: the header row, then the rows (RFC 4180 line ends)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def client_tables(db: Session, client: models.Client) -> dict[str, str]:
    """The client's diary, assessments and sessions as CSV text, by file name."""
    return {
        f"{kind}.csv": csv_text(columns, table_rows(db, client, kind))
        for kind, columns in COLUMNS.items()
    }


def client_zip(db: Session, client: models.Client) -> bytes:
    """The client's three CSV tables in one zip (diary.csv, assessments.csv, sessions.csv)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in client_tables(db, client).items():
            member = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16  # an ordinary readable file once unpacked
            archive.writestr(member, text.encode("utf-8"))
    return out.getvalue()
