"""Backup and restore: every table's rows in one JSON file, streamed table by table.

The file is one JSON object: `format`, the Alembic `revision`, `created_at`, then `tables`, an
object of table name -> `{"columns": [...], "rows": [[...], ...]}` in foreign-key order, one row
per line. Times are written in UTC. Rows are written and read one at a time, so a large database
never sits in memory whole.
"""

import codecs
import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time
from typing import IO, Any, Protocol

import msgspec
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Date, Integer, Table, Time, func, literal, select
from sqlalchemy.orm import Session

from sciatica_care.db.models import Base
from sciatica_care.db.types import UtcDateTime
from sciatica_care.services.errors import ServiceError

BACKUP_FORMAT = "sciatica-care/backup@1"
BATCH = 1000
CHUNK = 1 << 16
_SPACE = re.compile(r"[ \t\n\r]*")


class Readable(Protocol):
    """Where a backup is read from: an open binary file, or anything that reads like one."""

    def read(self, size: int, /) -> bytes:
        """At most `size` bytes; none at the end."""
        ...


class BackupError(ServiceError):
    """A file that is not a backup this version can restore."""


def plain(value: Any) -> Any:
    """A column value as JSON can hold it: moments in UTC."""
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return value


def _revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _snapshot(db: Session) -> Connection:
    """The session's connection; on PostgreSQL one read-only snapshot for every table.

    On SQLite the snapshot is the transaction's own: a deferred (reading) transaction under WAL
    sees the database as it was at its first read and leaves the write lock to writers.
    """
    if db.get_bind().dialect.name == "postgresql":
        options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        return db.connection(execution_options=options)
    return db.connection()


# Sign-in state, not records: a restored database asks everyone to sign in again.
EPHEMERAL = frozenset({"web_sessions", "login_attempts", "one_time_links"})


def kept_tables() -> list[Table]:
    """The tables a backup holds, parents before children."""
    return [table for table in Base.metadata.sorted_tables if table.name not in EPHEMERAL]


def write_backup(db: Session, out: IO[bytes], *, now: datetime) -> dict[str, int]:
    """Writes every table's rows to `out`; returns the row count of each table.

    Call it first in its transaction, so that on PostgreSQL every table is read from one snapshot.
    """
    connection = _snapshot(db)
    encode = msgspec.json.Encoder().encode
    head = {"format": BACKUP_FORMAT, "revision": _revision(connection), "created_at": plain(now)}
    out.write(encode(head)[:-1] + b',"tables":{')
    counts: dict[str, int] = {}
    for number, table in enumerate(kept_tables()):
        columns = [str(column.name) for column in table.columns]
        lead = b",\n" if number else b"\n"
        out.write(lead + encode(str(table.name)) + b':{"columns":' + encode(columns) + b',"rows":[')
        query = select(table).order_by(*table.primary_key.columns)
        count = 0
        for row in connection.execute(query.execution_options(yield_per=BATCH)):
            out.write((b",\n" if count else b"\n") + encode([plain(value) for value in row]))
            count += 1
        out.write(b"\n]}")
        counts[str(table.name)] = count
    out.write(b"\n}}\n")
    return counts


def occupied_tables(db: Session) -> list[str]:
    """The tables that hold at least one row."""
    return [
        table.name
        for table in kept_tables()
        if db.execute(select(literal(1)).select_from(table).limit(1)).first() is not None
    ]


def restore_backup(db: Session, source: Readable) -> dict[str, int]:
    """Loads a backup into an empty, migrated database, ids kept; returns rows per table."""
    occupied = occupied_tables(db)
    if occupied:
        raise ServiceError(
            "restore needs an empty database; this one already holds rows in: "
            + ", ".join(occupied)
        )
    connection = db.connection()
    reader = _Reader(source)
    head: dict[str, Any] = {}
    counts: dict[str, int] | None = None
    for key in reader.members():
        if key != "tables":
            head[key] = reader.value()
            continue
        _check_head(head, _revision(connection))
        counts = {}
        for name in reader.members():
            counts[name] = _restore_table(connection, reader, _table(name))
    if counts is None:
        raise BackupError("not a sciatica-care backup: it has no tables")
    reader.end()
    if connection.dialect.name == "postgresql":
        _reset_sequences(connection)
    return counts


def _check_head(head: dict[str, Any], revision: str | None) -> None:
    if head.get("format") != BACKUP_FORMAT:
        raise BackupError(f"not a sciatica-care backup: format must be {BACKUP_FORMAT!r} first")
    if head.get("revision") != revision:
        raise BackupError(
            f"the backup is of schema revision {head.get('revision')!r}, this database is at"
            f" {revision!r}: restore it with the sciatica-care version that wrote it"
        )


def _table(name: str) -> Table:
    table = Base.metadata.tables.get(name)
    if table is None:
        raise BackupError(f"tables.{name}: not a table of sciatica-care")
    return table


def _restore_table(connection: Connection, reader: "_Reader", table: Table) -> int:
    columns: list[str] | None = None
    count = 0
    where = f"tables.{table.name}"
    for key in reader.members():
        if key == "columns":
            columns = reader.value()
            if not isinstance(columns, list) or sorted(columns) != sorted(table.columns.keys()):
                raise BackupError(f"{where}.columns: must be {', '.join(table.columns.keys())}")
        elif key != "rows":
            raise BackupError(f"{where}.{key}: not part of a backup")
        elif columns is None:
            raise BackupError(f"{where}.rows: must come after {where}.columns")
        else:
            count = _insert_rows(connection, reader, table, columns)
    return count


def _insert_rows(
    connection: Connection, reader: "_Reader", table: Table, columns: list[str]
) -> int:
    read = [_reader_of(table, name) for name in columns]
    batch: list[dict[str, Any]] = []
    count = 0
    for _ in reader.items():
        values = reader.value()
        where = f"tables.{table.name}.rows[{count}]"
        if not isinstance(values, list) or len(values) != len(columns):
            raise BackupError(f"{where}: must be a list of {len(columns)} values")
        try:
            batch.append({n: f(v) for n, f, v in zip(columns, read, values, strict=True)})
        except (TypeError, ValueError) as error:
            raise BackupError(f"{where}: {error}") from None
        count += 1
        if len(batch) == BATCH:
            connection.execute(table.insert(), batch)
            batch = []
    if batch:
        connection.execute(table.insert(), batch)
    return count


def _reader_of(table: Table, name: str) -> Callable[[Any], Any]:
    """How a JSON value of the column becomes the value to store."""
    kind = table.columns[name].type
    if isinstance(kind, UtcDateTime):
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if isinstance(kind, Date):
        return lambda v: None if v is None else date.fromisoformat(v)
    if isinstance(kind, Time):
        return lambda v: None if v is None else time.fromisoformat(v)
    return lambda v: v


def _reset_sequences(connection: Connection) -> None:
    """Point every id sequence past the restored ids, so new rows get fresh ids."""
    for table in Base.metadata.sorted_tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer):
            continue
        key = keys[0]
        sequence = func.pg_get_serial_sequence(table.name, key.name)
        connection.execute(
            select(func.setval(sequence, func.coalesce(func.max(key), 0) + 1, False))
        )


class _Reader:
    """Reads a JSON document from a stream one value at a time (members and items lazily)."""

    def __init__(self, stream: Readable) -> None:
        self._stream = stream
        self._decode = codecs.getincrementaldecoder("utf-8")().decode
        self._json = json.JSONDecoder()
        self._text = ""
        self._at = 0
        self._ended = False

    def _fill(self) -> None:
        chunk = self._stream.read(CHUNK)
        self._ended = not chunk
        try:
            more = self._decode(chunk, final=self._ended)
        except UnicodeDecodeError as error:
            reason = f"not a sciatica-care backup: not UTF-8 text ({error.reason})"
            raise BackupError(reason) from None
        self._text = self._text[self._at :] + more
        self._at = 0

    def _peek(self) -> str:
        """The next character that is not white space ('' at the end)."""
        while True:
            match = _SPACE.match(self._text, self._at)
            self._at = match.end() if match else self._at
            if self._at < len(self._text) or self._ended:
                return self._text[self._at : self._at + 1]
            self._fill()

    def _expect(self, char: str) -> None:
        found = self._peek()
        if not found:  # a file cut short ends in the middle of the document
            raise BackupError(f"not valid JSON: the file ends where {char!r} was expected")
        if found != char:
            raise BackupError(f"not a sciatica-care backup: expected {char!r}, found {found!r}")
        self._at += 1

    def value(self) -> Any:
        """The next whole JSON value."""
        self._peek()
        while True:
            try:
                value, end = self._json.raw_decode(self._text, self._at)
            except json.JSONDecodeError as error:
                if self._ended:
                    raise BackupError(f"not valid JSON: {error.msg}") from None
            else:
                # A number that reaches the end of the text read so far may go on in the next.
                if end < len(self._text) or self._ended:
                    self._at = end
                    return value
            self._fill()

    def members(self) -> Iterator[str]:
        """The keys of the next object; the caller reads each member's value before the next."""
        self._expect("{")
        if self._peek() == "}":
            self._at += 1
            return
        while True:
            key = self.value()
            if not isinstance(key, str):
                raise BackupError("not valid JSON: an object key must be a string")
            self._expect(":")
            yield key
            if self._peek() != ",":
                self._expect("}")
                return
            self._at += 1

    def items(self) -> Iterator[None]:
        """Once per item of the next array; the caller reads each item."""
        self._expect("[")
        if self._peek() == "]":
            self._at += 1
            return
        while True:
            yield
            if self._peek() != ",":
                self._expect("]")
                return
            self._at += 1

    def end(self) -> None:
        """Refuse anything after the document."""
        if self._peek():
            raise BackupError("not a sciatica-care backup: text after the end of the document")
