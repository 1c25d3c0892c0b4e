"""Secrets of the web app: the signing key, signed session cookies, sign-in sessions, rate limits.

The cookie carries a random token signed with the app's key; the database keeps only the token's
hash, with the session's CSRF token and expiry. Signing out deletes the row, so a copied cookie
stops working at once.
"""

import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from sciatica_care.db.models import LoginAttempt, User, WebSession
from sciatica_care.services.accounts import token_hash

SESSION_COOKIE = "sciatica_session"
FORM_COOKIE = "sciatica_form"  # CSRF token of forms shown before signing in
SESSION_TTL = timedelta(hours=12)
ATTEMPT_WINDOW = timedelta(minutes=15)
# Guessing is slowed per account from one address; an account alone is paused only after many
# failures from several addresses, so a stranger cannot lock its owner out with five tries.
MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS = 5
MAX_FAILURES_PER_ADDRESS = 20
MAX_FAILURES_PER_ACCOUNT = 50


def secret_key(configured: str | None, home: Path) -> str:
    """The configured key, else the one kept in `home` (made once, readable by its owner only)."""
    if configured:
        return configured
    path = home / "secret_key"
    home.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    key = secrets.token_urlsafe(48)
    with os.fdopen(descriptor, "w", encoding="ascii") as out:
        out.write(key)
    return key


@dataclass(frozen=True, slots=True)
class Signer:
    """Signs and checks cookie values with the app's key."""

    serializer: URLSafeTimedSerializer

    @classmethod
    def from_key(cls, key: str) -> "Signer":
        """A signer for one key."""
        return cls(URLSafeTimedSerializer(key, salt="sciatica-care/cookie"))

    def sign(self, value: str) -> str:
        """The value with its signature."""
        return self.serializer.dumps(value)

    def unsign(self, signed: str | None, max_age: timedelta) -> str | None:
        """The value if the signature is good and young enough, else None."""
        if not signed:
            return None
        try:
            value = self.serializer.loads(signed, max_age=int(max_age.total_seconds()))
        except BadSignature:
            return None
        return value if isinstance(value, str) else None


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


def end_all_sessions(db: Session, user_id: int) -> None:
    """Signs a user out of every browser (after a password change or disabling)."""
    db.execute(delete(WebSession).where(WebSession.user_id == user_id))


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


def same_token(given: str | None, expected: str | None) -> bool:
    """Constant-time comparison of two CSRF tokens; a missing one never matches."""
    return bool(given and expected) and secrets.compare_digest(str(given), str(expected))
