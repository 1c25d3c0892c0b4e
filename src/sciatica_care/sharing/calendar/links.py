"""Secret, revocable links to calendar feeds: a client's care, or a care team member's sessions.

The link is the credential (calendar apps cannot sign in), so it is a 256-bit random secret shown
once and stored only as its SHA-256, like API tokens. A client link names the client; a therapist
link names the account. Every link records who made it, and works only while its maker's account
is active and the maker may still read what it shows: a therapist's link to a client stops when
they are unassigned or disabled, a client's own link when their account is disabled.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sciatica_care.db.models import CalendarLink, Client, User
from sciatica_care.services import access
from sciatica_care.services.accounts import TokenExpired, check_expiry, new_token, token_hash
from sciatica_care.services.audit import audit
from sciatica_care.services.errors import InputProblems

PREFIX = "cal_"
MAX_SECRET = 100


@dataclass(frozen=True, slots=True)
class Feed:
    """What a live link shows: a client's feed or a care team member's."""

    link: CalendarLink
    client: Client | None
    user: User | None


def create_client_link(
    db: Session, *, client: Client, by: User, now: datetime, expires_at: datetime | None = None
) -> tuple[CalendarLink, str]:
    """A new link to a client's feed, made by `by` (who must be able to read the client).

    It works until `expires_at` (None: until revoked).
    """
    client = access.readable_client(db, by, client.id)
    row = CalendarLink(client_id=client.id, created_by=by.id)
    return _create(db, row, client.id, by=by, now=now, expires_at=expires_at)


def create_user_link(
    db: Session, *, user: User, now: datetime, expires_at: datetime | None = None
) -> tuple[CalendarLink, str]:
    """A new link to a care team member's own feed of their clients' sessions."""
    access.require_role(user, *access.CARE_TEAM)
    row = CalendarLink(user_id=user.id, created_by=user.id)
    return _create(db, row, None, by=user, now=now, expires_at=expires_at)


def _create(
    db: Session,
    row: CalendarLink,
    client_id: int | None,
    *,
    by: User,
    now: datetime,
    expires_at: datetime | None,
) -> tuple[CalendarLink, str]:
    problems = check_expiry(expires_at, now=now)
    if problems:
        raise InputProblems(problems)
    secret = PREFIX + new_token()
    row.token_hash = token_hash(secret)
    row.created_at = now
    row.expires_at = expires_at
    db.add(row)
    db.flush()
    audit(db, actor=by.email, action="create", record=row, client_id=client_id, now=now)
    return row, secret


def client_links(db: Session, *, client_id: int) -> list[CalendarLink]:
    """A client's live links, oldest first."""
    query = select(CalendarLink).where(
        CalendarLink.client_id == client_id, CalendarLink.revoked_at.is_(None)
    )
    return list(db.scalars(query.order_by(CalendarLink.id)))


def user_links(db: Session, *, user_id: int) -> list[CalendarLink]:
    """A care team member's live links to their own feed, oldest first."""
    query = select(CalendarLink).where(
        CalendarLink.user_id == user_id, CalendarLink.revoked_at.is_(None)
    )
    return list(db.scalars(query.order_by(CalendarLink.id)))


def revoke_link(db: Session, *, user: User, link_id: int, now: datetime) -> CalendarLink:
    """Revokes a link `user` may manage; it stops working at once. NotFound for any other."""
    link = db.get(CalendarLink, link_id)
    if link is None or not _may_manage(db, user, link):
        raise access.NotFound(f"no calendar link with id {link_id}")
    if link.revoked_at is None:
        link.revoked_at = now
        audit(db, actor=user.email, action="revoke", record=link, client_id=link.client_id, now=now)
    return link


def _may_manage(db: Session, user: User, link: CalendarLink) -> bool:
    """A client's link: whoever may read the client. An account's: its owner or their admin."""
    if link.client_id is not None:
        query = access.visible_clients(user).where(Client.id == link.client_id)
        return db.scalar(query.with_only_columns(Client.id)) is not None
    owner = None if link.user_id is None else db.get(User, link.user_id)
    if owner is None or user.disabled_at is not None:
        return False
    return owner.id == user.id or (user.role == "admin" and user.clinic_id == owner.clinic_id)


def find_feed(db: Session, secret: str, *, now: datetime) -> Feed | None:
    """The feed a live link opens, or None: unknown, revoked, or its maker may no longer read it
    (their account disabled, or, for a client's link, no longer one of the client's readers).
    TokenExpired past its expiry."""
    if not secret.startswith(PREFIX) or len(secret) > MAX_SECRET:
        return None
    link = db.scalar(
        select(CalendarLink).where(
            CalendarLink.token_hash == token_hash(secret), CalendarLink.revoked_at.is_(None)
        )
    )
    if link is not None and link.expires_at is not None and link.expires_at <= now:
        raise TokenExpired("calendar link", link.expires_at)
    return None if link is None else _feed_of(db, link)


def _feed_of(db: Session, link: CalendarLink) -> Feed | None:
    """What an unrevoked link shows while its maker is active and may still read it, else None."""
    maker = db.get(User, link.created_by)
    if maker is None or maker.disabled_at is not None:
        return None
    if link.client_id is not None:
        client = db.scalar(access.visible_clients(maker).where(Client.id == link.client_id))
        return None if client is None else Feed(link=link, client=client, user=None)
    if link.user_id != maker.id or maker.role not in access.CARE_TEAM:
        return None
    return Feed(link=link, client=None, user=maker)
