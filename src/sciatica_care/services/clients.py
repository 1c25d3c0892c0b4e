"""Clients: add, list, find by id or unique name."""

from datetime import datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from sciatica_care.db.models import Client, Clinic, User, client_therapists
from sciatica_care.domain.text import control_problem
from sciatica_care.services.access import visible_clients
from sciatica_care.services.audit import audit
from sciatica_care.services.errors import InputProblems, ServiceError
from sciatica_care.services.ids import parse_id

DEFAULT_CLINIC = "My practice"
MAX_NAME, MAX_SEX, MAX_EMAIL = 200, 40, 320
FIRST_BIRTH_YEAR = 1850


def default_clinic(db: Session, *, now: datetime) -> Clinic:
    """The practice records go to when no clinic is named (created on first use)."""
    clinic = db.scalar(select(Clinic).order_by(Clinic.id).limit(1))
    if clinic is None:
        clinic = Clinic(name=DEFAULT_CLINIC, created_at=now)
        db.add(clinic)
        db.flush()
    return clinic


def add_client(
    db: Session,
    *,
    name: str,
    birth_year: int | None = None,
    sex: str | None = None,
    email: str | None = None,
    consent_to_share: bool = False,
    clinic_id: int | None = None,
    actor: str,
    now: datetime,
) -> Client:
    """Adds a client to a clinic (by default the practice's first)."""
    problems = client_problems(
        name=name, birth_year=birth_year, sex=sex, email=email, year=now.year
    )
    if problems:
        raise InputProblems(problems)
    client = Client(
        clinic_id=clinic_id if clinic_id is not None else default_clinic(db, now=now).id,
        name=name.strip(),
        birth_year=birth_year,
        sex=sex,
        email=email,
        consent_to_share=consent_to_share,
        created_at=now,
    )
    db.add(client)
    db.flush()
    audit(db, actor=actor, action="create", record=client, client_id=client.id, now=now)
    return client


def client_problems(
    *, name: str | None, birth_year: object, sex: str | None, email: str | None, year: int
) -> list[str]:
    """What is wrong with a client's details, each problem naming its field (`birth_year`)."""
    problems = []
    name = (name or "").strip()
    if not name:
        problems.append("name: must not be empty")
    elif len(name) > MAX_NAME:
        problems.append(f"name: must be at most {MAX_NAME} characters")
    for field, value, most in (("name", name, None), ("sex", sex, MAX_SEX), ("email", email, None)):
        if (problem := control_problem(field, value, multiline=False)) is not None:
            problems.append(problem)
        elif most is not None and value is not None and len(value) > most:
            problems.append(f"{field}: must be at most {most} characters")
    if birth_year is not None and not (
        isinstance(birth_year, int) and FIRST_BIRTH_YEAR <= birth_year <= year
    ):
        problems.append(f"birth_year: must be a year {FIRST_BIRTH_YEAR}..{year}, got {birth_year}")
    if email is not None and not _is_email(email):
        problems.append("email: must be an email address like name@example.org")
    return problems


def _is_email(text: str) -> bool:
    local, at, domain = text.strip().rpartition("@")
    return bool(at and local and domain) and len(text) <= MAX_EMAIL


def list_clients(db: Session) -> list[Client]:
    """Every client, by name."""
    return list(db.scalars(select(Client).order_by(func.lower(Client.name), Client.id)))


def search_clients(
    db: Session, *, user: User, query: str | None, limit: int, offset: int
) -> tuple[list[Client], int]:
    """One page of the clients `user` may see whose name holds `query`, any case; and the total."""
    clients = visible_clients(user)
    if control_problem("q", query, multiline=False) is not None:
        return [], 0  # no name holds a control character (and PostgreSQL cannot compare NUL)
    if query and query.strip():
        # Escaped: a % or _ typed in a search is a character of a name, never a wildcard.
        part = query.strip().lower()
        clients = clients.where(func.lower(Client.name).contains(part, autoescape=True))
    total = db.scalar(select(func.count()).select_from(clients.subquery())) or 0
    page = clients.order_by(func.lower(Client.name), Client.id).limit(limit).offset(offset)
    return list(db.scalars(page)), total


def find_client(db: Session, ref: str) -> Client:
    """A client by id or by a name that matches one client only (case-insensitive)."""
    if (number := parse_id(ref)) is not None:
        client = db.get(Client, number)
        if client is None:
            raise ServiceError(f"no client with id {ref}")
        return client
    if control_problem("client", ref, multiline=False) is not None:
        raise ServiceError(f"no client called {ref!r}: a name never holds control characters")
    matches = list(db.scalars(select(Client).where(func.lower(Client.name) == ref.strip().lower())))
    if not matches:
        partial = func.lower(Client.name).contains(ref.strip().lower(), autoescape=True)
        matches = list(db.scalars(select(Client).where(partial)))
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise ServiceError(f"no client called {ref!r} (see: sciatica client list)")
    listed = "; ".join(f"{c.id}: {c.name}" for c in sorted(matches, key=lambda c: c.id))
    raise ServiceError(f"{ref!r} matches several clients, use an id: {listed}")


def assign_therapist(
    db: Session, *, client: Client, therapist_id: int, actor: str, now: datetime
) -> None:
    """Puts a therapist of the client's clinic on the client's care team."""
    therapist = db.get(User, therapist_id)
    if (
        therapist is None
        or therapist.role != "therapist"
        or therapist.clinic_id != client.clinic_id
    ):
        raise InputProblems([f"therapist: no therapist with id {therapist_id} in this clinic"])
    already = db.scalar(
        select(client_therapists.c.user_id).where(
            client_therapists.c.client_id == client.id,
            client_therapists.c.user_id == therapist_id,
        )
    )
    if already is None:
        db.execute(insert(client_therapists).values(client_id=client.id, user_id=therapist_id))
        audit(
            db,
            actor=actor,
            action="assign",
            record=client,
            client_id=client.id,
            now=now,
            changes={"therapist_id": therapist_id},
        )


def unassign_therapist(
    db: Session, *, client: Client, therapist_id: int, actor: str, now: datetime
) -> None:
    """Takes a therapist off the client's care team."""
    db.execute(
        delete(client_therapists).where(
            client_therapists.c.client_id == client.id,
            client_therapists.c.user_id == therapist_id,
        )
    )
    audit(
        db,
        actor=actor,
        action="unassign",
        record=client,
        client_id=client.id,
        now=now,
        changes={"therapist_id": therapist_id},
    )
