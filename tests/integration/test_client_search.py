"""Finding clients by part of a name, on SQLite and PostgreSQL: any case, no wildcards."""

from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from sciatica_care.db import models
from sciatica_care.db.database import transaction
from sciatica_care.services.clients import add_client, search_clients

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NAMES = ("Ada Lovelace", "Bo 100% Fit", "Cy_Young", "Émile Zola", "Cyrus Young")
EVERYONE = sorted(NAMES, key=str.lower)
# What each search finds; one database for all of them keeps the two backends quick.
FOUND: dict[str | None, list[str]] = {
    "%": ["Bo 100% Fit"],
    "_": ["Cy_Young"],
    "y_y": ["Cy_Young"],
    "0%": ["Bo 100% Fit"],
    "/": [],
    "LOVE": ["Ada Lovelace"],
    "émile": ["Émile Zola"],
    "ÉMILE": ["Émile Zola"],
    " young ": ["Cy_Young", "Cyrus Young"],
    "  ": EVERYONE,
    None: EVERYONE,
}


def test_a_search_matches_part_of_a_name_in_any_case_and_never_as_a_wildcard(
    sessions: sessionmaker[Session],
) -> None:
    with transaction(sessions) as db:
        for name in NAMES:
            add_client(db, name=name, actor="t", now=NOW)
        admin = models.User(clinic_id=1, email="admin@clinic.example", role="admin", created_at=NOW)
        db.add(admin)
        db.flush()
        for query, names in FOUND.items():
            found, total = search_clients(db, user=admin, query=query, limit=50, offset=0)
            assert ([client.name for client in found], total) == (names, len(names)), query


def test_a_search_pages_its_matches_and_counts_them_all(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as db:
        for name in NAMES:
            add_client(db, name=name, actor="t", now=NOW)
        admin = models.User(clinic_id=1, email="admin@clinic.example", role="admin", created_at=NOW)
        db.add(admin)
        db.flush()
        found, total = search_clients(db, user=admin, query="young", limit=1, offset=1)
    assert ([client.name for client in found], total) == (["Cyrus Young"], 2)
