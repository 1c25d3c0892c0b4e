"""Complementary therapies (reading 9) and self-care with its burn warnings."""

import pytest

from sciatica_care.domain.history import Assessment, Screening
from sciatica_care.domain.plan import CarePlan, Complementary, SelfCare
from sciatica_care.engine import default_protocol
from tests.builders import assessment, clearance, day, make_history, plan, screening

THERAPIES = ("exercise_therapy", "spinal_manipulation", "acupuncture", "psychological_support")
HEAT = default_protocol().rule("self_care.heat")
COLD = default_protocol().rule("self_care.cold")


def therapy(care: CarePlan, name: str) -> Complementary:
    """The plan's advice on one complementary therapy."""
    (found,) = [item for item in care.complementary if item.therapy == name]
    return found


def self_care_item(care: CarePlan, name: str) -> SelfCare:
    """The plan's advice on one self-care item."""
    (found,) = [item for item in care.self_care if item.item == name]
    return found


def plan_screened(*findings: str, startback: list[int] | None = None) -> CarePlan:
    """The plan for a client screened with these findings and one assessment."""
    history = make_history(
        screenings=[screening(day(0), *findings)],
        assessments=[assessment(day(0), 5, 3, startback=startback)],
    )
    return plan(history)


@pytest.mark.parametrize(
    ("findings", "stance", "rule"),
    [
        pytest.param((), "recommended", "complementary.exercise_therapy", id="massage-go"),
        pytest.param(
            ("osteoporosis",), "recommended", "complementary.exercise_therapy", id="modified"
        ),
        pytest.param(("cancer_history",), "on_hold", "complementary.on_hold", id="on-hold"),
    ],
)
def test_exercise_therapy_is_always_recommended_alongside_massage(
    findings: tuple[str, ...], stance: str, rule: str
) -> None:
    exercise = therapy(plan_screened(*findings), "exercise_therapy")

    assert (exercise.stance, exercise.rule) == (stance, rule)
    assert exercise.evidence.grade == "low"  # graded for sciatica itself (protocol 2026.2, D5)


@pytest.mark.parametrize(
    ("findings", "stance", "rule"),
    [
        pytest.param((), "not_recommended", "complementary.acupuncture", id="massage-go"),
        pytest.param(("pregnancy",), "on_hold", "complementary.on_hold", id="on-hold"),
    ],
)
def test_acupuncture_follows_nice_ng59_do_not_offer(
    findings: tuple[str, ...], stance: str, rule: str
) -> None:
    acupuncture = therapy(plan_screened(*findings), "acupuncture")

    assert (acupuncture.stance, acupuncture.rule) == (stance, rule)
    assert acupuncture.evidence.grade == "guideline_against"
    assert "NICE NG59" in acupuncture.evidence.sources


@pytest.mark.parametrize(
    ("startback", "stance", "rule"),
    [
        pytest.param(
            [1] * 9, "recommended", "complementary.psychological_support_high_risk", id="high"
        ),
        pytest.param(
            [1] * 5 + [0] * 4, "optional", "complementary.psychological_support", id="medium"
        ),
        pytest.param([0] * 9, "optional", "complementary.psychological_support", id="low"),
        pytest.param(None, "optional", "complementary.psychological_support", id="not-asked"),
    ],
)
def test_high_startback_risk_recommends_psychological_support(
    startback: list[int] | None, stance: str, rule: str
) -> None:
    support = therapy(plan_screened(startback=startback), "psychological_support")

    assert (support.stance, support.rule) == (stance, rule)


@pytest.mark.parametrize(
    ("screenings", "assessments", "on_hold"),
    [
        pytest.param([], [assessment(day(0), 5, 3)], True, id="unscreened"),
        pytest.param([screening(day(0), "iv_drug_use")], [], True, id="see-doctor"),
        pytest.param([], [assessment(day(0), pain=["saddle"])], True, id="body-map-emergency"),
        pytest.param([screening(day(0))], [assessment(day(0), 5, 3)], False, id="massage-go"),
    ],
)
def test_every_complementary_therapy_waits_while_massage_is_on_hold(
    screenings: list[Screening], assessments: list[Assessment], on_hold: bool
) -> None:
    care = plan(make_history(screenings=screenings, assessments=assessments))

    assert {item.therapy for item in care.complementary} == set(THERAPIES)
    held = {item.therapy for item in care.complementary if item.stance == "on_hold"}
    assert held == (set(THERAPIES) if on_hold else set())
    rules = {item.rule for item in care.complementary}
    assert (rules == {"complementary.on_hold"}) is on_hold


@pytest.mark.parametrize(
    "findings",
    [pytest.param((), id="massage-go"), pytest.param(("cancer_history",), id="on-hold")],
)
def test_staying_active_is_advised_unless_a_red_flag_is_open(findings: tuple[str, ...]) -> None:
    stay_active = self_care_item(plan_screened(*findings), "stay_active")

    assert stay_active.rule == "self_care.stay_active"


@pytest.mark.parametrize("finding", ["suspected_dvt", "saddle_numbness"])
def test_an_open_red_flag_leaves_no_routine_self_care(finding: str) -> None:
    assert plan_screened(finding).self_care == ()


@pytest.mark.parametrize(
    ("screenings", "marked", "warned"),
    [
        pytest.param([screening(day(0), "numbness")], assessment(day(0), 5), True, id="finding"),
        pytest.param(
            [screening(day(0))],
            assessment(day(0), 5, numbness=["dorsum_of_foot_left"]),
            True,
            id="body-map-numbness",
        ),
        pytest.param(
            [screening(day(0))],
            assessment(day(0), 5, pain=["dorsum_of_foot_left"], tingling=["great_toe_left"]),
            False,
            id="body-map-pain-and-tingling",
        ),
        pytest.param([screening(day(0))], assessment(day(0), 5), False, id="no-numbness"),
    ],
)
def test_recorded_numbness_adds_a_burn_warning_to_heat_and_to_cold(
    screenings: list[Screening], marked: Assessment, warned: bool
) -> None:
    care = plan(make_history(screenings=screenings, assessments=[marked]))

    heat, cold = self_care_item(care, "heat"), self_care_item(care, "cold")
    assert (heat.rule, cold.rule) == ("self_care.heat", "self_care.cold")
    assert (HEAT.word("numbness_warning") in heat.warnings) is warned
    assert (COLD.word("numbness_warning") in cold.warnings) is warned
    assert ("burn" in " ".join(heat.warnings)) is warned


MANIPULATION_CONTRAINDICATIONS = default_protocol().rule("complementary.spinal_manipulation")


@pytest.mark.parametrize(
    ("findings", "stance", "rule"),
    [
        pytest.param((), "optional", "complementary.spinal_manipulation", id="none"),
        *(
            pytest.param((code,), "not_recommended", "complementary.contraindicated", id=code)
            for code in ("osteoporosis", "anticoagulants", "bleeding_disorder")
        ),
        pytest.param(("diabetes",), "optional", "complementary.spinal_manipulation", id="caution"),
    ],
)
def test_spinal_manipulation_is_not_recommended_with_a_contraindication(
    findings: tuple[str, ...], stance: str, rule: str
) -> None:
    manipulation = therapy(plan_screened(*findings), "spinal_manipulation")

    assert (manipulation.stance, manipulation.rule) == (stance, rule)
    for code in findings:
        assert code.replace("_", " ") in manipulation.reason


def test_a_cleared_finding_still_rules_out_spinal_manipulation() -> None:
    history = make_history(
        screenings=[screening(day(0), "cancer_history")],
        clearances=[clearance(day(1), "cancer_history")],
        assessments=[assessment(day(1), 5, 3)],
    )
    care = plan(history)

    assert care.massage.status != "on_hold"
    assert therapy(care, "spinal_manipulation").stance == "not_recommended"


def test_every_therapy_weighs_the_findings_on_record() -> None:
    care = plan_screened("anticoagulants", "pregnancy")  # pregnancy uncleared: all on hold
    held = {item.stance for item in care.complementary}
    cleared = plan(
        make_history(
            screenings=[screening(day(0), "pregnancy")],
            clearances=[clearance(day(1), "pregnancy")],
            assessments=[assessment(day(1), 5, 3)],
        )
    )

    assert held == {"on_hold"}
    assert "pregnancy" in therapy(cleared, "exercise_therapy").reason
    assert "pregnancy" in therapy(cleared, "spinal_manipulation").reason


def test_manipulation_contraindications_include_cauda_equina_signs_and_motor_deficit() -> None:
    protocol_codes = MANIPULATION_CONTRAINDICATIONS.words("contraindications")

    assert {"saddle_numbness", "bilateral_leg_symptoms", "progressive_weakness"} <= set(
        protocol_codes
    )


@pytest.mark.parametrize(
    ("item", "grade"),
    [("stay_active", "moderate"), ("heat", "moderate"), ("cold", "very_low")],
)
def test_staying_active_heat_and_cold_carry_evidence_grades(item: str, grade: str) -> None:
    care_item = self_care_item(plan_screened(), item)

    assert care_item.evidence is not None
    assert care_item.evidence.grade == grade
    assert care_item.evidence.sources
