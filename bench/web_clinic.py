"""A realistic clinic for bench/web_load.py, built through the services like the app builds it.

A therapist with `clients` clients and a colleague with a fifth as many; each client holds the last
`days` days of a generated history (bench/generate.py), moved so that it ends `today`, and has an
account with an API token, as does the therapist.
"""

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from generate import history_document
from sciatica_care.clock import Clock
from sciatica_care.db.database import make_engine, session_factory, transaction
from sciatica_care.db.migrate import upgrade
from sciatica_care.db.models import Clinic as ClinicRow
from sciatica_care.db.models import User
from sciatica_care.domain.history_parser import parse_history
from sciatica_care.services.accounts import add_user, create_api_token, find_or_make_clinic
from sciatica_care.services.clients import add_client, assign_therapist
from sciatica_care.services.histories import store_history

ACTOR = "bench"
RECENT = ("assessments", "sessions", "diary")
FIRST = ("Ada", "Ben", "Cleo", "Dev", "Eva", "Femi", "Gus", "Hana", "Ivo", "Jia", "Kai", "Lina")
LAST = ("Okri", "Hart", "Novak", "Silva", "Tanaka", "Moreau", "Byrne", "Kowal", "Adeyemi", "Lund")


@dataclass(frozen=True, slots=True)
class Clinic:
    """The ids and tokens the load needs: the therapist's clients, with their own tokens."""

    client_ids: list[int]
    client_tokens: list[str]
    therapist_token: str
    colleague_clients: int
    records: int


def recent_history(document: dict[str, Any], today: date, days: int) -> dict[str, Any]:
    """The last `days` days of a history's records, moved to end `today`.

    Screenings and clearances are all kept (the intake screening may be older than the window).
    """
    shift = today - date.fromisoformat(document["today"])
    start = (today - timedelta(days=days)).isoformat()
    moved = {**document, "today": today.isoformat()}
    for kind in ("screenings", "clearances", *RECENT):
        entries = [
            {**entry, "date": (date.fromisoformat(entry["date"]) + shift).isoformat()}
            for entry in document[kind]
        ]
        moved[kind] = [e for e in entries if e["date"] >= start] if kind in RECENT else entries
    return moved


def client_name(index: int) -> str:
    """A distinct, plausible name for the index-th client."""
    first = FIRST[index % len(FIRST)]
    last = LAST[(index // len(FIRST) + index) % len(LAST)]
    suffix = f" {index // (len(FIRST) * len(LAST)) + 1}" if index >= len(FIRST) * len(LAST) else ""
    return f"{first} {last}{suffix}"


def _add_client(
    db: Session, clinic: ClinicRow, therapist: User, index: int, *, days: int, today: date
) -> tuple[int, int, str]:
    """Adds one client with their history and account: (id, records, token)."""
    now = Clock().now()
    document = recent_history(history_document(index), today, days)
    history = parse_history(json.dumps(document).encode(), today=today, system_today=today)
    client = add_client(db, name=client_name(index), clinic_id=clinic.id, actor=ACTOR, now=now)
    assign_therapist(db, client=client, therapist_id=therapist.id, actor=ACTOR, now=now)
    records = store_history(db, client=client, history=history, actor=ACTOR, now=now)
    account = add_user(
        db,
        email=f"client{index}@bench.example",
        role="client",
        password=None,
        clinic=clinic,
        actor=ACTOR,
        now=now,
        client=client,
    )
    _, token = create_api_token(db, account, label="bench", actor=ACTOR, now=now)
    return client.id, records, token


def _therapist(db: Session, clinic: ClinicRow, email: str) -> User:
    now = Clock().now()
    return add_user(
        db, email=email, role="therapist", password=None, clinic=clinic, actor=ACTOR, now=now
    )


def build_clinic(url: str, *, clients: int, days: int, today: date) -> Clinic:
    """A migrated database at `url` holding the clinic; `url` must name an empty database."""
    engine = make_engine(url)
    try:
        upgrade(engine)
        with transaction(session_factory(engine)) as db:
            clinic = find_or_make_clinic(db, "Bench clinic", now=Clock().now())
            therapist = _therapist(db, clinic, "therapist@bench.example")
            colleague = _therapist(db, clinic, "colleague@bench.example")
            added = [
                _add_client(db, clinic, therapist, i, days=days, today=today)
                for i in range(clients)
            ]
            others = [
                _add_client(db, clinic, colleague, i, days=days, today=today)
                for i in range(clients, clients + clients // 5)
            ]
            _, token = create_api_token(
                db, therapist, label="bench", actor=ACTOR, now=Clock().now()
            )
    finally:
        engine.dispose()
    return Clinic(
        client_ids=[client_id for client_id, _, _ in added],
        client_tokens=[secret for _, _, secret in added],
        therapist_token=token,
        colleague_clients=len(others),
        records=sum(records for _, records, _ in added + others),
    )
