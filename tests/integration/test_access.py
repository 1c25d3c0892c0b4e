"""Who may load which client: the care team's client and a client's own record."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from sciatica_care.db import models
from sciatica_care.db.database import transaction
from sciatica_care.services import access
from sciatica_care.services.clients import add_client
from tests.databases import add_care_team

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _people(db: Session) -> tuple[models.Client, models.User, models.User, models.User]:
    """Ada, her therapist, her own account and a therapist who is not hers."""
    ada = add_client(db, name="Ada Lovelace", birth_year=1971, actor="t", now=NOW)
    therapist = add_care_team(db, ada, NOW, password_hash="x")
    account = db.scalars(select(models.User).where(models.User.client_id == ada.id)).one()
    stranger = models.User(
        clinic_id=ada.clinic_id, email="lee@clinic.example", role="therapist", created_at=NOW
    )
    db.add(stranger)
    db.flush()
    return ada, therapist, account, stranger


def test_the_care_team_loads_its_client_and_a_client_account_is_refused_by_role(
    sessions: sessionmaker[Session],
) -> None:
    with transaction(sessions) as db:
        ada, therapist, account, stranger = _people(db)
        assert access.care_team_client(db, therapist, ada.id) is ada
        with pytest.raises(access.Forbidden):
            access.care_team_client(db, account, ada.id)
        with pytest.raises(access.NotFound):
            access.care_team_client(db, stranger, ada.id)


def test_a_client_account_loads_only_its_own_record(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as db:
        ada, therapist, account, _ = _people(db)
        assert access.own_client(db, account) is ada
        with pytest.raises(access.Forbidden):
            access.own_client(db, therapist)
        account.client_id = None
        with pytest.raises(access.NotFound):
            access.own_client(db, account)
