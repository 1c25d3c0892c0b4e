"""Signs reported at check-ins are stored as check-in screenings of those signs only."""

from datetime import UTC, datetime

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from sciatica_care.db import models
from sciatica_care.db.database import transaction
from sciatica_care.domain.care_plan import build_care_plan
from sciatica_care.domain.history import History
from sciatica_care.engine import default_protocol
from sciatica_care.services.clients import add_client
from sciatica_care.services.entries import record, report_signs
from sciatica_care.services.histories import history_document

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)
PROTOCOL = default_protocol()


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
        query = select(models.Screening.findings, models.Screening.source)
        rows = db.execute(query.order_by(models.Screening.id)).all()
    assert len(rows) == 19
    assert rows[0] == (["numbness", "diabetes"], "screening")
    # Each check-in holds its own signs, never a copy of the whole screening (B1).
    assert {(tuple(findings), source) for findings, source in rows[1:]} == {
        (("saddle_numbness",), "check_in")
    }


def test_a_check_in_sign_is_not_a_full_screening(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as db:
        client = add_client(db, name="Ada", actor="test", now=NOW)
        report_signs(
            db,
            client=client,
            signs=["bladder_change", "bladder_change"],
            protocol=PROTOCOL,
            actor="a",
            now=NOW,
            today=NOW.date(),
        )
        document = history_document(db, client)
    assert document["screenings"] == [
        {"date": "2026-03-02", "findings": ["bladder_change"], "source": "check_in"}
    ]
    care = build_care_plan(msgspec.convert(document, History), PROTOCOL, NOW.date())
    assert (care.triage.level, care.massage.status) == ("emergency", "on_hold")
    # Only the sign is known: the full screening is still to be done.
    assert care.triage.unknown[0] == "saddle_numbness"
