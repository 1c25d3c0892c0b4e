"""A demo clinic in an empty database, stored through the ordinary services.

The records come from `demo_data` (made up from a seed, dates counted back from today); each is
added with the same services the web app and the commands use, so it is checked and audited.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sciatica_care.db.models import Client, Clinic, User
from sciatica_care.domain.protocol import Protocol
from sciatica_care.services import accounts, records
from sciatica_care.services.clients import add_client, assign_therapist
from sciatica_care.services.demo_data import (
    ADMIN,
    HISTORY_DAYS,
    THERAPISTS,
    Person,
    Story,
    demo_stories,
)
from sciatica_care.services.errors import ServiceError
from sciatica_care.services.planning import current_plan

CLINIC = "Demo Clinic"
PASSWORD = "demo-password-123"
SEED = 20260301


class NotEmpty(ServiceError):
    """The demo fills an empty database only: it never mixes with real records."""


@dataclass(frozen=True, slots=True)
class Filled:
    """What the demo added: its accounts (email, role), counts by kind and red-flag clients."""

    accounts: list[tuple[str, str]]
    counts: dict[str, int]
    red_flags: list[str]


@dataclass(frozen=True, slots=True)
class _Context:
    db: Session
    clinic: Clinic
    admin: User
    protocol: Protocol
    today: date
    now: datetime


def refuse_unless_empty(db: Session) -> None:
    """NotEmpty if any client or account exists."""
    clients = db.scalar(select(func.count()).select_from(Client)) or 0
    users = db.scalar(select(func.count()).select_from(User)) or 0
    if clients or users:
        raise NotEmpty(
            f"the database already has {clients} client(s) and {users} account(s): "
            "the demo only fills an empty database (use --db with a new file)"
        )


def fill_demo(
    db: Session, *, protocol: Protocol, today: date, now: datetime, seed: int = SEED
) -> Filled:
    """Adds the demo clinic: an admin, two therapists and six clients with three months of care."""
    refuse_unless_empty(db)
    started = _moment(today.toordinal() - HISTORY_DAYS, time(8), now)
    clinic = accounts.find_or_make_clinic(db, CLINIC, now=started)
    admin = _staff(db, ADMIN, clinic, actor="demo", now=started)
    context = _Context(db=db, clinic=clinic, admin=admin, protocol=protocol, today=today, now=now)
    team = {p.email.split("@")[0]: _staff(db, p, clinic, admin.email, started) for p in THERAPISTS}
    counts: Counter[str] = Counter()
    made = [(admin.email, admin.role)] + [(t.email, t.role) for t in team.values()]
    red_flags = []
    for told in demo_stories(today, seed):
        account, alerted = _store(context, told, team[told.profile.therapist], counts)
        made.append((account.email, account.role))
        if alerted:
            red_flags.append(told.profile.name)
    return Filled(accounts=made, counts=dict(counts), red_flags=red_flags)


def _moment(day: int | date, at: time, now: datetime) -> datetime:
    """A moment on a day (by date or ordinal), never later than now."""
    on = day if isinstance(day, date) else date.fromordinal(day)
    return min(datetime.combine(on, at, UTC), now)


def _staff(db: Session, person: Person, clinic: Clinic, actor: str, now: datetime) -> User:
    return accounts.add_user(
        db,
        email=person.email,
        role=person.role,
        password=PASSWORD,
        clinic=clinic,
        actor=actor,
        now=now,
        name=person.name,
    )


def _store(c: _Context, told: Story, therapist: User, counts: Counter[str]) -> tuple[User, bool]:
    """One client's record, care team, account and story; whether a red flag was raised."""
    client, account = _open(c, told, therapist)
    # Booked at intake, before any finding: one found later puts these sessions on hold.
    plan = current_plan(c.db, client, today=c.today, protocol=c.protocol)
    for day, start in told.appointments:
        records.book(
            c.db,
            client=client,
            day=day,
            start=start,
            therapist_id=therapist.id,
            note=None,
            actor=therapist.email,
            now=c.now,
            today=c.today,
            plan=plan,
        )
        counts["appointments"] += 1
    alerted = False
    clinical = (("screenings", time(9)), ("assessments", time(9, 15)), ("sessions", time(10)))
    for kind, at in clinical:
        for body in getattr(told, kind):
            _add(c, client, kind, body, therapist, at)
            counts[kind] += 1
    for body in told.diary:  # last: a sign reported at a check-in joins the latest screening
        alerted |= _add(c, client, "diary", body, account, time(19, 30))
        counts["diary"] += 1
    for message in told.messages:
        sender = account if message.from_client else therapist
        when = _moment(message.day, time(20 if message.from_client else 12), c.now)
        records.add_message(
            c.db, client=client, sender=sender, body=message.body, kind=message.kind, now=when
        )
        counts["messages"] += 1
    return account, alerted


def _open(c: _Context, told: Story, therapist: User) -> tuple[Client, User]:
    """The client's record, on their therapist's list, and the account they sign in with."""
    profile = told.profile
    opened = _moment(date.fromisoformat(told.assessments[0]["date"]), time(8, 30), c.now)
    client = add_client(
        c.db,
        name=profile.name,
        birth_year=profile.birth_year,
        sex=profile.sex,
        email=profile.email,
        clinic_id=c.clinic.id,
        actor=c.admin.email,
        now=opened,
    )
    assign_therapist(
        c.db, client=client, therapist_id=therapist.id, actor=c.admin.email, now=opened
    )
    account = accounts.add_user(
        c.db,
        email=profile.email,
        role="client",
        password=PASSWORD,
        clinic=c.clinic,
        actor=c.admin.email,
        now=opened,
        name=profile.name,
        client=client,
    )
    return client, account


def _add(c: _Context, client: Client, kind: str, body: dict[str, Any], by: User, at: time) -> bool:
    """Adds one entry as `by`; whether it raised a red-flag alert."""
    recorded = records.add_entry(
        c.db,
        client=client,
        kind=kind,
        body=body,
        protocol=c.protocol,
        actor=by.email,
        now=_moment(date.fromisoformat(body["date"]), at, c.now),
        today=c.today,
        therapist_id=by.id if kind == "sessions" else None,
    )
    return recorded.alert is not None
