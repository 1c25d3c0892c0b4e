"""Outcomes, screening answers and clearance conditions are stored, planned and read back whole."""

from datetime import UTC, date, datetime

import msgspec
import pytest
from sqlalchemy.orm import Session, sessionmaker

from sciatica_care.db.database import transaction
from sciatica_care.domain.care_plan import build_care_plan
from sciatica_care.domain.history import History
from sciatica_care.engine import default_protocol
from sciatica_care.services.clients import add_client
from sciatica_care.services.errors import InputProblems
from sciatica_care.services.histories import history_document, store_history
from sciatica_care.services.records import add_entry

NOW = datetime(2026, 3, 9, 9, tzinfo=UTC)
TODAY = NOW.date()
PROTOCOL = default_protocol()


def _add(db: Session, client: object, kind: str, **body: object) -> None:
    add_entry(
        db,
        client=client,  # type: ignore[arg-type]
        kind=kind,
        body=body,
        protocol=PROTOCOL,
        actor="test",
        now=NOW,
        today=TODAY,
    )


def _plan(db: Session, client: object) -> object:
    document = history_document(db, client)  # type: ignore[arg-type]
    return build_care_plan(msgspec.convert(document, History), PROTOCOL, TODAY)


def test_an_emergency_stays_open_in_the_records_until_its_outcome_is_stored(
    sessions: sessionmaker[Session],
) -> None:
    with transaction(sessions) as db:
        ada = add_client(db, name="Ada", birth_year=1980, actor="test", now=NOW)
        _add(db, ada, "screenings", date="2026-03-01", findings=["bladder_change"])
        _add(db, ada, "screenings", date="2026-03-03", findings=[], negatives=["bladder_change"])
        care = _plan(db, ada)
        assert care.triage.level == "emergency"  # type: ignore[attr-defined]
        assert care.massage.status == "on_hold"  # type: ignore[attr-defined]
        _add(
            db,
            ada,
            "outcomes",
            date="2026-03-04",
            finding="bladder_change",
            result="excluded",
            by="Dr B. Example",
            role="ED consultant",
            note="MRI normal",
        )
        care = _plan(db, ada)
        assert care.triage.level != "emergency"  # type: ignore[attr-defined]
        # Closed after the latest screening: the client is screened again first.
        rules = [r.rule for r in care.massage.reasons]  # type: ignore[attr-defined]
        assert "triage.screen_after_outcome" in rules
        document = history_document(db, ada)
    assert document["outcomes"] == [
        {
            "date": "2026-03-04",
            "finding": "bladder_change",
            "result": "excluded",
            "by": "Dr B. Example",
            "role": "ED consultant",
            "note": "MRI normal",
        }
    ]
    assert document["screenings"][1]["negatives"] == ["bladder_change"]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        pytest.param({"by": "Dr B"}, "role: an outcome names the clinician's role", id="no-role"),
        pytest.param({"role": "GP"}, "by: an outcome names the clinician's name", id="no-name"),
        pytest.param(
            {"by": "Dr B", "role": "GP", "finding": "diabetes"},
            "finding: diabetes is classed modify",
            id="not-an-alert",
        ),
        pytest.param(
            {"by": "Dr B", "role": "GP", "result": "cured"},
            "result: must be excluded, treated or seen_no_action",
            id="unknown-result",
        ),
    ],
)
def test_an_outcome_names_who_closed_which_red_flag_and_how(
    sessions: sessionmaker[Session], body: dict[str, str], problem: str
) -> None:
    entry = {"date": "2026-03-04", "finding": "bladder_change", "result": "excluded", **body}
    with transaction(sessions) as db:
        ada = add_client(db, name="Ada", actor="test", now=NOW)
        with pytest.raises(InputProblems) as refused:
            _add(db, ada, "outcomes", **entry)
    assert any(p.startswith(problem) for p in refused.value.problems), refused.value.problems


def test_a_clearance_keeps_its_expiry_and_conditions_through_an_export_and_import(
    sessions: sessionmaker[Session],
) -> None:
    conditions = {"max_pressure": "light", "avoid_regions": ["lower_back"]}
    with transaction(sessions) as db:
        ada = add_client(db, name="Ada", birth_year=1980, actor="test", now=NOW)
        _add(db, ada, "screenings", date="2026-03-01", findings=["pregnancy"])
        _add(
            db,
            ada,
            "clearances",
            date="2026-03-02",
            finding="pregnancy",
            by="Ms M",
            role="midwife",
            expires="2026-09-01",
            conditions=conditions,
        )
        document = history_document(db, ada)
        copy = add_client(db, name="Ada copy", actor="test", now=NOW)
        history = msgspec.convert({**document, "today": TODAY.isoformat()}, History)
        store_history(db, client=copy, history=history, actor="test", now=NOW)
        again = history_document(db, copy)
        care = _plan(db, copy)
    (cleared,) = again["clearances"]
    assert cleared["expires"] == "2026-09-01"
    assert cleared["conditions"] == conditions
    finding = care.triage.findings[0]  # type: ignore[attr-defined]
    assert finding.clearance.expires == date(2026, 9, 1)
    assert care.massage.max_pressure == "light"  # type: ignore[attr-defined]
    assert "lower_back" in care.massage.avoid_regions  # type: ignore[attr-defined]
