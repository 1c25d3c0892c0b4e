"""The first admin's set-up link works once, even when it is used many times at once."""

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, func, select

from sciatica_care.db.database import make_engine, session_factory, transaction
from sciatica_care.db.models import User
from sciatica_care.services import accounts
from sciatica_care.services.errors import ServiceError

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
ATTEMPTS = 6


def _spend_at_once(url: str, secret: str) -> list[str]:
    """Each of ATTEMPTS threads, on an engine of its own, sets up an admin with the same link."""
    start = threading.Barrier(ATTEMPTS)
    outcomes: list[str] = []

    def attempt(n: int) -> None:
        engine = make_engine(url)
        try:
            start.wait()
            with transaction(session_factory(engine)) as db:
                accounts.set_up_first_admin(
                    db,
                    secret,
                    clinic_name="Riverside",
                    email=f"admin{n}@clinic.example",
                    password="a long enough password",
                    now=NOW,
                )
            outcomes.append("made")
        except ServiceError:
            outcomes.append("refused")
        finally:
            engine.dispose()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_a_set_up_link_used_six_times_at_once_makes_one_admin(
    database_url: str, engine: Engine
) -> None:
    with transaction(session_factory(engine)) as db:
        secret = accounts.create_setup_link(db, now=NOW)

    outcomes = _spend_at_once(database_url, secret)

    assert sorted(outcomes) == ["made"] + ["refused"] * (ATTEMPTS - 1)
    with transaction(session_factory(engine)) as db:
        assert db.scalar(select(func.count()).select_from(User)) == 1


def test_a_spent_set_up_link_is_refused(engine: Engine) -> None:
    with transaction(session_factory(engine)) as db:
        secret = accounts.create_setup_link(db, now=NOW)
        accounts.spend_setup_link(db, secret, now=NOW)
    with transaction(session_factory(engine)) as db, pytest.raises(ServiceError, match="not valid"):
        accounts.spend_setup_link(db, secret, now=NOW)
