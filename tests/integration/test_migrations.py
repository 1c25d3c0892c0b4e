"""Migrations that change stored rows, run on databases left as the old code left them."""

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import Engine, select, text

from sciatica_care.db import models
from sciatica_care.db.database import make_engine
from sciatica_care.db.migrate import alembic_config

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)


@pytest.fixture
def old_engine(database_url: str) -> Iterator[Engine]:
    """An engine on a database migrated to 0004: no revisions, no repair, no length limits."""
    engine = make_engine(database_url)
    _migrate(engine, "0004")
    yield engine
    engine.dispose()


def _migrate(engine: Engine, revision: str) -> None:
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def _multiplied(check_ins: int) -> list[object]:
    """The findings the old check-in wrote after `check_ins` check-ins that ticked a sign."""
    findings: list[object] = [
        "diabetes",
        {"code": "numbness", "regions": ["knee_left"]},
        {"code": "numbness", "regions": ["knee_right"], "note": "since Monday"},
    ]
    for _ in range(check_ins):
        findings = findings + findings
    return [*findings, "saddle_numbness"]


def test_0005_merges_multiplied_findings_cuts_over_long_notes_keeping_them_and_audits_each_row(
    old_engine: Engine,
) -> None:
    with old_engine.begin() as db:
        db.execute(
            text("INSERT INTO clinics (id, name, created_at) VALUES (1, 'Practice', :now)"),
            {"now": NOW},
        )
        db.execute(
            text(
                "INSERT INTO clients (id, clinic_id, name, consent_to_share, created_at)"
                " VALUES (7, 1, 'Ada', false, :now)"
            ),
            {"now": NOW},
        )
        insert = text(
            "INSERT INTO screenings (id, client_id, date, findings, created_at)"
            " VALUES (:id, 7, :date, :findings, :now)"
        )
        damaged = json.dumps(_multiplied(16))  # 196,609 findings, as 16 check-ins left it
        db.execute(insert, {"id": 1, "date": "2026-03-01", "findings": damaged, "now": NOW})
        clean = json.dumps(["diabetes", {"code": "numbness", "regions": ["knee_left"]}])
        db.execute(insert, {"id": 2, "date": "2026-02-01", "findings": clean, "now": NOW})
        db.execute(
            text(
                "INSERT INTO diary_entries (id, client_id, date, self_care, note, created_at)"
                " VALUES (3, 7, '2026-03-01', '[]', :note, :now)"
            ),
            {"note": "pain " * 980_000, "now": NOW},  # 4.9 MB, as the API once accepted
        )
    _migrate(old_engine, "head")
    with old_engine.connect() as db:
        rows: dict[int, list[object]] = dict(
            db.execute(select(models.Screening.id, models.Screening.findings)).all()
        )
        audits = db.execute(select(models.AuditEntry).order_by(models.AuditEntry.id)).all()
        note = db.scalar(select(models.DiaryEntry.note))
        kept = db.execute(select(models.KeptText)).one()
        revision = db.scalar(select(models.Client.revision).where(models.Client.id == 7))
    assert rows[1] == [
        "diabetes",
        {"code": "numbness", "regions": ["knee_left", "knee_right"], "note": "since Monday"},
        "saddle_numbness",
    ]
    assert rows[2] == ["diabetes", {"code": "numbness", "regions": ["knee_left"]}]
    assert note == ("pain " * 2_000)
    # Nothing a user entered is lost: the whole note is kept beside the cut one.
    assert (kept.client_id, kept.entity, kept.entity_id, kept.field) == (
        7,
        "diary_entries",
        3,
        "note",
    )
    assert kept.text == "pain " * 980_000
    repaired, shortened = audits
    assert (repaired.action, repaired.entity, repaired.entity_id) == ("repair", "screenings", 1)
    assert repaired.changes == {"findings": {"before": 196_609, "after": 3}}
    assert (shortened.action, shortened.entity, shortened.entity_id) == (
        "shorten",
        "diary_entries",
        3,
    )
    assert shortened.changes == {"note": {"before": 4_900_000, "after": 10_000}}
    assert {repaired.client_id, shortened.client_id} == {7}
    assert revision == 2
