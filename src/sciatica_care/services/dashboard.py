"""The care team's dashboard: the clients who need attention first, then the booked sessions."""

from dataclasses import dataclass, replace
from datetime import date, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sciatica_care.db import models
from sciatica_care.domain.attention import Attention, concerns, ranked
from sciatica_care.domain.holds import clinical_hold
from sciatica_care.domain.protocol import Protocol
from sciatica_care.services import access
from sciatica_care.services.planning import PlanCache, current_plan

UPCOMING_DAYS = 14


@dataclass(frozen=True, slots=True)
class BookedSession:
    """A booked session on the dashboard."""

    date: date
    start_time: time | None
    client_id: int
    client: str
    therapist: str | None
    note: str | None
    on_hold: str | None = None  # the client's plan holds massage: its triage action


def attention(
    db: Session, *, user: models.User, today: date, protocol: Protocol, plans: PlanCache
) -> list[Attention]:
    """The clients `user` may see who need attention, most severe first, then by name."""
    booked = _booked_clients(db, user, today)
    latest = _last_sessions(db, user)
    found = []
    for client in db.scalars(access.visible_clients(user).order_by(models.Client.id)):
        plan = current_plan(db, client, today=today, protocol=protocol, plans=plans)
        raised = concerns(
            plan, last_session=latest.get(client.id), booked=client.id in booked, today=today
        )
        if raised:
            found.append(Attention(client.id, client.name, raised))
    return ranked(found)


def _last_sessions(db: Session, user: models.User) -> dict[int, date]:
    """The date of the latest session of each visible client that had one."""
    visible = access.visible_clients(user).with_only_columns(models.Client.id)
    table = models.SessionNote
    query = (
        select(table.client_id, func.max(table.date))
        .where(table.client_id.in_(visible))
        .group_by(table.client_id)
    )
    return {client_id: day for client_id, day in db.execute(query)}  # noqa: C416 (rows to pairs)


def _booked_clients(db: Session, user: models.User, today: date) -> set[int]:
    """The visible clients with a session booked today or later."""
    visible = access.visible_clients(user).with_only_columns(models.Client.id)
    query = select(models.Appointment.client_id).where(
        models.Appointment.date >= today, models.Appointment.client_id.in_(visible)
    )
    return set(db.scalars(query))


def sessions(
    db: Session,
    *,
    user: models.User,
    today: date,
    protocol: Protocol,
    plans: PlanCache,
    days: int = UPCOMING_DAYS,
) -> list[BookedSession]:
    """The sessions booked for the clients `user` may see, from today for `days` days.

    A session of a client whose plan holds massage carries the plan's action as `on_hold`.
    """
    visible = access.visible_clients(user).subquery()
    table = models.Appointment
    query = (
        select(
            table.date,
            table.start_time,
            visible.c.id,
            visible.c.name,
            models.User.name,
            models.User.email,
            table.note,
        )
        .join(visible, visible.c.id == table.client_id)
        .outerjoin(models.User, models.User.id == table.therapist_id)
        .where(table.date >= today, table.date <= today + timedelta(days=days))
        .order_by(table.date, table.start_time.is_(None), table.start_time, visible.c.name)
    )
    found = [
        BookedSession(day, start, client_id, client, therapist or email, note)
        for day, start, client_id, client, therapist, email, note in db.execute(query)
    ]
    holds = {}
    for client_id in {s.client_id for s in found}:
        client = db.get_one(models.Client, client_id)
        holds[client_id] = clinical_hold(
            current_plan(db, client, today=today, protocol=protocol, plans=plans)
        )
    return [replace(s, on_hold=holds[s.client_id]) for s in found]
