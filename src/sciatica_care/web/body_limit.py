"""Every request body is bounded before anything parses it, and JSON is bounded in depth.

Plain ASGI middleware in front of every route. A body whose Content-Length is over the route's
limit is refused at once (413), unread. A body without one (chunked) is counted as it streams and
refused the moment it passes the limit. A body that may be JSON (anything but a form) is held until
it is complete (it is within the limit by then) and refused with 422 if its arrays and objects nest
deeper than `MAX_DEPTH`: a deep document would otherwise exhaust the parser's recursion (a 500).
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Far deeper than any document of ours (a history@1 document nests 5 levels, a FHIR Bundle 10).
MAX_DEPTH = 64
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_FORMS = (b"application/x-www-form-urlencoded", b"multipart/form-data")


class BodyTooLarge(HTTPException):
    """A request body over its route's limit (raised from `receive` while it streams)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit} bytes")
        self.limit = limit


@dataclass(frozen=True, slots=True)
class Refusals:
    """How the app words its refusals: too large (413) and nested too deeply (422)."""

    too_large: Callable[[Scope, int], Response]
    too_deep: Callable[[Scope, int], Response]


def depth(body: bytes) -> int:
    """How deeply the arrays and objects of a JSON text nest (brackets inside strings ignored)."""
    brackets = _STRING.sub(b"", body).translate(None, _NOT_BRACKETS)
    deepest = level = 0
    for bracket in brackets:
        level += 1 if bracket in b"[{" else -1
        deepest = max(deepest, level)
    return deepest


class BodyLimit:
    """Refuses bodies over `limit` bytes (`larger` gives a path a limit of its own)."""

    def __init__(
        self, app: ASGIApp, *, limit: int, larger: Mapping[str, int], refusals: Refusals
    ) -> None:
        self.app = app
        self.limit = limit
        self.larger = dict(larger)
        self.refusals = refusals

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answers 413 or 422 itself, or passes the request on with a counting `receive`."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.larger.get(scope["path"], self.limit)
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await self.refusals.too_large(scope, limit)(scope, receive, send)
            return
        if _may_be_json(headers.get(b"content-type", b"")):
            await self._held(scope, receive, send, limit)
            return
        await self._counted(scope, receive, send, limit)

    async def _counted(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        received = 0
        over = False

        async def counting() -> Message:
            nonlocal received, over
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    over = True
                    raise BodyTooLarge(limit)
            return message

        answered_by_us = False

        async def sending(message: Message) -> None:
            # Whatever a route made of the overflow (its own 400, say), the answer is the 413.
            nonlocal answered_by_us
            if over and message["type"] == "http.response.start" and message["status"] != 413:
                answered_by_us = True
                await self.refusals.too_large(scope, limit)(scope, receive, send)
            if not answered_by_us:
                await send(message)

        await self.app(scope, counting, sending)

    async def _held(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > limit:
                await self.refusals.too_large(scope, limit)(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        del chunks
        if body.count(b"[") + body.count(b"{") > MAX_DEPTH and depth(body) > MAX_DEPTH:
            await self.refusals.too_deep(scope, MAX_DEPTH)(scope, receive, send)
            return
        given = False

        async def replay() -> Message:
            nonlocal given, body
            if given:
                return await receive()
            given = True
            whole, body = body, b""
            return {"type": "http.request", "body": whole, "more_body": False}

        await self.app(scope, replay, send)


def _may_be_json(content_type: bytes) -> bool:
    """Anything but a form may be parsed as JSON (the entry routes read any content type)."""
    media = content_type.split(b";", 1)[0].strip().lower()
    return media not in _FORMS
