"""Calling an ASGI app directly, to see exactly which body messages it pulls."""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Scope


@dataclass
class Answer:
    """What the app sent, and how many body messages it asked for."""

    pulled: int = 0
    messages: list[Message] = field(default_factory=list)

    @property
    def status(self) -> int:
        """The answer's status."""
        return int(next(m for m in self.messages if m["type"] == "http.response.start")["status"])

    @property
    def headers(self) -> dict[str, str]:
        """The answer's headers."""
        start = next(m for m in self.messages if m["type"] == "http.response.start")
        return {name.decode(): value.decode() for name, value in start["headers"]}

    @property
    def body(self) -> bytes:
        """The answer's body."""
        return b"".join(
            m.get("body", b"") for m in self.messages if m["type"] == "http.response.body"
        )


def scope(method: str, path: str, headers: dict[str, str]) -> Scope:
    """An HTTP request's scope."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 5000),
        "root_path": "",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "state": {},
    }


def call(app: ASGIApp, request: Scope, chunk: Callable[[int], Message]) -> Answer:
    """Runs one request; `chunk(n)` gives the n-th body message the app pulls."""
    answer = Answer()

    async def receive() -> Message:
        answer.pulled += 1
        return chunk(answer.pulled)

    async def send(message: Message) -> None:
        answer.messages.append(message)

    # A thread of its own: the browser tests' Playwright keeps an event loop in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, app(request, receive, send)).result()  # type: ignore[arg-type]
    return answer


def endless(size: int = 65536) -> Callable[[int], Message]:
    """A body that never ends (chunked, `size` bytes a message)."""
    return lambda _n: {"type": "http.request", "body": b"[" * size, "more_body": True}
