"""Signs reported at check-ins join the current screening as a set: a record never multiplies."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from sciatica_care.db import models
from sciatica_care.db.database import transaction
from sciatica_care.engine import default_protocol
from sciatica_care.services.clients import add_client
from sciatica_care.services.entries import carried_forward, record, report_signs

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)
PROTOCOL = default_protocol()


def test_each_current_finding_is_carried_once_with_its_regions_merged() -> None:
    screenings: list[dict[str, Any]] = [
        {"date": "2026-02-01", "findings": ["severe_night_pain"]},
        {"date": "2026-03-01", "findings": ["diabetes", "numbness"]},
        {
            "date": "2026-03-01",
            "findings": [
                {"code": "numbness", "regions": ["knee_left"], "note": "since Monday"},
                {"code": "numbness", "regions": ["knee_right", "knee_left"]},
                "diabetes",
            ],
        },
    ]
    assert carried_forward(screenings, ["saddle_numbness", "diabetes"]) == [
        "diabetes",
        {"code": "numbness", "regions": ["knee_left", "knee_right"], "note": "since Monday"},
        "saddle_numbness",
    ]


def test_eighteen_check_ins_that_tick_a_sign_keep_each_finding_once(
    sessions: sessionmaker[Session],
) -> None:
    with transaction(sessions) as db:
        client = add_client(db, name="Ada", actor="test", now=NOW)
        screened = {"date": "2026-03-02", "findings": ["numbness", "diabetes"]}
        record(
            db,
            client=client,
            kind="screenings",
            entry=screened,
            today=NOW.date(),
            protocol=PROTOCOL,
            actor="test",
            now=NOW,
        )
    for _ in range(18):
        with transaction(sessions) as db:
            found = db.get_one(models.Client, client.id)
            report_signs(
                db,
                client=found,
                signs=["saddle_numbness"],
                protocol=PROTOCOL,
                actor="a",
                now=NOW,
                today=NOW.date(),
            )
    with transaction(sessions) as db:
        rows = db.scalars(select(models.Screening.findings).order_by(models.Screening.id)).all()
    assert len(rows) == 19
    assert rows[-1] == ["numbness", "diabetes", "saddle_numbness"]
    assert max(len(findings) for findings in rows) == 3
