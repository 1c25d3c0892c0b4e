"""Triage: red flags and precautions from the latest screening, and clearances (reading 1)."""

from datetime import date

import msgspec
import pytest

from sciatica_care.domain.care_plan import build_care_plan
from sciatica_care.domain.codes import ALERT_LEVELS
from sciatica_care.domain.history import Screening
from sciatica_care.domain.history_parser import HistoryProblems, parse_history
from sciatica_care.domain.plan import CarePlan, TriageFinding
from sciatica_care.engine import default_protocol
from tests.builders import (
    assessment,
    clearance,
    day,
    make_history,
    plan,
    screening,
)

EMERGENCY = (
    "saddle_numbness",
    "bladder_change",
    "bowel_change",
    "bilateral_leg_symptoms",
    "new_sexual_dysfunction",
)
URGENT = ("progressive_weakness", "suspected_dvt", "fever_or_infection_signs", "significant_trauma")
SEE_DOCTOR = (
    "cancer_history",
    "unexplained_weight_loss",
    "severe_night_pain",
    "immunosuppression",
    "iv_drug_use",
    "long_term_steroids",
)
CLEARANCE_NEEDED = ("pregnancy", "heart_condition")

# code, finding level, triage level, rule, massage status
FINDINGS = [
    *((code, "emergency", "emergency", "triage.cauda_equina", "on_hold") for code in EMERGENCY),
    *((code, "urgent", "urgent", "triage.urgent_referral", "on_hold") for code in URGENT),
    *(
        (code, "see_doctor", "see_doctor", "triage.serious_pathology", "on_hold")
        for code in SEE_DOCTOR
    ),
    *(
        (code, "precaution", "precautions", "triage.clearance_needed", "on_hold")
        for code in CLEARANCE_NEEDED
    ),
    *(
        (code, "precaution", "precautions", "precaution.light_pressure_only", "modified")
        for code in ("anticoagulants", "bleeding_disorder", "osteoporosis")
    ),
    # A finding about one place, screened with no region: massage waits for the region (D1/A3).
    ("recent_surgery", "precaution", "precautions", "precaution.surgical_site", "on_hold"),
    ("skin_lesion", "precaution", "precautions", "precaution.avoid_site", "on_hold"),
    *(
        (code, "precaution", "precautions", "precaution.reduced_sensation", "modified")
        for code in ("diabetes", "numbness")
    ),
]


def only_finding(care: CarePlan) -> TriageFinding:
    """The one triage finding of a plan."""
    (found,) = care.triage.findings
    return found


def test_saddle_numbness_puts_massage_on_hold() -> None:
    care = plan(make_history(screenings=[screening(day(0), "saddle_numbness")]))

    assert care.triage.level == "emergency"
    assert care.triage.rule == "triage.cauda_equina"
    assert care.massage.status == "on_hold"
    assert care.massage.techniques == ()
    assert "massage.on_hold" in {reason.rule for reason in care.massage.reasons}


@pytest.mark.parametrize(("code", "level", "triage", "rule", "status"), FINDINGS)
def test_a_screening_finding_sets_triage_level_rule_and_massage_status(
    code: str, level: str, triage: str, rule: str, status: str
) -> None:
    care = plan(make_history(screenings=[screening(day(0), code)]))

    found = only_finding(care)
    assert (found.code, found.level, found.rule, found.cleared) == (code, level, rule, False)
    assert (care.triage.level, care.triage.rule) == (triage, rule)
    assert care.massage.status == status


@pytest.mark.parametrize("code", [row[0] for row in FINDINGS if row[1] not in ALERT_LEVELS])
def test_a_finding_missing_from_the_latest_screening_no_longer_counts(code: str) -> None:
    history = make_history(screenings=[screening(day(0), code), screening(day(7))])

    care = plan(history)

    assert care.triage.findings == ()
    assert (care.triage.level, care.triage.rule) == ("clear", "triage.clear")
    assert care.massage.status == "go"


@pytest.mark.parametrize(
    ("code", "level", "rule"),
    [(row[0], row[1], row[3]) for row in FINDINGS if row[1] in ALERT_LEVELS],
)
def test_an_emergency_or_urgent_finding_outlives_a_later_blank_screening(
    code: str, level: str, rule: str
) -> None:
    history = make_history(screenings=[screening(day(0), code), screening(day(2))])

    care = plan(history)

    assert (care.triage.level, care.triage.rule, care.massage.status) == (level, rule, "on_hold")
    (open_finding,) = care.triage.findings
    assert (open_finding.code, open_finding.reported, open_finding.awaiting) == (
        code,
        day(0),
        "outcome",
    )
    reasons = " ".join(r.text for r in care.massage.reasons)
    assert f"Waiting for the outcome of {code}, reported on {day(0).isoformat()}." in reasons


@pytest.mark.parametrize(
    ("screenings", "level", "rule", "status"),
    [
        pytest.param([], "unscreened", "triage.unscreened", "on_hold", id="never-screened"),
        pytest.param([screening(day(0))], "clear", "triage.clear", "go", id="screened-clear"),
    ],
)
def test_no_screening_on_record_puts_massage_on_hold(
    screenings: list[Screening], level: str, rule: str, status: str
) -> None:
    history = make_history(screenings=screenings, assessments=[assessment(day(0), 5, 3)])

    care = plan(history)

    assert (care.triage.level, care.triage.rule, care.massage.status) == (level, rule, status)


@pytest.mark.parametrize(
    ("codes", "level", "rule"),
    [
        pytest.param(
            ("anticoagulants", "diabetes"),
            "precautions",
            "precaution.light_pressure_only",
            id="precautions",
        ),
        pytest.param(
            ("anticoagulants", "cancer_history"),
            "see_doctor",
            "triage.serious_pathology",
            id="see-doctor-beats-precaution",
        ),
        pytest.param(
            ("cancer_history", "suspected_dvt"),
            "urgent",
            "triage.urgent_referral",
            id="urgent-beats-see-doctor",
        ),
        pytest.param(
            ("progressive_weakness", "bladder_change", "pregnancy"),
            "emergency",
            "triage.cauda_equina",
            id="emergency-beats-all",
        ),
    ],
)
def test_the_most_severe_finding_sets_the_triage_level(
    codes: tuple[str, ...], level: str, rule: str
) -> None:
    care = plan(make_history(screenings=[screening(day(0), *codes)]))

    assert (care.triage.level, care.triage.rule) == (level, rule)
    assert {f.code for f in care.triage.findings} == set(codes)


@pytest.mark.parametrize("code", SEE_DOCTOR + CLEARANCE_NEEDED)
def test_a_clearance_lifts_the_hold_and_keeps_the_finding_as_a_cleared_precaution(
    code: str,
) -> None:
    history = make_history(
        screenings=[screening(day(0), code)], clearances=[clearance(day(3), code)]
    )

    care = plan(history)

    found = only_finding(care)
    assert (found.code, found.level, found.cleared, found.rule) == (
        code,
        "precaution",
        True,
        "triage.cleared",
    )
    assert found.clearance is not None
    assert found.clearance.date == day(3)
    assert care.triage.level == "precautions"
    assert care.massage.status != "on_hold"


@pytest.mark.parametrize("code", SEE_DOCTOR + CLEARANCE_NEEDED)
def test_a_clearance_of_another_finding_does_not_lift_the_hold(code: str) -> None:
    other = "heart_condition" if code != "heart_condition" else "pregnancy"
    history = make_history(
        screenings=[screening(day(0), code)], clearances=[clearance(day(3), other)]
    )

    care = plan(history)

    assert only_finding(care).cleared is False
    assert care.massage.status == "on_hold"


@pytest.mark.parametrize("code", EMERGENCY + URGENT)
def test_a_clearance_never_lifts_an_emergency_or_urgent_finding(code: str) -> None:
    history = make_history(
        screenings=[screening(day(0), code)], clearances=[clearance(day(3), code)]
    )

    care = plan(history)

    found = only_finding(care)
    assert (found.cleared, found.level) == (False, care.triage.level)
    assert care.triage.level in ("emergency", "urgent")
    assert care.massage.status == "on_hold"


def _pregnancy_cleared_on(cleared: str) -> bytes:
    return msgspec.json.encode(
        {
            "schema": "sciatica-care/history@1",
            "today": "2026-02-02",
            "screenings": [{"date": "2026-02-01", "findings": ["pregnancy"]}],
            "clearances": [{"date": cleared, "finding": "pregnancy", "by": "Dr A. Example"}],
        }
    )


def test_a_clearance_dated_after_today_is_refused_not_applied() -> None:
    with pytest.raises(HistoryProblems) as refused:
        parse_history(
            _pregnancy_cleared_on("2026-02-03"), today=None, system_today=date(2026, 3, 1)
        )

    assert any(p.startswith("clearances[0].date: is after today") for p in refused.value.problems)


def test_a_clearance_dated_today_lifts_the_hold() -> None:
    history = parse_history(
        _pregnancy_cleared_on("2026-02-02"), today=None, system_today=date(2026, 3, 1)
    )

    care = build_care_plan(history, default_protocol(), date(2026, 2, 2))

    assert care.massage.status == "modified"
    assert only_finding(care).cleared is True
