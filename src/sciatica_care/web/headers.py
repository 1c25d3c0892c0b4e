"""Security headers on every answer, as plain ASGI middleware (no per-request task or copy).

Every dynamic answer may hold health data, so each says `Cache-Control: no-store` unless it sets
its own; only the files under /static may be kept by a browser or a proxy.
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}
NO_STORE = {"cache-control": "no-store"}
STATIC = "/static/"
_ENCODED = [(name.encode(), value.encode()) for name, value in SECURITY_HEADERS.items()]
_WITHOUT_CSP = [pair for pair in _ENCODED if pair[0] != b"content-security-policy"]
_NO_STORE = [(name.encode(), value.encode()) for name, value in NO_STORE.items()]
_CHOICES = {
    (docs, static): [*(_WITHOUT_CSP if docs else _ENCODED), *([] if static else _NO_STORE)]
    for docs in (False, True)
    for static in (False, True)
}


def headers_for(path: str) -> list[tuple[bytes, bytes]]:
    """The headers every answer to `path` carries unless it sets them itself."""
    return _CHOICES[path.startswith("/docs"), path.startswith(STATIC)]


def answer_headers(path: str) -> dict[str, str]:
    """`headers_for(path)` as a response's headers, for answers made outside the middleware."""
    return {name.decode(): value.decode() for name, value in headers_for(path)}


class SecurityHeaders:
    """Adds the headers a response does not set itself; /docs loads the explorer's own assets.

    Starlette answers an unhandled error (500) outside every middleware: the app's handler of
    `Exception` sets `answer_headers` on that answer itself.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Passes the request on and adds the headers to the start of the answer."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = headers_for(scope["path"])

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *(pair for pair in extra if pair[0] not in present),
                ]
            await send(message)

        await self.app(scope, receive, with_headers)
