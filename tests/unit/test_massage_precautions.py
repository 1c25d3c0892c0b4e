"""Protocol 2026.2 massage rules: avoided regions drop focus areas (D1), a finding about one place
needs its region (A3), body-map numbness (D2), recent surgery (D3), back-pain-dominant clients (E8).
"""

import pytest

from sciatica_care.domain.plan import CarePlan
from sciatica_care.domain.protocol import ProtocolProblems, load_protocol
from sciatica_care.engine import default_protocol, default_protocol_text
from tests.builders import (
    assessment,
    clearance,
    day,
    diary,
    finding,
    make_history,
    plan,
    screening,
    session,
)

LAST_AREAS = ("lumbar_paraspinals", "quadratus_lumborum", "gluteals", "piriformis", "hamstrings")


def reason_rules(care: CarePlan) -> list[str]:
    """The rule ids behind the massage advice, in order."""
    return [reason.rule for reason in care.massage.reasons]


def planned(*found: object, clearances: tuple[object, ...] = (), leg: int = 2) -> CarePlan:
    """The plan after a session on these areas, under a screening with these findings."""
    history = make_history(
        screenings=[screening(day(0), *found)],  # type: ignore[arg-type]
        clearances=clearances,  # type: ignore[arg-type]
        assessments=[assessment(day(0), 6, 3)],
        sessions=[session(day(1), areas=LAST_AREAS, minutes=60)],
        diary=[diary(day(2), leg, 1)],
    )
    return plan(history)


@pytest.mark.parametrize(
    ("found", "dropped", "kept"),
    [
        pytest.param(
            finding("skin_lesion", "lower_back"),
            {"lumbar_paraspinals", "quadratus_lumborum"},
            {"gluteals", "piriformis", "hamstrings"},
            id="lower-back",
        ),
        pytest.param(
            finding("skin_lesion", "buttock_left", "posterior_thigh_left"),
            {"gluteals", "piriformis", "hamstrings"},
            {"lumbar_paraspinals", "quadratus_lumborum"},
            id="buttock-and-thigh",
        ),
        pytest.param(finding("skin_lesion", "heel_right"), set(), set(LAST_AREAS), id="heel"),
    ],
)
def test_a_focus_area_over_an_avoided_region_is_dropped_and_the_plan_says_why(
    found: object, dropped: set[str], kept: set[str]
) -> None:
    care = planned(found)

    assert set(care.massage.focus_areas) == kept
    assert ("massage.avoid_focus_area" in reason_rules(care)) is bool(dropped)
    for reason in care.massage.reasons:
        if reason.rule == "massage.avoid_focus_area":
            assert all(area in reason.text for area in dropped)


def test_the_default_focus_areas_are_dropped_over_an_avoided_lower_back_too() -> None:
    history = make_history(
        screenings=[screening(day(0), finding("recent_surgery", "lower_back"))],
        clearances=[clearance(day(0), "recent_surgery", by="Ms B. Surgeon, spinal surgeon")],
        assessments=[assessment(day(0), 2, 1)],
    )
    care = plan(history)

    assert care.massage.avoid_regions == ("lower_back",)
    assert "lumbar_paraspinals" not in care.massage.focus_areas
    assert care.massage.focus_areas == ("gluteals", "piriformis")


@pytest.mark.parametrize("code", ["recent_surgery", "skin_lesion"])
def test_a_finding_about_one_place_without_its_region_holds_massage_until_one_is_recorded(
    code: str,
) -> None:
    held = planned(code)
    placed = planned(finding(code, "posterior_calf_left"))

    assert held.massage.status == "on_hold"
    assert "precaution.region_needed" in reason_rules(held)
    assert held.cadence.interval == "on_hold"
    assert placed.massage.status == "modified"
    assert "precaution.region_needed" not in reason_rules(placed)


def test_protocol_check_refuses_a_needs_region_that_is_not_true_or_false() -> None:
    text = default_protocol_text().replace("needs_region = true", 'needs_region = "yes"', 1)

    with pytest.raises(ProtocolProblems) as refused:
        load_protocol(text)

    assert any(
        p.endswith("needs_region: must be true or false, got 'yes'") for p in refused.value.problems
    )


def test_the_shipped_protocol_marks_surgery_and_skin_lesions_as_about_one_place() -> None:
    findings = default_protocol().findings

    assert {code for code, spec in findings.items() if spec.needs_region} >= {
        "recent_surgery",
        "skin_lesion",
    }


@pytest.mark.parametrize(
    ("numb", "pressure", "status"),
    [
        pytest.param(["dorsum_of_foot_left"], "moderate", "modified", id="numb-foot"),
        pytest.param([], "firm", "go", id="no-numbness"),
    ],
)
def test_numbness_on_the_body_map_caps_pressure_as_a_numbness_finding_does(
    numb: list[str], pressure: str, status: str
) -> None:
    history = make_history(
        assessments=[assessment(day(0), 2, 1, pain=["lateral_calf_left"], numbness=numb)],
    )
    care = plan(history)

    assert (care.massage.status, care.massage.max_pressure) == (status, pressure)
    rules = {(f.code, f.rule, f.source) for f in care.triage.findings}
    assert (("numbness", "precaution.body_map_numbness", "body_map") in rules) is bool(numb)
    assert ("precaution.reduced_sensation" in reason_rules(care)) is bool(numb)


def test_body_map_numbness_before_any_screening_leaves_the_client_unscreened() -> None:
    history = make_history(
        screenings=[], assessments=[assessment(day(0), 2, 1, numbness=["sole_left"])]
    )
    care = plan(history)

    assert care.triage.level == "unscreened"
    assert care.massage.status == "on_hold"


@pytest.mark.parametrize(
    ("regions", "cleared_by", "status"),
    [
        pytest.param(("lower_back",), None, "on_hold", id="spinal-not-cleared"),
        pytest.param(("lower_back",), "Ms B. Surgeon, spinal surgeon", "modified", id="cleared"),
        pytest.param(("lower_back",), "   ", "on_hold", id="clearance-names-nobody"),
        pytest.param(("knee_left",), None, "modified", id="not-spinal"),
    ],
)
def test_recent_spinal_surgery_needs_the_surgeons_clearance(
    regions: tuple[str, ...], cleared_by: str | None, status: str
) -> None:
    cleared = (clearance(day(1), "recent_surgery", by=cleared_by),) if cleared_by else ()
    care = planned(finding("recent_surgery", *regions), clearances=cleared)

    assert care.massage.status == status
    assert ("precaution.spinal_surgery" in reason_rules(care)) is (status == "on_hold")
    if status == "modified":
        assert "deep_tissue" not in care.massage.techniques
        assert set(regions) <= set(care.massage.avoid_regions)


def test_a_clearance_from_before_the_surgery_was_screened_does_not_clear_it() -> None:
    history = make_history(
        screenings=[screening(day(10), finding("recent_surgery", "lower_back"))],
        clearances=[clearance(day(5), "recent_surgery", by="Ms B. Surgeon, spinal surgeon")],
        assessments=[assessment(day(10), 3, 2)],
    )

    assert "precaution.spinal_surgery" in reason_rules(plan(history))


def test_spinal_surgery_screened_beyond_the_protocol_window_needs_no_new_clearance() -> None:
    history = make_history(
        screenings=[screening(day(0), finding("recent_surgery", "lower_back"))],
        assessments=[assessment(day(0), 3, 2)],
    )

    assert "precaution.spinal_surgery" in reason_rules(plan(history, today=day(84)))
    assert "precaution.spinal_surgery" not in reason_rules(plan(history, today=day(85)))


@pytest.mark.parametrize(
    ("leg", "back", "rule"),
    [
        pytest.param(2, 8, "massage.severe_leg_pain", id="back-8-leg-2"),
        pytest.param(2, 5, "massage.moderate_leg_pain", id="back-5-leg-2"),
        pytest.param(8, 2, "massage.severe_leg_pain", id="leg-8-back-2"),
        pytest.param(2, 3, "massage.mild_leg_pain", id="both-mild"),
    ],
)
def test_techniques_and_pressure_follow_the_worse_of_leg_and_back_pain(
    leg: int, back: int, rule: str
) -> None:
    care = plan(make_history(assessments=[assessment(day(0), leg, back)]))

    assert reason_rules(care)[0] == rule
    if rule != "massage.mild_leg_pain":
        assert "deep_tissue" not in care.massage.techniques
        assert care.massage.max_pressure == "moderate"
