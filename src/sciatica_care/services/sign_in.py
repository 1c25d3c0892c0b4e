"""Sign-in sessions and the sign-in rate limit, stored in the database.

The browser's cookie names a random token; only the token's hash is kept here, with the
session's CSRF token and expiry. Signing out deletes the row, so a copied cookie stops working at
once.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from sciatica_care.db.models import LoginAttempt, User, WebSession
from sciatica_care.domain.text import line_problems, note_problems
from sciatica_care.services.accounts import token_hash

SESSION_TTL = timedelta(hours=12)
ATTEMPT_WINDOW = timedelta(minutes=15)
# Guessing is slowed per account from one address; an account alone is paused only after many
# failures from several addresses, so a stranger cannot lock its owner out with five tries.
MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS = 5
MAX_FAILURES_PER_ADDRESS = 20
MAX_FAILURES_PER_ACCOUNT = 50


@dataclass(frozen=True, slots=True)
class SignedIn:
    """The user behind a request and, for a browser, its session's CSRF token."""

    user: User
    csrf_token: str | None


def start_session(db: Session, user: User, *, now: datetime) -> str:
    """A new sign-in session for `user`; returns the token for the cookie."""
    token = secrets.token_urlsafe(32)
    db.add(
        WebSession(
            user_id=user.id,
            token_hash=token_hash(token),
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + SESSION_TTL,
        )
    )
    db.execute(delete(WebSession).where(WebSession.expires_at < now))
    return token


def session_user(db: Session, token: str, *, now: datetime) -> SignedIn | None:
    """The active user of a live session token."""
    row = db.execute(
        select(User, WebSession.csrf_token)
        .join(WebSession, WebSession.user_id == User.id)
        .where(WebSession.token_hash == token_hash(token), WebSession.expires_at > now)
    ).first()
    if row is None or row[0].disabled_at is not None:
        return None
    return SignedIn(user=row[0], csrf_token=row[1])


def end_session(db: Session, token: str) -> None:
    """Signs a browser out: its session stops working everywhere at once."""
    db.execute(delete(WebSession).where(WebSession.token_hash == token_hash(token)))


def sign_in_problems(*, email: str, password: str) -> list[str]:
    """What makes a sign-in form unreadable (a control character), by field; checked first."""
    return line_problems({"email": email}) + note_problems({"password": password})


def too_many_failures(db: Session, *, email: str, address: str, now: datetime) -> bool:
    """Whether sign-in is paused for this account or this address."""
    since = now - ATTEMPT_WINDOW
    recent = select(func.count()).select_from(LoginAttempt).where(LoginAttempt.at > since)
    per_account = db.scalar(recent.where(LoginAttempt.email == email)) or 0
    per_address = db.scalar(recent.where(LoginAttempt.address == address)) or 0
    per_pair = db.scalar(recent.where(LoginAttempt.email == email, LoginAttempt.address == address))
    return (
        (per_pair or 0) >= MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS
        or per_address >= MAX_FAILURES_PER_ADDRESS
        or per_account >= MAX_FAILURES_PER_ACCOUNT
    )


def record_failure(db: Session, *, email: str, address: str, now: datetime) -> None:
    """Counts a failed sign-in."""
    db.add(LoginAttempt(email=email[:320], address=address[:64], at=now))
    db.execute(delete(LoginAttempt).where(LoginAttempt.at < now - ATTEMPT_WINDOW))


def clear_failures(db: Session, *, email: str, address: str) -> None:
    """A successful sign-in forgets the account's failures from that address."""
    db.execute(
        delete(LoginAttempt).where(LoginAttempt.email == email, LoginAttempt.address == address)
    )
