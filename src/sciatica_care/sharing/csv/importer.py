"""Diary or assessment rows from a CSV table (as `csv_export` writes them) into a client.

Every cell is checked by the history@1 rules; each problem names the file, the line and the
column (`ada.csv:7: leg_pain: must be an integer 0..10, got 11`), every problem of the file at
once. Nothing is stored unless every row is good, and then all rows in one go.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import msgspec
from sqlalchemy.orm import Session

from sciatica_care.db import models
from sciatica_care.domain.codes import LAYERS
from sciatica_care.domain.history import History
from sciatica_care.domain.history_checks import document_problems
from sciatica_care.services.errors import InputProblems
from sciatica_care.services.histories import store_history
from sciatica_care.sharing.csv.export import (
    COLUMNS,
    LIST_SEPARATOR,
    ODI_COLUMNS,
    STARTBACK_COLUMNS,
    unguarded,
)

IMPORTABLE = ("diary", "assessments")
_INTEGERS = frozenset({"leg_pain", "back_pain", "active_minutes", *ODI_COLUMNS, *STARTBACK_COLUMNS})
_LISTS = frozenset({"self_care", *(f"{layer}_regions" for layer in LAYERS)})
_TEXTS = frozenset({"note"})
_FLAGS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
_INTEGER = re.compile(r"[+-]?[0-9]{1,9}")
_ITEM_PATH = re.compile(r"^(odi|startback)\[(\d+)\]")
_REGION_PATH = re.compile(r"^regions\.(\w+)(\[\d+\])?")
_LIST_PATH = re.compile(r"^(self_care)\[\d+\]")


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: the line it starts on and its cells by column name."""

    line: int
    cells: dict[str, str]


def _scan(raw: bytes, *, kind: str, source: str) -> tuple[list[Row], list[tuple[int, str]]]:
    """The well-formed data rows, and (line, problem) for every row that is not one.

    The reader is strict: a stray quote is an error, and a quoted cell still open at the end
    of the file (an unterminated quote that would swallow every following row) is named by
    the line it opens on. A row must have exactly as many cells as the header has columns.
    """
    text = _text(raw, source)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise InputProblems([f"{source}:{reader.line_num}: not readable as CSV: {error}"]) from None
    if header is None:
        raise InputProblems(
            [f"{source}:1: empty file; a header row is required: {', '.join(COLUMNS[kind])}"]
        )
    columns = _header(header, kind, source)
    rows: list[Row] = []
    problems: list[tuple[int, str]] = []
    seen = 0
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader, None)
        except csv.Error as error:
            seen += 1
            problems.append(_unreadable(error, source, line, reader.line_num))
            continue
        if cells is None:
            break
        if not any(value.strip() for value in cells):
            continue
        seen += 1
        if len(cells) != len(columns):
            problems.append(
                (line, f"{source}:{line}: has {len(cells)} cells but the header has {len(columns)}")
            )
        else:
            rows.append(Row(line, dict(zip(columns, cells, strict=True))))
    if not seen:
        problems.append((2, f"{source}:2: no rows below the header row; nothing to import"))
    return rows, problems


def _text(raw: bytes, source: str) -> str:
    """The file as text; InputProblems naming the line of a byte that is not UTF-8 or NUL."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        byte = raw[error.start]
        raise InputProblems(
            [f"{source}:{line}: not UTF-8 text (byte 0x{byte:02x}); save the file as CSV UTF-8"]
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputProblems([f"{source}:{line}: a NUL byte: this is not a CSV text file"])
    return text


def _unreadable(error: csv.Error, source: str, start: int, end: int) -> tuple[int, str]:
    """A problem for a row the reader refused: an open quote names the line it opens on."""
    if "unexpected end of data" in str(error):
        return start, (
            f"{source}:{start}: a quoted cell opens on this line and is never closed "
            f"(it runs to the end of the file, line {end}); close or remove the quote"
        )
    return end, f"{source}:{end}: not readable as CSV: {error}"


def _header(header: list[str], kind: str, source: str) -> list[str]:
    """The column names of a header row, or InputProblems naming each bad one."""
    allowed = COLUMNS[kind]
    names = [name.strip() for name in header]
    problems = []
    if len(names) == 1 and LIST_SEPARATOR in names[0]:
        problems.append(
            f"{source}:1: the cells are separated by ';': save the file with commas between cells"
        )
    for position, name in enumerate(names, start=1):
        if not name:
            problems.append(f"{source}:1: column {position} has no name")
        elif name not in allowed:
            problems.append(
                f"{source}:1: {name}: unknown column for {kind} (known: {', '.join(allowed)})"
            )
        elif names.index(name) != position - 1:
            problems.append(f"{source}:1: {name}: column given twice")
    if "date" not in names and not problems:
        problems.append(f"{source}:1: date: column is required (is the header row missing?)")
    if problems:
        raise InputProblems(problems)
    return names


def _value(column: str, text: str) -> Any:
    """A cell as the value its column holds; a cell that is not one is kept for the check."""
    if column in _TEXTS:
        return unguarded(text) or None
    value = text.strip()
    if not value:
        return [] if column in _LISTS else None
    if column in _INTEGERS:
        return int(value) if _INTEGER.fullmatch(value) else value
    if column in _LISTS:
        return [item.strip() for item in unguarded(value).split(LIST_SEPARATOR) if item.strip()]
    if column == "flare":
        return _FLAGS.get(value.lower(), value)
    return value


def entry_of(kind: str, cells: dict[str, str]) -> dict[str, Any]:
    """A row's cells as a history@1 entry of `kind` (empty cells left out)."""
    values = {column: _value(column, text) for column, text in cells.items()}
    entry: dict[str, Any] = {}
    if kind == "assessments":
        odi = [values.pop(column, None) for column in ODI_COLUMNS]
        startback = [values.pop(column, None) for column in STARTBACK_COLUMNS]
        if any(answer is not None for answer in odi):
            entry["odi"] = odi
        if any(answer is not None for answer in startback):
            entry["startback"] = startback
        marks = {layer: values.pop(f"{layer}_regions", []) for layer in LAYERS}
        if any(marks.values()):
            entry["regions"] = {layer: regions for layer, regions in marks.items() if regions}
    entry.update({key: value for key, value in values.items() if value not in (None, [])})
    return entry


def column_of(path: str) -> str:
    """The CSV column of a history@1 field path: `odi[3]` -> `odi_4`, `regions.pain[0]` ->
    `pain_regions`, `self_care[1]` -> `self_care`."""
    item = _ITEM_PATH.match(path)
    if item:
        return f"{item.group(1)}_{int(item.group(2)) + 1}"
    region = _REGION_PATH.match(path)
    if region:
        return f"{region.group(1)}_regions"
    listed = _LIST_PATH.match(path)
    return listed.group(1) if listed else path


def _row_problems(kind: str, entry: dict[str, Any], today: date) -> list[str]:
    problems = []
    for problem in document_problems({kind: [entry]}, today):
        path, _, message = problem.removeprefix(f"{kind}[0].").partition(": ")
        if message.endswith("got null"):
            message = message.removesuffix("null") + "an empty cell"
        problems.append(f"{column_of(path)}: {message}")
    return problems


def _entries(
    rows: list[Row], *, kind: str, source: str, today: date
) -> tuple[list[Any], list[tuple[int, str]]]:
    """Every row as a history@1 entry, and each bad cell's problem with its line."""
    entries: list[Any] = []
    problems: list[tuple[int, str]] = []
    for row in rows:
        entry = entry_of(kind, row.cells)
        found = _row_problems(kind, entry, today)
        problems += [(row.line, f"{source}:{row.line}: {problem}") for problem in found]
        entries.append(entry)
    return entries, problems


def read_records(raw: bytes, *, kind: str, source: str, today: date) -> History:
    """The rows of a CSV file as a history holding only `kind` records, each checked."""
    if kind not in IMPORTABLE:
        raise InputProblems([f"--kind: must be {' or '.join(IMPORTABLE)}, got {kind!r}"])
    rows, unread = _scan(raw, kind=kind, source=source)
    entries, bad = _entries(rows, kind=kind, source=source, today=today)
    if unread or bad:
        raise InputProblems(_in_line_order(unread, bad))
    try:
        return msgspec.convert({kind: entries}, History)
    except msgspec.ValidationError as error:  # the checks above should have said it first
        raise InputProblems([f"{source}: {error}"]) from None


def _in_line_order(unread: list[tuple[int, str]], bad: list[tuple[int, str]]) -> list[str]:
    """Row problems and cell problems together, by line (a line's own order kept)."""
    return [problem for _, problem in sorted(unread + bad, key=lambda pair: pair[0])]


def store_records(
    db: Session, *, client: models.Client, history: History, actor: str, now: datetime
) -> int:
    """Adds the records read from a CSV file to a client; returns how many."""
    return store_history(db, client=client, history=history, actor=actor, now=now)
