"""A write that needs a signed-in user is refused before its body is read, in one place.

FastAPI reads and parses a route's body before it runs the route's dependencies, so a route that
takes a model (`POST /api/v1/clients`) would parse a stranger's body before it checked who sent
it. This middleware runs first: for a write (POST, PUT, PATCH, DELETE) to any route whose
dependencies include the signed-in user (found from the route table, so a new route cannot skip
it), it looks up the token or session and answers as the app does for no sign-in (401 on the API,
a redirect to sign in for pages) without reading a byte of the body. The route's own dependency
checks again in its own session; CSRF is checked there, after the sign-in, as before.
"""

from collections.abc import Callable, Sequence

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from sciatica_care.db.database import transaction
from sciatica_care.web.deps import AppState, needs_sign_in, signed_in_or_none
from sciatica_care.web.route_table import Routed, api_routes

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def guarded_routes(routes: Sequence[BaseRoute]) -> list[Routed]:
    """The write routes that need a signed-in user."""
    return [
        routed
        for routed in api_routes(routes)
        if routed.methods & WRITES and needs_sign_in(routed.route.dependant)
    ]


class SignInFirst:
    """Refuses an unsigned write to a guarded route before the route reads its body."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        routes: Sequence[BaseRoute],
        state: AppState,
        refuse: Callable[[Request], Response],
    ) -> None:
        self.app = app
        self.guarded = guarded_routes(routes)
        self.state = state
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Passes the request on, unless it is an unsigned write to a guarded route."""
        if scope["type"] == "http" and scope["method"] in WRITES and self._guarded(scope):
            request = Request(scope)
            with transaction(self.state.readers) as db:
                found = signed_in_or_none(request, db, self.state.clock.now())
            if found is None:
                await self.refuse(request)(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _guarded(self, scope: Scope) -> bool:
        method, path = scope["method"], scope["path"]
        return any(routed.matches(method, path) for routed in self.guarded)
