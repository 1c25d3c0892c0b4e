"""One client's data, on SQLite and PostgreSQL: everything held about them, and erasure."""

import json
from datetime import UTC, date, datetime
from typing import Any

import msgspec
from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session, sessionmaker

from sciatica_care.db import models
from sciatica_care.db.database import transaction
from sciatica_care.engine import default_protocol
from sciatica_care.services.backup import plain
from sciatica_care.services.client_data import LEFT_OUT, OWN_SECTIONS, client_export, erase_client
from sciatica_care.services.clients import add_client
from sciatica_care.services.entries import record
from sciatica_care.services.histories import history_document
from sciatica_care.services.planning import plan_client
from tests.databases import add_care_team

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TODAY = NOW.date()
ERASED: tuple[type[models.Base], ...] = (
    models.Client,
    models.Screening,
    models.Clearance,
    models.Outcome,
    models.Examination,
    models.Episode,
    models.Assessment,
    models.SessionNote,
    models.TechniqueOverride,
    models.DiaryEntry,
    models.Appointment,
    models.Import,
    models.PlanSnapshot,
    models.Message,
)
PERSONAL = (
    "Ada Lovelace",
    "ada@example.org",
    "sleeps badly",
    "walked to the shop",
    "came back after a lift",
    "GP agrees",
    "how did the walk go?",
)


def _entry(db: Session, client: models.Client, kind: str, **fields: Any) -> models.Base:
    stored = record(
        db,
        client=client,
        kind=kind,
        entry={"date": "2026-03-01", **fields},
        today=TODAY,
        protocol=default_protocol(),
        actor="t",
        now=NOW,
    )
    return stored.row


def _ada(db: Session) -> models.Client:
    """Ada with a record of every kind, a therapist, a sign-in account and a plan kept."""
    ada = add_client(
        db, name="Ada Lovelace", birth_year=1971, email="ada@example.org", actor="t", now=NOW
    )
    _entry(db, ada, "screenings", findings=["anticoagulants"])
    _entry(db, ada, "clearances", finding="anticoagulants", by="Dr A")
    _entry(db, ada, "outcomes", finding="bladder_change", result="excluded", by="Dr B", role="GP")
    _entry(db, ada, "examinations", power={"L5_left": 4}, reflexes={"ankle_left": "reduced"})
    _entry(db, ada, "episodes", onset="2026-01-02", note="came back after a lift")
    _entry(db, ada, "assessments", leg_pain=6, back_pain=3, note="sleeps badly")
    _entry(db, ada, "diary", leg_pain=5, note="walked to the shop")
    session = _entry(db, ada, "sessions", techniques=["swedish"], areas=["gluteals"])
    assert isinstance(session, models.SessionNote)
    session.subjective, session.objective = "pain at night", "tight piriformis"
    session.assessment, session.plan = "improving", "review in a week"
    therapist = add_care_team(db, ada, NOW, password_hash="argon2$secret")
    db.add_all(
        [
            models.TechniqueOverride(
                session_note_id=session.id,
                finding="anticoagulants",
                reason="GP agrees",
                created_at=NOW,
            ),
            models.Appointment(
                client_id=ada.id, date=date(2026, 3, 9), therapist_id=therapist.id, created_at=NOW
            ),
            models.Message(
                client_id=ada.id,
                sender_id=therapist.id,
                kind="message",
                body="how did the walk go?",
                created_at=NOW,
            ),
            models.Import(
                client_id=ada.id,
                kind="history",
                sha256="0" * 64,
                records=5,
                actor="cli:kim",
                imported_at=NOW,
            ),
        ]
    )
    plan_client(db, client=ada, today=TODAY, protocol=default_protocol(), actor="t", now=NOW)
    return ada


def _grace(db: Session) -> models.Client:
    grace = add_client(db, name="Grace Hopper", actor="t", now=NOW)
    _entry(db, grace, "screenings", findings=[])
    _entry(db, grace, "assessments", leg_pain=4, back_pain=2)
    plan_client(db, client=grace, today=TODAY, protocol=default_protocol(), actor="t", now=NOW)
    return grace


def _count(db: Session, model: type[models.Base]) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


def test_a_client_export_holds_every_record_held_about_them(
    sessions: sessionmaker[Session],
) -> None:
    with transaction(sessions) as db:
        ada = _ada(db)
        _grace(db)
    with sessions() as db:
        exported = client_export(db, client=db.get_one(models.Client, ada.id), now=NOW)
    document = json.loads(msgspec.json.encode(exported))
    assert document["format"] == "sciatica-care/client-export@1"
    assert document["client"]["name"] == "Ada Lovelace"
    assert document["client"]["email"] == "ada@example.org"
    assert document["client"]["therapists"] == [{"id": 1, "email": "kim@clinic.example"}]
    records = document["records"]
    assert {name: len(rows) for name, rows in records.items()} == {
        "screenings": 1,
        "clearances": 1,
        "outcomes": 1,
        "examinations": 1,
        "episodes": 1,
        "assessments": 1,
        "session_notes": 1,
        "diary_entries": 1,
        "appointments": 1,
        "plan_snapshots": 1,
        "technique_overrides": 1,
        "messages": 1,
        "calendar_links": 0,
        "kept_texts": 0,
        "imports": 1,
    }
    soap = records["session_notes"][0]
    assert (soap["subjective"], soap["objective"]) == ("pain at night", "tight piriformis")
    assert (soap["assessment"], soap["plan"]) == ("improving", "review in a week")
    assert records["technique_overrides"][0]["reason"] == "GP agrees"
    assert records["messages"][0]["body"] == "how did the walk go?"
    assert records["assessments"][0]["note"] == "sleeps badly"
    assert records["plan_snapshots"][0]["plan"]["schema"] == "sciatica-care/plan@1"
    assert document["user_accounts"] == [
        {
            "id": 2,
            "email": "ada@example.org",
            "role": "client",
            "created_at": "2026-03-02T09:00:00Z",
        }
    ]
    assert "argon2$secret" not in json.dumps(document)
    about = [(entry["action"], entry["entity"]) for entry in document["audit_log"]]
    assert about == [
        ("create", "clients"),
        ("create", "screenings"),
        ("create", "clearances"),
        ("create", "outcomes"),
        ("create", "examinations"),
        ("create", "episodes"),
        ("create", "assessments"),
        ("create", "diary_entries"),
        ("create", "session_notes"),
        ("plan", "plan_snapshots"),
    ]
    assert "Grace" not in json.dumps(document)


def test_an_erased_client_leaves_only_an_audit_entry_without_personal_data(
    sessions: sessionmaker[Session],
) -> None:
    with transaction(sessions) as db:
        ada = _ada(db)
    with transaction(sessions) as db:
        removed = erase_client(db, client=db.get_one(models.Client, ada.id), actor="t", now=NOW)
    assert removed == 15
    with sessions() as db:
        for model in ERASED:
            assert _count(db, model) == 0, model.__tablename__
        assert list(db.scalars(select(models.User.role))) == ["therapist"]
        assert db.scalar(select(func.count()).select_from(models.client_therapists)) == 0
        erased = db.scalars(select(models.AuditEntry).order_by(models.AuditEntry.id.desc())).first()
        assert erased is not None
        assert (erased.action, erased.entity, erased.entity_id, erased.actor) == (
            "erase",
            "clients",
            ada.id,
            "t",
        )
        assert (erased.client_id, plain(erased.at)) == (ada.id, NOW)
        audit_log = [
            [entry.actor, entry.action, entry.entity, entry.changes, entry.reason]
            for entry in db.scalars(select(models.AuditEntry))
        ]
    written = json.dumps(audit_log)
    for personal in PERSONAL:
        assert personal not in written


def test_erasing_one_client_leaves_the_others_untouched(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as db:
        ada = _ada(db)
        grace = _grace(db)
    with sessions() as db:
        before = client_export(db, client=db.get_one(models.Client, grace.id), now=NOW)
        history = history_document(db, db.get_one(models.Client, grace.id))
    with transaction(sessions) as db:
        erase_client(db, client=db.get_one(models.Client, ada.id), actor="t", now=NOW)
    with sessions() as db:
        kept = db.get_one(models.Client, grace.id)
        assert client_export(db, client=kept, now=NOW) == before
        assert history_document(db, kept) == history
        assert [c.name for c in db.scalars(select(models.Client))] == ["Grace Hopper"]


def _refers_to_clients(table: Table, seen: frozenset[str] = frozenset()) -> bool:
    """Whether a table names a client: a client_id column, or a foreign key to such a table."""
    if "client_id" in table.c:
        return True
    return any(
        key.column.table.name not in seen
        and _refers_to_clients(key.column.table, seen | {table.name})
        for key in table.foreign_keys
    )


def test_every_table_about_a_client_is_exported_or_left_out_with_a_reason(
    sessions: sessionmaker[Session],
) -> None:
    with transaction(sessions) as db:
        ada = _ada(db)
    with sessions() as db:
        exported = client_export(db, client=db.get_one(models.Client, ada.id), now=NOW)
    accounted = {*exported["records"], *OWN_SECTIONS, *LEFT_OUT}
    about_clients = {
        table.name
        for table in models.Base.metadata.sorted_tables
        if table.name == "clients" or _refers_to_clients(table)
    }
    assert about_clients - accounted == set(), "a table about clients is not in the export"
    assert set(OWN_SECTIONS) | set(LEFT_OUT) <= about_clients, "a stale entry"
    assert all(reason.strip() for reason in (*OWN_SECTIONS.values(), *LEFT_OUT.values()))
