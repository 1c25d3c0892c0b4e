"""A clinic's administration: its accounts and roles, care teams, audit log and API tokens.

Every function works inside the acting admin's clinic only: an id of another clinic's account,
client or token is NotFound, exactly like an id that does not exist.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from sciatica_care.db.models import ApiToken, AuditEntry, Client, Clinic, User, WebSession
from sciatica_care.services import access, accounts, clients
from sciatica_care.services.audit import audit
from sciatica_care.services.errors import InputProblems

STAFF_ROLES = ("admin", "therapist")
AUDIT_PAGE = 50


@dataclass(frozen=True, slots=True)
class Account:
    """One account of the clinic with the name of the client record it belongs to."""

    user: User
    client_name: str | None


@dataclass(frozen=True, slots=True)
class CareTeam:
    """A client of the clinic and the therapists assigned to them."""

    client: Client
    therapists: list[User]


@dataclass(frozen=True, slots=True)
class AuditPage:
    """One page of the clinic's audit log, newest first."""

    entries: list[AuditEntry]
    page: int
    pages: int
    total: int
    per_page: int


@dataclass(frozen=True, slots=True)
class Token:
    """An API token of an account of the clinic."""

    token: ApiToken
    email: str


def clinic_accounts(db: Session, *, admin: User) -> list[Account]:
    """The clinic's accounts by email, each with its linked client's name."""
    access.require_role(admin, "admin")
    rows = db.execute(
        select(User, Client.name)
        .outerjoin(Client, Client.id == User.client_id)
        .where(User.clinic_id == admin.clinic_id)
        .order_by(User.email)
    )
    return [Account(user=user, client_name=name) for user, name in rows]


def clinic_account(db: Session, *, admin: User, user_id: int) -> User:
    """An account of the admin's clinic, else NotFound."""
    access.require_role(admin, "admin")
    user = db.get(User, user_id)
    if user is None or user.clinic_id != admin.clinic_id:
        raise access.NotFound(f"no account with id {user_id}")
    return user


def clinic_clients(db: Session, *, admin: User) -> list[Client]:
    """The clinic's clients by name."""
    access.require_role(admin, "admin")
    return list(db.scalars(access.visible_clients(admin).order_by(func.lower(Client.name))))


def add_account(
    db: Session,
    *,
    admin: User,
    email: str,
    role: str,
    name: str | None,
    password: str | None,
    client_id: int | None,
    now: datetime,
) -> User:
    """Adds an account to the admin's clinic; a client account is linked to a client of it."""
    access.require_role(admin, "admin")
    problems = [] if password else ["password: give an initial password"]
    if role != "client" and client_id is not None:
        problems.append("client: only a client account belongs to a client record")
    if problems:
        raise InputProblems(problems)
    client = None if client_id is None else access.readable_client(db, admin, client_id)
    return accounts.add_user(
        db,
        email=email,
        role=role,
        password=password,
        clinic=admin_clinic(db, admin),
        actor=admin.email,
        now=now,
        name=name,
        client=client,
    )


def admin_clinic(db: Session, admin: User) -> Clinic:
    """The clinic the admin runs."""
    return db.get_one(Clinic, admin.clinic_id)


def set_role(db: Session, *, admin: User, user_id: int, role: str, now: datetime) -> User:
    """Makes a staff account an admin or a therapist; client accounts keep their role."""
    user = clinic_account(db, admin=admin, user_id=user_id)
    if role not in STAFF_ROLES:
        raise InputProblems([f"role: must be admin or therapist, got {role!r}"])
    if user.role == "client":
        raise InputProblems(["role: a client account's role cannot change"])
    if user.id == admin.id and role != "admin":
        raise InputProblems(["role: you cannot take the admin role from yourself"])
    if user.role != role:
        audit(
            db,
            actor=admin.email,
            action="set_role",
            record=user,
            client_id=None,
            now=now,
            changes={"from": user.role, "to": role},
        )
        user.role = role
    return user


def disable(db: Session, *, admin: User, user_id: int, now: datetime) -> User:
    """Stops an account signing in and ends all its sessions; tokens stop working with it."""
    user = clinic_account(db, admin=admin, user_id=user_id)
    if user.id == admin.id:
        raise InputProblems(["account: you cannot disable your own account"])
    if user.disabled_at is None:
        user.disabled_at = now
        audit(db, actor=admin.email, action="disable", record=user, client_id=None, now=now)
    db.execute(delete(WebSession).where(WebSession.user_id == user.id))
    return user


def enable(db: Session, *, admin: User, user_id: int, now: datetime) -> User:
    """Lets a disabled account sign in again."""
    user = clinic_account(db, admin=admin, user_id=user_id)
    if user.disabled_at is not None:
        user.disabled_at = None
        audit(db, actor=admin.email, action="enable", record=user, client_id=None, now=now)
    return user


def care_teams(db: Session, *, admin: User) -> list[CareTeam]:
    """Every client of the clinic with their therapists."""
    return [
        CareTeam(client=client, therapists=sorted(client.therapists, key=lambda t: t.email))
        for client in clinic_clients(db, admin=admin)
    ]


def therapists(db: Session, *, admin: User) -> list[User]:
    """The clinic's therapist accounts by email."""
    return [a.user for a in clinic_accounts(db, admin=admin) if a.user.role == "therapist"]


def set_assignment(
    db: Session, *, admin: User, client_id: int, therapist_id: int, assign: bool, now: datetime
) -> None:
    """Puts a therapist on a client's care team, or takes them off it."""
    client = access.readable_client(db, admin, client_id)
    therapist = clinic_account(db, admin=admin, user_id=therapist_id)
    if therapist.role != "therapist":
        raise InputProblems([f"therapist: {therapist.email} is not a therapist"])
    change = clients.assign_therapist if assign else clients.unassign_therapist
    change(db, client=client, therapist_id=therapist.id, actor=admin.email, now=now)


def audit_page(db: Session, *, admin: User, page: int, per_page: int = AUDIT_PAGE) -> AuditPage:
    """The clinic's part of the audit log: entries about its clients or by its accounts."""
    access.require_role(admin, "admin")
    ours = or_(
        AuditEntry.client_id.in_(select(Client.id).where(Client.clinic_id == admin.clinic_id)),
        AuditEntry.actor.in_(select(User.email).where(User.clinic_id == admin.clinic_id)),
    )
    total = db.scalar(select(func.count()).select_from(AuditEntry).where(ours)) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    entries = db.scalars(
        select(AuditEntry)
        .where(ours)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return AuditPage(entries=list(entries), page=page, pages=pages, total=total, per_page=per_page)


def clinic_tokens(db: Session, *, admin: User) -> list[Token]:
    """The API tokens of the clinic's accounts, newest first."""
    access.require_role(admin, "admin")
    rows = db.execute(
        select(ApiToken, User.email)
        .join(User, User.id == ApiToken.user_id)
        .where(User.clinic_id == admin.clinic_id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return [Token(token=token, email=email) for token, email in rows]


def revoke_token(db: Session, *, admin: User, token_id: int, now: datetime) -> ApiToken:
    """Revokes an API token of one of the clinic's accounts."""
    access.require_role(admin, "admin")
    owner = db.scalar(
        select(User.clinic_id)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.id == token_id)
    )
    if owner != admin.clinic_id:
        raise access.NotFound(f"no API token with id {token_id}")
    return accounts.revoke_api_token(db, token_id, actor=admin.email, now=now)
