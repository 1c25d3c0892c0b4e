"""People who sign in: accounts, passwords (argon2), API tokens and one-time set-up links.

Secrets are never stored: passwords as argon2 hashes, tokens and links as SHA-256 hashes of
256-bit random values, so a copy of the database gives nobody a way in.
"""

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any, cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import CursorResult, delete, func, select, update
from sqlalchemy.orm import Session

from sciatica_care.db.models import ApiToken, Client, Clinic, OneTimeLink, User, WebSession
from sciatica_care.domain.text import line_problems, note_problems
from sciatica_care.services.audit import audit
from sciatica_care.services.errors import InputProblems, ServiceError

MAX_LABEL = 200  # a token's label says what uses it; its column holds 200

ROLES = ("admin", "therapist", "client")
MIN_PASSWORD = 10
SETUP_LINK_TTL = timedelta(hours=24)
FIRST_ADMIN = "first_admin"
SETUP_LINK_REFUSED = "this set-up link is not valid (used, expired or mistyped)"

_hasher = PasswordHasher()
# Verified against when the account does not exist, so a wrong email costs the same time.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


def token_hash(token: str) -> str:
    """The stored form of a token: its SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """A fresh 256-bit secret, URL-safe."""
    return secrets.token_urlsafe(32)


def normal_email(email: str) -> str:
    """Emails compare without case or surrounding spaces."""
    return email.strip().lower()


def password_problems(password: str) -> list[str]:
    """What is wrong with a new password, by field."""
    if len(password) < MIN_PASSWORD:
        return [f"password: must be at least {MIN_PASSWORD} characters"]
    if len(password) > 1024:
        return ["password: must be at most 1024 characters"]
    return note_problems({"password": password})


def email_problems(email: str) -> list[str]:
    """What is wrong with an (already normalised) email address."""
    if problems := line_problems({"email": email}):
        return problems
    if "@" not in email or len(email) > 320 or email.startswith("@") or email.endswith("@"):
        return [f"email: not an email address: {email!r}"]
    return []


def find_or_make_clinic(db: Session, name: str | None, *, now: datetime) -> Clinic:
    """The clinic called `name` (made on first use), or the first clinic when no name is given."""
    from sciatica_care.services.clients import default_clinic

    if name is None or not name.strip():
        return default_clinic(db, now=now)
    if problems := line_problems({"clinic": name}):
        raise InputProblems(problems)
    clinic = db.scalar(select(Clinic).where(Clinic.name == name.strip()))
    if clinic is None:
        clinic = Clinic(name=name.strip(), created_at=now)
        db.add(clinic)
        db.flush()
    return clinic


def add_user(
    db: Session,
    *,
    email: str,
    role: str,
    password: str | None,
    clinic: Clinic,
    actor: str,
    now: datetime,
    name: str | None = None,
    client: Client | None = None,
) -> User:
    """Adds an account; a client account is linked to its client record in the same clinic."""
    email = normal_email(email)
    problems = email_problems(email) + line_problems({"name": name, "role": role})
    if role not in ROLES:
        problems.append(f"role: must be one of {', '.join(ROLES)}, got {role!r}")
    if password is not None:
        problems += password_problems(password)
    if role == "client" and client is None:
        problems.append("client: a client account needs the client record it belongs to")
    if client is not None and client.clinic_id != clinic.id:
        problems.append("client: the client belongs to another clinic")
    if problems:
        raise InputProblems(problems)
    if db.scalar(select(User.id).where(User.email == email)) is not None:
        raise InputProblems([f"email: an account for {email} already exists"])
    user = User(
        clinic_id=clinic.id,
        email=email,
        role=role,
        name=name,
        password_hash=None if password is None else _hasher.hash(password),
        client_id=None if client is None else client.id,
        created_at=now,
    )
    db.add(user)
    db.flush()
    audit(
        db,
        actor=actor,
        action="create",
        record=user,
        client_id=user.client_id,
        now=now,
        changes={"role": role},
    )
    return user


def set_password(db: Session, user: User, password: str, *, actor: str, now: datetime) -> None:
    """Replaces a user's password."""
    problems = password_problems(password)
    if problems:
        raise InputProblems(problems)
    user.password_hash = _hasher.hash(password)
    # Every browser signed in with the old password is signed out.
    db.execute(delete(WebSession).where(WebSession.user_id == user.id))
    audit(db, actor=actor, action="set_password", record=user, client_id=user.client_id, now=now)


def authenticate(db: Session, email: str, password: str) -> User | None:
    """The active user with this email and password, else None (in constant-ish time)."""
    user = db.scalar(select(User).where(User.email == normal_email(email)))
    stored = user.password_hash if user is not None and user.password_hash else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or user.password_hash is None or user.disabled_at is not None:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def find_user(db: Session, email: str) -> User:
    """The account with this email."""
    if problems := line_problems({"email": email}):
        raise InputProblems(problems)
    user = db.scalar(select(User).where(User.email == normal_email(email)))
    if user is None:
        raise ServiceError(f"no account for {normal_email(email)}")
    return user


def user_count(db: Session) -> int:
    """How many accounts exist."""
    return db.scalar(select(func.count()).select_from(User)) or 0


# What the shells offer when no expiry is chosen: API tokens and calendar links last a year.
DEFAULT_EXPIRY_DAYS = 365


class TokenExpired(ServiceError):
    """A bearer token or calendar link that was real but is past its expiry."""

    def __init__(self, what: str, expires_at: datetime) -> None:
        self.expires_at = expires_at
        day = expires_at.date().isoformat()
        super().__init__(f"this {what} expired on {day} (UTC): ask for a new one")


def check_expiry(expires_at: datetime | None, *, now: datetime) -> list[str]:
    """The problems of an expiry chosen at `now` (field `expires`): it must lie ahead."""
    if expires_at is not None and expires_at <= now:
        return ["expires: must be in the future"]
    return []


def create_api_token(
    db: Session,
    user: User,
    *,
    label: str | None,
    actor: str,
    now: datetime,
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new bearer token for `user`: the row and the secret (shown once, stored hashed).

    It works until `expires_at` (None: until revoked).
    """
    problems = check_expiry(expires_at, now=now)
    if label is not None and len(label) > MAX_LABEL:
        problems.append(f"label: must be at most {MAX_LABEL} characters")
    problems += line_problems({"label": label})
    if problems:
        raise InputProblems(problems)
    secret = "sct_" + new_token()
    row = ApiToken(
        user_id=user.id,
        token_hash=token_hash(secret),
        label=label,
        created_at=now,
        expires_at=expires_at,
    )
    db.add(row)
    db.flush()
    audit(db, actor=actor, action="create", record=row, client_id=None, now=now)
    return row, secret


def revoke_api_token(db: Session, token_id: int, *, actor: str, now: datetime) -> ApiToken:
    """Revokes a token; it stops working at once."""
    row = db.get(ApiToken, token_id)
    if row is None:
        raise ServiceError(f"no API token with id {token_id}")
    if row.revoked_at is None:
        row.revoked_at = now
        audit(db, actor=actor, action="revoke", record=row, client_id=None, now=now)
    return row


def user_for_api_token(db: Session, secret: str, *, now: datetime) -> User | None:
    """The active user a live bearer token belongs to; TokenExpired past its expiry."""
    row = db.execute(
        select(User, ApiToken.expires_at)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == token_hash(secret), ApiToken.revoked_at.is_(None))
    ).first()
    if row is None or row[0].disabled_at is not None:
        return None
    if row[1] is not None and row[1] <= now:
        raise TokenExpired("API token", row[1])
    user: User = row[0]
    return user


def create_setup_link(db: Session, *, now: datetime) -> str:
    """A one-time secret that lets the first admin choose a password."""
    secret = new_token()
    db.add(
        OneTimeLink(
            purpose=FIRST_ADMIN,
            token_hash=token_hash(secret),
            created_at=now,
            expires_at=now + SETUP_LINK_TTL,
        )
    )
    db.flush()
    return secret


def check_setup_link(db: Session, secret: str, *, now: datetime) -> None:
    """Refuses a set-up link that is not live, or when an account already exists."""
    link = db.scalar(
        select(OneTimeLink).where(
            OneTimeLink.token_hash == token_hash(secret), OneTimeLink.purpose == FIRST_ADMIN
        )
    )
    if link is None or link.used_at is not None or link.expires_at <= now:
        raise ServiceError(SETUP_LINK_REFUSED)
    if user_count(db) > 0:
        raise ServiceError("an account already exists: sign in instead")


def spend_setup_link(db: Session, secret: str, *, now: datetime) -> None:
    """Uses up a live set-up link, or refuses it as used, expired or mistyped."""
    # One conditional UPDATE, its row count checked: of several requests spending the same link
    # at once, only one changes the row (on PostgreSQL the others wait for its row lock, then
    # find `used_at` set), so a link that works once cannot make two accounts.
    spent = db.execute(
        update(OneTimeLink)
        .where(
            OneTimeLink.token_hash == token_hash(secret),
            OneTimeLink.purpose == FIRST_ADMIN,
            OneTimeLink.used_at.is_(None),
            OneTimeLink.expires_at > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult[Any], spent).rowcount != 1:
        raise ServiceError(SETUP_LINK_REFUSED)


def set_up_first_admin(
    db: Session, secret: str, *, clinic_name: str, email: str, password: str, now: datetime
) -> User:
    """Spends the set-up link and makes the first admin of the (renamed) first clinic."""
    check_setup_link(db, secret, now=now)
    problems = [] if clinic_name.strip() else ["clinic: give the clinic a name"]
    problems += line_problems({"clinic": clinic_name})
    problems += email_problems(normal_email(email)) + password_problems(password)
    if problems:
        raise InputProblems(problems)
    # Spent before anything is written: a request that loses the race stores nothing.
    spend_setup_link(db, secret, now=now)
    from sciatica_care.services.clients import default_clinic

    first = default_clinic(db, now=now)
    first.name = clinic_name.strip()
    return add_user(
        db,
        email=email,
        role="admin",
        password=password,
        clinic=first,
        actor="setup-link",
        now=now,
    )
