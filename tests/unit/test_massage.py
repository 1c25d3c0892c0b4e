"""Massage: techniques by leg pain, precautions (readings 8 and 12), holds, focus (reading 10)."""

import pytest

from sciatica_care.domain.codes import AREAS
from sciatica_care.domain.history import Clearance, Finding, Screening, Session
from sciatica_care.domain.plan import CarePlan
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

ALL_THREE = {"swedish", "deep_tissue", "trigger_point"}
SITE_RULES = {"precaution.avoid_site", "precaution.surgical_site"}


def reason_rules(care: CarePlan) -> set[str]:
    """The rule ids behind the massage advice."""
    return {reason.rule for reason in care.massage.reasons}


def massage_with(*findings: str | Finding, leg: int = 2, cleared: tuple[str, ...] = ()) -> CarePlan:
    """The plan for one leg-pain reading under a screening with these findings."""
    history = make_history(
        screenings=[screening(day(0), *findings)],
        clearances=[clearance(day(1), code) for code in cleared],
        assessments=[assessment(day(0), 8, 5)],
        diary=[diary(day(2), leg)],
    )
    return plan(history)


@pytest.mark.parametrize(
    ("leg", "techniques", "pressure", "rule"),
    [
        pytest.param(10, {"swedish"}, "moderate", "massage.severe_leg_pain", id="10"),
        pytest.param(7, {"swedish"}, "moderate", "massage.severe_leg_pain", id="7"),
        pytest.param(
            6, {"swedish", "trigger_point"}, "moderate", "massage.moderate_leg_pain", id="6"
        ),
        pytest.param(
            4, {"swedish", "trigger_point"}, "moderate", "massage.moderate_leg_pain", id="4"
        ),
        pytest.param(3, ALL_THREE, "firm", "massage.mild_leg_pain", id="3"),
        pytest.param(0, ALL_THREE, "firm", "massage.mild_leg_pain", id="0"),
    ],
)
def test_techniques_and_pressure_follow_the_latest_leg_pain(
    leg: int, techniques: set[str], pressure: str, rule: str
) -> None:
    care = massage_with(leg=leg)

    assert care.massage.status == "go"
    assert set(care.massage.techniques) == techniques
    assert care.massage.max_pressure == pressure
    assert rule in reason_rules(care)


@pytest.mark.parametrize(
    ("code", "techniques", "pressure", "status"),
    [
        pytest.param("anticoagulants", {"swedish"}, "light", "modified", id="anticoagulants"),
        pytest.param("bleeding_disorder", {"swedish"}, "light", "modified", id="bleeding"),
        pytest.param("osteoporosis", {"swedish"}, "light", "modified", id="osteoporosis"),
        pytest.param(None, ALL_THREE, "firm", "go", id="no-precaution"),
    ],
)
def test_bleeding_risk_or_fragile_bone_allows_light_swedish_work_only(
    code: str | None, techniques: set[str], pressure: str, status: str
) -> None:
    care = massage_with(*([code] if code else []), leg=2)

    assert (care.massage.status, care.massage.max_pressure) == (status, pressure)
    assert set(care.massage.techniques) == techniques
    assert ("precaution.light_pressure_only" in reason_rules(care)) is (code is not None)


@pytest.mark.parametrize(
    ("leg", "cleared", "status", "allowed"),
    [
        pytest.param(2, True, "modified", ({"swedish"}, "moderate", "side_lying"), id="mild"),
        pytest.param(8, True, "modified", ({"swedish"}, "moderate", "side_lying"), id="severe"),
        pytest.param(2, False, "on_hold", (set(), None, None), id="not-cleared"),
    ],
)
def test_a_cleared_pregnancy_allows_swedish_only_side_lying_at_most_moderate(
    leg: int,
    cleared: bool,
    status: str,
    allowed: tuple[set[str], str | None, str | None],
) -> None:
    care = massage_with("pregnancy", leg=leg, cleared=("pregnancy",) if cleared else ())

    assert care.massage.status == status
    techniques = set(care.massage.techniques)
    assert (techniques, care.massage.max_pressure, care.massage.position) == allowed
    assert ("precaution.pregnancy" in reason_rules(care)) is cleared


def test_light_pressure_precautions_and_a_cleared_pregnancy_take_the_stricter_limit() -> None:
    care = massage_with("pregnancy", "anticoagulants", leg=2, cleared=("pregnancy",))

    assert (care.massage.techniques, care.massage.max_pressure) == (("swedish",), "light")
    assert care.massage.position == "side_lying"


@pytest.mark.parametrize(
    ("found", "avoid"),
    [
        pytest.param(
            finding("recent_surgery", "posterior_thigh_right"),
            ("posterior_thigh_right",),
            id="surgery",
        ),
        pytest.param(
            finding("skin_lesion", "posterior_thigh_left", "buttock_left"),
            ("posterior_thigh_left", "buttock_left"),
            id="skin-lesion",
        ),
        pytest.param(finding("anticoagulants", "lateral_calf_left"), (), id="not-a-site-finding"),
    ],
)
def test_surgery_and_skin_lesion_sites_are_avoided_by_body_map_region(
    found: Finding, avoid: tuple[str, ...]
) -> None:
    care = massage_with(found, leg=2)

    assert care.massage.status == "modified"
    assert set(care.massage.avoid_regions) == set(avoid)
    assert not set(care.massage.avoid_regions) & set(AREAS)
    assert bool(reason_rules(care) & SITE_RULES) is bool(avoid)


@pytest.mark.parametrize(
    ("code", "leg", "techniques", "pressure", "status"),
    [
        pytest.param("diabetes", 2, ALL_THREE, "moderate", "modified", id="diabetes-mild-pain"),
        pytest.param("numbness", 2, ALL_THREE, "moderate", "modified", id="numbness-mild-pain"),
        pytest.param("numbness", 8, {"swedish"}, "moderate", "modified", id="numbness-severe"),
        pytest.param(None, 2, ALL_THREE, "firm", "go", id="no-precaution"),
    ],
)
def test_diabetes_or_numbness_caps_pressure_at_moderate(
    code: str | None, leg: int, techniques: set[str], pressure: str, status: str
) -> None:
    care = massage_with(*([code] if code else []), leg=leg)

    assert (care.massage.status, care.massage.max_pressure) == (status, pressure)
    assert set(care.massage.techniques) == techniques
    assert ("precaution.reduced_sensation" in reason_rules(care)) is (code is not None)


@pytest.mark.parametrize(
    ("screenings", "clearances", "on_hold"),
    [
        pytest.param([], [], True, id="unscreened"),
        pytest.param([screening(day(0), "bowel_change")], [], True, id="emergency"),
        pytest.param([screening(day(0), "significant_trauma")], [], True, id="urgent"),
        pytest.param([screening(day(0), "severe_night_pain")], [], True, id="see-doctor"),
        pytest.param([screening(day(0), "heart_condition")], [], True, id="uncleared"),
        pytest.param(
            [screening(day(0), "heart_condition")],
            [clearance(day(1), "heart_condition")],
            False,
            id="cleared",
        ),
        pytest.param([screening(day(0))], [], False, id="clear"),
    ],
)
def test_massage_is_on_hold_until_screened_and_cleared(
    screenings: list[Screening], clearances: list[Clearance], on_hold: bool
) -> None:
    history = make_history(
        screenings=screenings, clearances=clearances, assessments=[assessment(day(1), 5, 3)]
    )

    care = plan(history)

    assert (care.massage.status == "on_hold") is on_hold
    assert ("massage.on_hold" in reason_rules(care)) is on_hold
    assert bool(care.massage.techniques) is not on_hold


@pytest.mark.parametrize(
    ("sessions", "areas", "minutes", "rule"),
    [
        pytest.param(
            [],
            ("lumbar_paraspinals", "gluteals", "piriformis"),
            60,
            "massage.focus_default",
            id="no-session-yet",
        ),
        pytest.param(
            [
                session(day(7), areas=["hamstrings", "calves"], minutes=90),
                session(day(0), areas=["gluteals"], minutes=45),
            ],
            ("hamstrings", "calves"),
            90,
            "massage.focus_last_session",
            id="last-session-by-date",
        ),
    ],
)
def test_focus_areas_and_length_come_from_the_last_session(
    sessions: list[Session], areas: tuple[str, ...], minutes: int, rule: str
) -> None:
    care = plan(make_history(sessions=sessions, assessments=[assessment(day(0), 5, 3)]))

    assert (set(care.massage.focus_areas), care.massage.session_minutes) == (set(areas), minutes)
    assert rule in reason_rules(care)
