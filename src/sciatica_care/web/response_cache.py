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

Memory stays bounded whatever is asked: the kept answers share a byte budget (least recently used
go first), all of them are dropped the moment the counter or the date moves (none could be used
again), and the key holds only the query parameters the route reads. A request carrying any other
parameter is answered afresh and not kept (its `next` link echoes the parameter, so its answer is
not the one a clean request would get).
"""

import hashlib
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from threading import Lock
from urllib.parse import parse_qsl

from sqlalchemy.engine import make_url
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sciatica_care.web.route_table import api_routes, dependants

PREFIX = "/api/v1/"
Version = Callable[[], int]
# The query parameters the route at a path reads, or None when no API read answers there.
Reads = Callable[[str], frozenset[str] | None]


@dataclass(frozen=True, slots=True)
class Kept:
    """An answer as it was sent, and the database's change counter before it was made."""

    version: int
    start: Message
    body: bytes

    @property
    def size(self) -> int:
        """Bytes held: the body and the headers."""
        headers = sum(len(name) + len(value) for name, value in self.start.get("headers", []))
        return len(self.body) + headers


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


def route_reads(routes: Sequence[BaseRoute]) -> Reads:
    """The query parameters each API read of the route table reads (its dependencies' too)."""
    reads = [
        (
            routed,
            frozenset(p.alias for d in dependants(routed.route.dependant) for p in d.query_params),
        )
        for routed in api_routes(routes)
        if "GET" in routed.methods and routed.path.startswith(PREFIX)
    ]

    @lru_cache(maxsize=1024)
    def names(path: str) -> frozenset[str] | None:
        return next((read for routed, read in reads if routed.matches("GET", path)), None)

    return names


class ResponseCache:
    """ASGI middleware keeping bearer-token API reads until the database changes."""

    def __init__(
        self,
        app: ASGIApp,
        version: Version | None,
        today: Callable[[], date],
        reads: Reads,
        budget: int = 32_000_000,
        size: int = 1024,
    ) -> None:
        self.app = app
        self.version = version
        self.today = today
        self.reads = reads
        self.budget = budget
        self.size = size
        self.kept: OrderedDict[tuple[object, ...], Kept] = OrderedDict()
        self.held = 0  # bytes of the kept answers
        self.seen: tuple[int, object] | None = None  # the counter and date the kept answers are of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answers from memory when it may; otherwise lets the app answer and keeps a 200."""
        key = self._key(scope)
        if key is None or self.version is None:
            await self.app(scope, receive, send)
            return
        version = self.version()
        self._forget_unless(self._seen(version, key))
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
        read = self.reads(scope["path"])
        if read is None:
            return None
        query = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
        if any(name not in read for name, _ in query):
            return None
        token = hashlib.sha256(authorization).digest()
        return (token, scope["path"], tuple(sorted(query)), self.today())

    def _seen(self, version: int, key: tuple[object, ...]) -> tuple[int, object]:
        return (version, key[-1])

    def _forget_unless(self, seen: tuple[int, object]) -> None:
        """Drops every kept answer once the counter or the date has moved on from theirs."""
        if seen != self.seen:
            self.kept.clear()
            self.held = 0
            self.seen = seen

    async def _answer_and_keep(
        self, scope: Scope, receive: Receive, send: Send, key: tuple[object, ...], version: int
    ) -> None:
        start: Message | None = None
        chunks: list[bytes] = []
        held = 0

        async def keeping(message: Message) -> None:
            nonlocal start, held
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body" and held <= self.budget:
                body = message.get("body", b"")
                held += len(body)
                chunks.append(body)
                if not message.get("more_body", False) and start and start["status"] == 200:
                    self._keep(key, Kept(version, start, b"".join(chunks)))
            await send(message)

        await self.app(scope, receive, keeping)

    def _keep(self, key: tuple[object, ...], kept: Kept) -> None:
        if kept.size > self.budget or self.seen != self._seen(kept.version, key):
            return  # too big to keep, or already out of date
        old = self.kept.pop(key, None)
        if old is not None:
            self.held -= old.size
        self.kept[key] = kept
        self.held += kept.size
        while len(self.kept) > self.size or self.held > self.budget:
            _, dropped = self.kept.popitem(last=False)
            self.held -= dropped.size
