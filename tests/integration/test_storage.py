"""Storage on SQLite and PostgreSQL: migrations, records, red flags, round trips."""

import json
from datetime import UTC, date, datetime

import msgspec
import pytest
from alembic import command
from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from sciatica_care.db import models
from sciatica_care.db.database import transaction
from sciatica_care.db.migrate import HEAD, alembic_config, current_revision
from sciatica_care.domain.history_parser import parse_history
from sciatica_care.engine import default_protocol, plan_history, plan_json
from sciatica_care.services.clients import add_client, find_client
from sciatica_care.services.entries import record
from sciatica_care.services.errors import InputProblems, ServiceError
from sciatica_care.services.histories import history_document, store_history
from sciatica_care.services.planning import plan_client
from tests.paths import EXAMPLE, shared_dir

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TODAY = NOW.date()


def test_migrations_and_models_agree(engine: Engine) -> None:
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.check(config)


def test_an_ambiguous_name_lists_the_candidates(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as db:
        add_client(db, name="Ada Lovelace", actor="t", now=NOW)
        add_client(db, name="Ada Byron", actor="t", now=NOW)
        assert find_client(db, "ada lovelace").name == "Ada Lovelace"
        with pytest.raises(ServiceError, match=r"matches several clients, use an id: 1: Ada"):
            find_client(db, "Ada")
        with pytest.raises(ServiceError, match="no client called 'Grace'"):
            find_client(db, "Grace")


def test_a_bad_entry_names_its_field_and_stores_nothing(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as db:
        client = add_client(db, name="Ada", actor="t", now=NOW)
    entry = {"date": "2026-03-01", "leg_pain": 11, "self_care": ["dancing"]}
    with pytest.raises(InputProblems) as refused, transaction(sessions) as db:
        record(
            db,
            client=client,
            kind="diary",
            entry=entry,
            today=TODAY,
            protocol=default_protocol(),
            actor="t",
            now=NOW,
        )
    assert refused.value.problems == [
        "leg_pain: must be an integer 0..10, got 11",
        'self_care[0]: must be a self-care item, got "dancing"',
    ]
    with sessions() as db:
        assert db.scalar(select(func.count()).select_from(models.DiaryEntry)) == 0


@pytest.mark.parametrize(
    ("kind", "entry", "level"),
    [
        ("screenings", {"date": "2026-03-02", "findings": ["bladder_change"]}, "emergency"),
        ("screenings", {"date": "2026-03-02", "findings": ["suspected_dvt"]}, "urgent"),
        ("assessments", {"date": "2026-03-02", "regions": {"numbness": ["saddle"]}}, "emergency"),
        (
            "assessments",
            {"date": "2026-03-02", "regions": {"pain": ["knee_left", "sole_right"]}},
            "emergency",
        ),
        ("assessments", {"date": "2026-03-02", "regions": {"pain": ["knee_left"]}}, None),
        ("screenings", {"date": "2026-03-02", "findings": ["anticoagulants"]}, None),
    ],
)
def test_an_entry_with_a_red_flag_is_stored_and_answers_with_the_triage_message(
    sessions: sessionmaker[Session], kind: str, entry: dict[str, object], level: str | None
) -> None:
    with transaction(sessions) as db:
        client = add_client(db, name="Ada", actor="t", now=NOW)
        recorded = record(
            db,
            client=client,
            kind=kind,
            entry=entry,
            today=TODAY,
            protocol=default_protocol(),
            actor="t",
            now=NOW,
        )
    assert (recorded.alert.level if recorded.alert else None) == level
    if recorded.alert:
        assert "now" in recorded.alert.action or "doctor" in recorded.alert.action
    with sessions() as db:
        assert len(history_document(db, client)[kind]) == 1


def histories() -> list[tuple[str, bytes, date]]:
    """The shipped example and every public scenario history, with the date to plan on."""
    found = [("example", EXAMPLE.read_bytes(), date(2026, 3, 2))]
    for path in sorted((shared_dir() / "scenarios").glob("*.json")):
        scenario = json.loads(path.read_text())
        if "history" in scenario and "expect" in scenario:
            raw = json.dumps(scenario["history"]).encode()
            found.append((path.name, raw, date.fromisoformat(scenario["today"])))
    return found


def test_a_stored_client_plans_exactly_like_its_history_file(
    sessions: sessionmaker[Session],
) -> None:
    protocol = default_protocol()
    for name, raw, today in histories():
        from_file = plan_json(plan_history(raw, today=today, system_today=today))
        history = parse_history(raw, today=today, system_today=today)
        with transaction(sessions) as db:
            client = add_client(db, name=name, actor="t", now=NOW)
            store_history(db, client=client, history=history, actor="t", now=NOW)
        with transaction(sessions) as db:
            stored = plan_json(
                plan_client(db, client=client, today=today, protocol=protocol, actor="t", now=NOW)
            )
            exported = msgspec.json.encode(history_document(db, client))
        again = plan_json(plan_history(exported, today=today, system_today=today))
        assert stored == from_file, name
        assert again == from_file, name


def test_a_plan_snapshot_keeps_what_was_recommended(sessions: sessionmaker[Session]) -> None:
    history = parse_history(EXAMPLE.read_bytes(), today=TODAY, system_today=TODAY)
    with transaction(sessions) as db:
        client = add_client(db, name="Ada", actor="t", now=NOW)
        store_history(db, client=client, history=history, actor="t", now=NOW)
        plan = plan_client(
            db, client=client, today=TODAY, protocol=default_protocol(), actor="t", now=NOW
        )
    with sessions() as db:
        snapshot = db.scalars(select(models.PlanSnapshot)).one()
        assert snapshot.plan == plan_json(plan).decode()
        assert (snapshot.as_of, snapshot.protocol_version) == (TODAY, "2026.2")
        actions = list(db.scalars(select(models.AuditEntry.action).order_by(models.AuditEntry.id)))
        assert actions == ["create", "import", "plan"]


def test_the_audit_log_cannot_be_changed_or_deleted(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as db:
        add_client(db, name="Ada", actor="t", now=NOW)
    for change in (
        update(models.AuditEntry).values(actor="someone else"),
        delete(models.AuditEntry),
    ):
        with pytest.raises(DBAPIError, match="append-only"), transaction(sessions) as db:
            db.execute(change)
    with sessions() as db:
        assert list(db.scalars(select(models.AuditEntry.actor))) == ["t"]


def test_the_known_head_is_the_newest_migration(engine: Engine) -> None:
    from alembic.script import ScriptDirectory

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD
    assert current_revision(engine) == HEAD


def test_a_clearances_role_is_stored_and_a_nameless_one_clears_nothing(
    sessions: sessionmaker[Session],
) -> None:
    raw = json.dumps(
        {
            "schema": "sciatica-care/history@1",
            "screenings": [{"date": "2026-02-20", "findings": ["pregnancy", "heart_condition"]}],
            "clearances": [
                {"date": "2026-02-21", "finding": "pregnancy", "by": "Dr Rao", "role": "midwife"},
                {"date": "2026-02-21", "finding": "heart_condition", "by": " "},
            ],
        }
    )
    history = parse_history(raw, today=TODAY, system_today=TODAY)
    with transaction(sessions) as db:
        client = add_client(db, name="Role Test", actor="t", now=NOW)
        store_history(db, client=client, history=history, actor="t", now=NOW)
    with transaction(sessions) as db:
        exported = history_document(db, client)
        stored = plan_client(
            db, client=client, today=TODAY, protocol=default_protocol(), actor="t", now=NOW
        )
    roles = {c["finding"]: c.get("role") for c in exported["clearances"]}
    assert roles == {"pregnancy": "midwife", "heart_condition": None}
    assert stored.massage.status == "on_hold"  # the heart condition's clearance names no one
    cleared = {f.code: f.clearance for f in stored.triage.findings if f.cleared}
    assert list(cleared) == ["pregnancy"]
    assert cleared["pregnancy"] is not None
    assert cleared["pregnancy"].role == "midwife"
