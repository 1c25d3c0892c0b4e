"""`sciatica plan --input FILE --today DATE --format json` under the 2026.2 red-flag rules."""

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.runner import run


def plan_file(tmp_path: Path, history: dict[str, Any], *options: str) -> dict[str, Any]:
    """The JSON plan of a history written to a file, as of 2026-03-02."""
    path = tmp_path / "history.json"
    path.write_text(json.dumps({"schema": "sciatica-care/history@1", **history}))
    result = run(
        "plan", "--input", str(path), "--today", "2026-03-02", "--format", "json", *options
    )
    assert result.returncode == 0, result.stderr
    value: dict[str, Any] = json.loads(result.stdout)
    return value


CANCER_AND_NUMBNESS = {
    "client": {"birth_year": 1958},
    "screenings": [{"date": "2026-03-01", "findings": ["cancer_history", "numbness"]}],
    "assessments": [{"date": "2026-03-01", "leg_pain": 5}],
    "sessions": [{"date": "2026-02-20"}],
}


def test_cancer_with_numbness_is_an_emergency_with_a_safety_net_only(tmp_path: Path) -> None:
    plan = plan_file(tmp_path, CANCER_AND_NUMBNESS)

    assert plan["protocol"]["version"] == "2026.2"
    assert plan["triage"]["level"] == "emergency"
    assert plan["triage"]["rule"] == "triage.suspected_mscc"
    assert (
        "call 999 or go to the emergency department now; do not drive yourself"
        in (plan["triage"]["action"])
    )
    assert plan["massage"]["status"] == "on_hold"
    assert plan["cadence"]["next_session"] is None
    assert plan["self_care"] == []
    assert [r["code"] for r in plan["review"]] == ["safety_net"]


@pytest.mark.parametrize("how", ["option", "environment"])
def test_the_emergency_number_is_the_clinics(
    tmp_path: Path, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    options: tuple[str, ...] = ("--emergency-number", "112")
    if how == "environment":
        monkeypatch.setenv("SCIATICA_EMERGENCY_NUMBER", "112")
        options = ()
    plan = plan_file(tmp_path, CANCER_AND_NUMBNESS, *options)

    assert "call 112 or go to" in plan["triage"]["action"]


def test_a_note_with_red_flag_words_holds_massage_and_is_quoted(tmp_path: Path) -> None:
    plan = plan_file(
        tmp_path,
        {
            "screenings": [{"date": "2026-02-20", "findings": []}],
            "diary": [{"date": "2026-03-01", "leg_pain": 3, "note": "Can't feel it when I wipe"}],
        },
    )

    assert plan["massage"]["status"] == "on_hold"
    (review,) = [r for r in plan["review"] if r["code"] == "red_flag_words"]
    assert "“Can't feel it when I wipe”" in review["action"]


def test_a_clearance_with_no_name_clears_nothing_and_warns(tmp_path: Path) -> None:
    plan = plan_file(
        tmp_path,
        {
            "screenings": [{"date": "2026-02-20", "findings": ["pregnancy"]}],
            "clearances": [{"date": "2026-02-21", "finding": "pregnancy", "by": ""}],
        },
    )

    assert plan["massage"]["status"] == "on_hold"
    assert "clearance_incomplete" in [r["code"] for r in plan["review"]]


def test_a_history_written_before_2026_2_still_plans(tmp_path: Path) -> None:
    plan = plan_file(
        tmp_path,
        {
            "screenings": [{"date": "2026-02-20", "findings": ["pregnancy"]}],
            "clearances": [{"date": "2026-02-21", "finding": "pregnancy", "by": "Dr A. Example"}],
        },
    )

    assert plan["massage"]["status"] == "modified"
    assert plan["triage"]["findings"][0]["clearance"] == {
        "date": "2026-02-21",
        "by": "Dr A. Example",
        "role": None,
        "expires": "2026-08-20",  # the protocol's default: 180 days (C3)
        "conditions": None,
    }
