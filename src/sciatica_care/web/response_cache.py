"""Repeated API reads answered from memory while the database has not changed at all.

An answer of `GET /api/v1/...` made for a bearer token is kept with the database's change counter
as it was before the answer was made. The same token asking the same thing on the same day (the
clinic's date) gets the kept answer only while the counter is unchanged; any committed write
anywhere (a new entry, a revoked token, a changed role or assignment) changes it, and the next read
is made afresh. So a kept answer is always the answer the app would give now.

The counter is SQLite's `PRAGMA data_version`, read on a connection of its own: it changes when
any other connection, in this process or another, commits. Other databases have no such cheap
counter, so there the cache stays off and every read is made afresh.

Unlike an id from a sequence, the counter moves at COMMIT, and SQLite commits one writer at a
time: reading it before the answer's read transaction begins can only make a kept answer newer
than its counter, never older, so the next read after any commit is always made afresh.
"""

import hashlib
import sqlite3
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from threading import Lock

from sqlalchemy.engine import make_url
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PREFIX = "/api/v1/"
Version = Callable[[], int]


@dataclass(frozen=True, slots=True)
class Kept:
    """An answer as it was sent, and the database's change counter before it was made."""

    version: int
    start: Message
    body: bytes


def sqlite_version(url: str) -> Version | None:
    """A reader of the SQLite database's change counter, or None for other databases."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    connection = sqlite3.connect(parsed.database, check_same_thread=False, isolation_level=None)
    lock = Lock()

    def version() -> int:
        with lock:
            value: int = connection.execute("PRAGMA data_version").fetchone()[0]
            return value

    return version


class ResponseCache:
    """ASGI middleware keeping bearer-token API reads until the database changes."""

    def __init__(
        self, app: ASGIApp, version: Version | None, today: Callable[[], date], size: int = 1024
    ) -> None:
        self.app = app
        self.version = version
        self.today = today
        self.size = size
        self.kept: OrderedDict[tuple[object, ...], Kept] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answers from memory when it may; otherwise lets the app answer and keeps a 200."""
        key = self._key(scope)
        if key is None or self.version is None:
            await self.app(scope, receive, send)
            return
        version = self.version()
        found = self.kept.get(key)
        if found is not None and found.version == version:
            self.kept.move_to_end(key)
            await send(found.start)
            await send({"type": "http.response.body", "body": found.body})
            return
        await self._answer_and_keep(scope, receive, send, key, version)

    def _key(self, scope: Scope) -> tuple[object, ...] | None:
        if scope["type"] != "http" or scope["method"] != "GET":
            return None
        if not scope["path"].startswith(PREFIX):
            return None
        authorization = next(
            (value for name, value in scope["headers"] if name == b"authorization"), b""
        )
        if not authorization.lower().startswith(b"bearer "):
            return None
        token = hashlib.sha256(authorization).digest()
        return (token, scope["path"], scope["query_string"], self.today())

    async def _answer_and_keep(
        self, scope: Scope, receive: Receive, send: Send, key: tuple[object, ...], version: int
    ) -> None:
        start: Message | None = None
        chunks: list[bytes] = []

        async def keeping(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False) and start and start["status"] == 200:
                    self._keep(key, Kept(version, start, b"".join(chunks)))
            await send(message)

        await self.app(scope, receive, keeping)

    def _keep(self, key: tuple[object, ...], kept: Kept) -> None:
        self.kept[key] = kept
        self.kept.move_to_end(key)
        while len(self.kept) > self.size:
            self.kept.popitem(last=False)
