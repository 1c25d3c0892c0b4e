"""What the care team reads about clients: the current plan, the course, bookings, the list."""

from dataclasses import dataclass
from datetime import date, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sciatica_care.db import models
from sciatica_care.domain.course import DayCourse
from sciatica_care.domain.holds import clinical_hold
from sciatica_care.domain.plan import CarePlan
from sciatica_care.domain.protocol import Protocol
from sciatica_care.services.clients import search_clients
from sciatica_care.services.histories import history_document
from sciatica_care.services.planning import PlanCache, current_plan
from sciatica_care.services.timeline import Event, course, timeline


@dataclass(frozen=True, slots=True)
class Booking:
    """A booked session."""

    date: date
    start_time: time | None
    therapist: str | None
    note: str | None


@dataclass(frozen=True, slots=True)
class ClientView:
    """Everything the client page shows, computed from one read of the records."""

    client: models.Client
    plan: CarePlan
    course: list[DayCourse]
    events: list[Event]
    bookings: list[Booking]
    therapists: list[str]


@dataclass(frozen=True, slots=True)
class ClientRow:
    """One line of the client list."""

    id: int
    name: str
    triage: str
    next_session: Booking | None
    on_hold: bool = False  # the plan holds massage: a booked session cannot go ahead


def odi_min_sections(protocol: Protocol) -> int:
    """How many Oswestry sections must be answered for a score to count."""
    return protocol.rule("progress.odi_important_change").number("min_sections")


def client_view(
    db: Session,
    *,
    client: models.Client,
    today: date,
    protocol: Protocol,
    plans: PlanCache | None = None,
) -> ClientView:
    """The client page's content; the plan from the one source every view of it reads."""
    document = history_document(db, client)
    return ClientView(
        client=client,
        plan=current_plan(db, client, today=today, protocol=protocol, plans=plans),
        course=course(document, odi_min_sections(protocol)),
        events=timeline(document)[::-1],
        bookings=bookings(db, client_id=client.id, today=today),
        therapists=[t.name or t.email for t in client.therapists],
    )


def bookings(db: Session, *, client_id: int, today: date) -> list[Booking]:
    """A client's sessions booked from today on, soonest first."""
    query = (
        select(
            models.Appointment.date,
            models.Appointment.start_time,
            models.User.name,
            models.User.email,
            models.Appointment.note,
        )
        .outerjoin(models.User, models.User.id == models.Appointment.therapist_id)
        .where(models.Appointment.client_id == client_id, models.Appointment.date >= today)
        .order_by(*_soonest())
    )
    return [
        Booking(day, start, name or email, note)
        for day, start, name, email, note in db.execute(query)
    ]


def _soonest() -> tuple[Any, ...]:
    """Appointments by date, then by time with untimed ones last on their day."""
    table = models.Appointment
    return (table.date, table.start_time.is_(None), table.start_time, table.id)


def client_rows(
    db: Session,
    *,
    user: models.User,
    query: str | None,
    today: date,
    protocol: Protocol,
    limit: int,
    offset: int,
    plans: PlanCache | None = None,
) -> tuple[list[ClientRow], int]:
    """One page of the clients `user` may see whose name contains `query`, and how many in all."""
    page, total = search_clients(db, user=user, query=query, limit=limit, offset=offset)
    rows = []
    for client in page:
        upcoming = bookings(db, client_id=client.id, today=today)
        plan = current_plan(db, client, today=today, protocol=protocol, plans=plans)
        level = plan.triage.level
        first = upcoming[0] if upcoming else None
        rows.append(
            ClientRow(client.id, client.name, level, first, clinical_hold(plan) is not None)
        )
    return rows, total
