"""Security headers on every answer, as plain ASGI middleware (no per-request task or copy)."""

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
_ENCODED = [(name.encode(), value.encode()) for name, value in SECURITY_HEADERS.items()]
_WITHOUT_CSP = [pair for pair in _ENCODED if pair[0] != b"content-security-policy"]


class SecurityHeaders:
    """Adds the headers a response does not set itself; /docs loads the explorer's own assets."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Passes the request on and adds the headers to the start of the answer."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = _WITHOUT_CSP if scope["path"].startswith("/docs") else _ENCODED

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *(pair for pair in extra if pair[0] not in present),
                ]
            await send(message)

        await self.app(scope, receive, with_headers)
