"""Stored moments: aware UTC going in and coming out, on SQLite and PostgreSQL alike."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session, sessionmaker

from sciatica_care.db import models
from sciatica_care.db.database import transaction

SYDNEY_SUMMER = timezone(timedelta(hours=11))


def test_a_moment_comes_back_aware_in_utc_whatever_zone_it_was_given_in(
    sessions: sessionmaker[Session],
) -> None:
    given = datetime(2026, 12, 4, 8, 0, tzinfo=SYDNEY_SUMMER)
    with transaction(sessions) as db:
        db.add(models.Clinic(name="North", created_at=given))
    with transaction(sessions) as db:
        stored = db.scalars(select(models.Clinic.created_at)).one()
    assert stored.tzinfo is UTC
    assert stored == given
    assert stored.hour == 21


def test_moments_compare_as_instants_in_queries(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as db:
        db.add(models.Clinic(name="North", created_at=datetime(2026, 12, 3, 21, 0, tzinfo=UTC)))
    just_before = datetime(2026, 12, 4, 7, 59, tzinfo=SYDNEY_SUMMER)
    with transaction(sessions) as db:
        later = select(models.Clinic.name).where(models.Clinic.created_at > just_before)
        assert db.scalars(later).all() == ["North"]


def test_a_naive_moment_is_refused_since_its_zone_cannot_be_known(
    sessions: sessionmaker[Session],
) -> None:
    naive = datetime(2026, 12, 3, 21, 0)
    with sessions() as db:
        db.add(models.Clinic(name="North", created_at=naive))
        with pytest.raises(StatementError, match="aware"):
            db.flush()
