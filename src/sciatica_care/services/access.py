"""Who may see and change which client's records.

- an admin: every client of their own clinic;
- a therapist: the clients of their clinic assigned to them;
- a client: their own record only.

A record someone may not read does not exist for them (NotFound, never a hint). What a reader may
change depends on the kind of record: clients add check-ins, messages and pre-session notes, and
report red-flag signs; the clinical records are written by the care team.
"""

from sqlalchemy import Select, and_, exists, false, select
from sqlalchemy.orm import Session

from sciatica_care.db.models import Client, User, client_therapists
from sciatica_care.services.errors import ServiceError


class NotFound(ServiceError):
    """No such record, or one the reader may not see: the two are never told apart."""


class Forbidden(ServiceError):
    """The reader may see the record but not make this change."""


CARE_TEAM = frozenset({"admin", "therapist"})
# Kinds of entry each role may add to a client it can read.
WRITABLE: dict[str, frozenset[str]] = {
    "admin": frozenset(
        {
            "screenings",
            "clearances",
            "outcomes",
            "examinations",
            "episodes",
            "assessments",
            "sessions",
            "diary",
            "appointments",
            "messages",
        }
    ),
    "therapist": frozenset(
        {
            "screenings",
            "clearances",
            "outcomes",
            "examinations",
            "episodes",
            "assessments",
            "sessions",
            "diary",
            "appointments",
            "messages",
        }
    ),
    "client": frozenset({"diary", "messages", "signs"}),
}


def visible_clients(user: User) -> Select[Client]:
    """A query of the clients `user` may read."""
    query = select(Client).where(Client.clinic_id == user.clinic_id)
    if user.disabled_at is not None:
        return query.where(false())
    if user.role == "admin":
        return query
    if user.role == "therapist":
        assigned = exists().where(
            and_(client_therapists.c.client_id == Client.id, client_therapists.c.user_id == user.id)
        )
        return query.where(assigned)
    if user.role == "client" and user.client_id is not None:
        return query.where(Client.id == user.client_id)
    return query.where(false())


def readable_client(db: Session, user: User, client_id: int) -> Client:
    """The client with this id if `user` may read it, else NotFound."""
    client = db.scalar(visible_clients(user).where(Client.id == client_id))
    if client is None:
        raise NotFound(f"no client with id {client_id}")
    return client


def care_team_client(db: Session, user: User, client_id: int) -> Client:
    """The client, for a care team member who may read it; Forbidden for client accounts."""
    require_role(user, *CARE_TEAM)
    return readable_client(db, user, client_id)


def own_client(db: Session, user: User) -> Client:
    """The signed-in client's own record; Forbidden for the care team."""
    require_role(user, "client")
    if user.client_id is None:
        raise NotFound("this account has no client record")
    return readable_client(db, user, user.client_id)


def may_write(user: User, kind: str) -> bool:
    """Whether `user` may add a `kind` entry to a client they can read."""
    return kind in WRITABLE.get(user.role, frozenset())


def writable_client(db: Session, user: User, client_id: int, kind: str) -> Client:
    """The client, if `user` may add a `kind` entry to it; NotFound or Forbidden otherwise."""
    client = readable_client(db, user, client_id)
    if not may_write(user, kind):
        raise Forbidden(f"a {user.role} account cannot add {kind}")
    return client


def require_role(user: User, *roles: str) -> None:
    """Forbidden unless `user` has one of `roles`."""
    if user.role not in roles:
        raise Forbidden(f"this needs a {' or '.join(roles)} account")
