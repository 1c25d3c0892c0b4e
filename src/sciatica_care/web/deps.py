"""What every route shares: app state, the clock, database sessions, the signed-in user, CSRF."""

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated

from fastapi import Depends, Request
from fastapi.dependencies.models import Dependant
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.templating import Jinja2Templates

from sciatica_care.clock import Clock
from sciatica_care.db.database import transaction
from sciatica_care.db.models import User
from sciatica_care.domain.protocol import Protocol
from sciatica_care.services.accounts import user_for_api_token
from sciatica_care.services.planning import PlanCache
from sciatica_care.services.sign_in import SESSION_TTL, SignedIn
from sciatica_care.services.sign_in import session_user as user_of_session
from sciatica_care.settings import Settings
from sciatica_care.web.route_table import dependants
from sciatica_care.web.security import SESSION_COOKIE, Signer, same_token


@dataclass(frozen=True, slots=True)
class AppState:
    """Everything the routes need, made once when the app starts."""

    settings: Settings
    readers: sessionmaker[Session]
    writers: sessionmaker[Session]
    protocol: Protocol
    signer: Signer
    templates: Jinja2Templates
    engines: tuple[Engine, ...]
    # How many requests may write at once: one on SQLite, which takes writers one at a time
    # anyway (queueing them here is first come, first served; SQLite's busy wait is not).
    write_slots: asyncio.Semaphore
    clock: Clock
    plans: PlanCache = field(default_factory=PlanCache)

    def close(self) -> None:
        """Closes every database connection the app holds."""
        for engine in self.engines:
            engine.dispose()


class SignInRequired(Exception):
    """No valid session or token: pages send the browser to sign in, the API answers 401."""


class CsrfRejected(Exception):
    """A form or API call made with a browser session lacks the session's CSRF token."""


async def _state(request: Request) -> AppState:
    return state(request)


def state(request: Request) -> AppState:
    """The app's state."""
    found: AppState = request.app.state.sciatica
    return found


async def _now(request: Request) -> datetime:
    """The moment of this request, read once (UTC)."""
    return state(request).clock.now()


async def _today(request: Request, moment: Annotated[datetime, Depends(_now)]) -> date:
    """The clinic's date at this request's moment."""
    return state(request).clock.date_of(moment)


# The request's moment (aware UTC) and the clinic's date at that moment: one reading of the clock.
Now = Annotated[datetime, Depends(_now)]
Today = Annotated[date, Depends(_today)]


async def _read_session(request: Request) -> AsyncIterator[Session]:
    # Reads run on the event loop: short queries, and no hand-over to a worker thread (on two
    # cores, threads queueing for the GIL cost far more than the queries themselves).
    with transaction(state(request).readers) as db:
        yield db


async def _write_slot(request: Request) -> AsyncIterator[None]:
    async with state(request).write_slots:
        yield


def _write_session(
    request: Request, _slot: Annotated[None, Depends(_write_slot, scope="function")]
) -> Iterator[Session]:
    # "function" scope: the transaction commits before the answer is sent, so a client that
    # got "saved" can trust it is saved.
    with transaction(state(request).writers) as db:
        yield db


ReadDb = Annotated[Session, Depends(_read_session, scope="function")]
# Holds one of the app's write slots for the request (for routes that open their own transaction).
WriteSlot = Annotated[None, Depends(_write_slot, scope="function")]
WriteDb = Annotated[Session, Depends(_write_session, scope="function")]
State = Annotated[AppState, Depends(_state)]


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def signed_in_or_none(request: Request, db: Session, now: datetime) -> SignedIn | None:
    """The user behind a bearer token or a session cookie, if any."""
    token = _bearer(request)
    if token is not None:
        user = user_for_api_token(db, token)
        return None if user is None else SignedIn(user=user, csrf_token=None)
    cookie = state(request).signer.unsign(request.cookies.get(SESSION_COOKIE), SESSION_TTL)
    if cookie is None:
        return None
    return user_of_session(db, cookie, now=now)


async def _signed_in(request: Request, db: ReadDb, now: Now) -> SignedIn:
    found = signed_in_or_none(request, db, now)
    if found is None:
        raise SignInRequired
    request.state.signed_in = found
    return found


async def _check_csrf(
    request: Request, signed_in: Annotated[SignedIn, Depends(_signed_in)]
) -> None:
    """A browser session's writes carry its CSRF token (form field or X-CSRF-Token header)."""
    if signed_in.csrf_token is None:  # bearer tokens are not sent by browsers on their own
        return
    given = request.headers.get("x-csrf-token")
    if given is None and "form" in request.headers.get("content-type", ""):
        form = await request.form()
        value = form.get("csrf_token")
        given = value if isinstance(value, str) else None
    if not same_token(given, signed_in.csrf_token):
        raise CsrfRejected


async def _user(signed_in: Annotated[SignedIn, Depends(_signed_in)]) -> User:
    return signed_in.user


async def _writer(
    signed_in: Annotated[SignedIn, Depends(_signed_in)],
    _csrf: Annotated[None, Depends(_check_csrf)],
) -> User:
    return signed_in.user


# The signed-in user of a read; of a write, with its CSRF token checked.
Reader = Annotated[User, Depends(_user)]
Writer = Annotated[User, Depends(_writer)]


def needs_sign_in(dependant: Dependant) -> bool:
    """Whether a route's dependencies include the signed-in user (every Reader and Writer does)."""
    return any(current.call is _signed_in for current in dependants(dependant))
