"""Two bookings of one therapist (or one client) at one time: one stands, the other is refused.

The refusal must hold when both are made at once, on both backends: the second booking's check
waits for the first's transaction (a row lock on PostgreSQL, the write lock on SQLite).
"""

import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from sciatica_care.db import models
from sciatica_care.db.database import session_factory, transaction
from sciatica_care.engine import default_protocol
from sciatica_care.services.accounts import add_user, find_or_make_clinic
from sciatica_care.services.clients import add_client, assign_therapist
from sciatica_care.services.errors import InputProblems
from sciatica_care.services.planning import current_plan
from sciatica_care.services.records import book

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)
DAY = date(2026, 3, 4)


@dataclass(frozen=True)
class Team:
    therapist: int
    other_therapist: int
    clients: list[int]


def _team(engine: Engine, clients: int = 2) -> Team:
    with transaction(session_factory(engine)) as db:
        clinic = find_or_make_clinic(db, "Clinic", now=NOW)
        kim, lee = (
            add_user(
                db,
                email=f"{n}@c.example",
                role="therapist",
                password=None,
                clinic=clinic,
                actor="t",
                now=NOW,
                name=n.title(),
            )
            for n in ("kim", "lee")
        )
        ids = []
        for i in range(clients):
            client = add_client(db, name=f"Client {i}", clinic_id=clinic.id, actor="t", now=NOW)
            for therapist in (kim, lee):
                assign_therapist(db, client=client, therapist_id=therapist.id, actor="t", now=NOW)
            ids.append(client.id)
        return Team(kim.id, lee.id, ids)


def _book(db: Session, client_id: int, therapist_id: int, day: date, start: time | None) -> None:
    client = db.get(models.Client, client_id)
    assert client is not None
    book(
        db,
        client=client,
        day=day,
        start=start,
        therapist_id=therapist_id,
        note=None,
        actor="t",
        now=NOW,
        today=TODAY,
        plan=current_plan(db, client, today=TODAY, protocol=default_protocol()),
    )


def _booked(engine: Engine) -> int:
    with transaction(session_factory(engine)) as db:
        return db.scalar(select(func.count()).select_from(models.Appointment)) or 0


def _refusal(sessions: sessionmaker[Session], *args: object) -> Exception | None:
    """Books in a transaction of its own; the error that refused it, or None if it stands."""
    try:
        with transaction(sessions) as db:
            _book(db, *args)  # type: ignore[arg-type]
    except InputProblems as error:
        return error
    return None


def test_a_second_booking_of_the_therapist_at_that_time_names_the_clash(engine: Engine) -> None:
    team = _team(engine)
    sessions = session_factory(engine)
    assert _refusal(sessions, team.clients[0], team.therapist, DAY, time(10)) is None
    error = _refusal(sessions, team.clients[1], team.therapist, DAY, time(10, 30))
    assert isinstance(error, InputProblems)
    assert error.problems == [f"time: Kim already has a session from 10:00 to 11:00 on {DAY}"]
    assert _refusal(sessions, team.clients[1], team.therapist, DAY, time(11)) is None
    assert _booked(engine) == 2


def test_a_client_cannot_be_booked_with_two_therapists_at_once(engine: Engine) -> None:
    team = _team(engine)
    sessions = session_factory(engine)
    assert _refusal(sessions, team.clients[0], team.therapist, DAY, time(10)) is None
    error = _refusal(sessions, team.clients[0], team.other_therapist, DAY, time(9, 15))
    assert isinstance(error, InputProblems)
    assert error.problems == [
        f"time: Client 0 already has a session with Kim from 10:00 to 11:00 on {DAY}"
    ]
    assert _booked(engine) == 1


def test_untimed_bookings_clash_only_with_each_other(engine: Engine) -> None:
    team = _team(engine)
    sessions = session_factory(engine)
    assert _refusal(sessions, team.clients[0], team.therapist, DAY, None) is None
    assert _refusal(sessions, team.clients[1], team.therapist, DAY, time(10)) is None
    error = _refusal(sessions, team.clients[1], team.therapist, DAY, None)
    assert isinstance(error, InputProblems)
    assert error.problems == [f"date: Kim already has a session without a time on {DAY}"]


def test_of_two_bookings_made_at_once_the_second_waits_and_is_refused(engine: Engine) -> None:
    team = _team(engine)
    sessions = session_factory(engine)
    first = sessions()
    first.begin()
    _book(first, team.clients[0], team.therapist, DAY, time(10))  # checked, not yet committed
    refused: list[Exception | None] = []
    second = threading.Thread(
        target=lambda: refused.append(
            _refusal(sessions, team.clients[1], team.therapist, DAY, time(10, 15))
        )
    )
    second.start()
    second.join(timeout=1.0)
    try:
        assert second.is_alive(), "the second booking's check did not wait for the first"
    finally:
        first.commit()
        first.close()
        second.join(timeout=30)
    assert len(refused) == 1
    assert isinstance(refused[0], InputProblems)
    assert "Kim already has a session from 10:00 to 11:00" in str(refused[0])
    assert _booked(engine) == 1


@pytest.mark.parametrize("pairs", [20])
def test_twenty_pairs_of_bookings_raced_in_threads_leave_one_of_each(
    engine: Engine, pairs: int
) -> None:
    team = _team(engine)
    sessions = session_factory(engine)
    refused: list[Exception | None] = []
    lock = threading.Lock()

    def race(hour: int, client_id: int, start: threading.Barrier) -> None:
        start.wait()
        outcome = _refusal(sessions, client_id, team.therapist, DAY, time(hour))
        with lock:
            refused.append(outcome)

    for pair in range(pairs):
        start = threading.Barrier(2)
        threads = [
            threading.Thread(target=race, args=(pair, client_id, start))
            for client_id in team.clients
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert len(refused) == 2 * pairs
    assert sum(outcome is None for outcome in refused) == pairs
    assert all(isinstance(o, InputProblems) for o in refused if o is not None)
    assert _booked(engine) == pairs
