"""The body map: cauda equina signs (reading 7) and the nerve-root hint (reading 11)."""

import pytest

from sciatica_care.domain.history import Assessment
from sciatica_care.domain.plan import CarePlan
from tests.builders import assessment, day, make_history, plan, screening


def body_map_signs(care: CarePlan) -> set[tuple[str, str]]:
    """The (code, rule) of every cauda equina sign that the body map raised."""
    return {
        (f.code, f.rule)
        for f in care.triage.findings
        if f.source == "body_map" and f.level == "emergency"
    }


SADDLE = ("saddle_numbness", "triage.body_map_saddle")
BOTH_LEGS = ("bilateral_leg_symptoms", "triage.body_map_both_legs")


@pytest.mark.parametrize(
    ("marked", "signs", "level"),
    [
        pytest.param(assessment(day(0), pain=["saddle"]), {SADDLE}, "emergency", id="pain"),
        pytest.param(assessment(day(0), numbness=["saddle"]), {SADDLE}, "emergency", id="numb"),
        pytest.param(assessment(day(0), tingling=["saddle"]), {SADDLE}, "emergency", id="tingle"),
        pytest.param(
            assessment(day(0), pain=["lower_back", "buttock_left"]), set(), "clear", id="no-saddle"
        ),
    ],
)
def test_symptoms_marked_in_the_saddle_are_a_cauda_equina_emergency(
    marked: Assessment, signs: set[tuple[str, str]], level: str
) -> None:
    care = plan(make_history(assessments=[marked]))

    assert body_map_signs(care) == signs
    assert care.triage.level == level
    assert (care.massage.status == "on_hold") is bool(signs)


@pytest.mark.parametrize(
    ("marked", "signs"),
    [
        pytest.param(
            assessment(day(0), pain=["posterior_thigh_left", "posterior_thigh_right"]),
            {BOTH_LEGS},
            id="both-thighs",
        ),
        pytest.param(
            assessment(day(0), pain=["lateral_calf_left"], numbness=["sole_right"]),
            {BOTH_LEGS},
            id="across-layers",
        ),
        pytest.param(
            assessment(day(0), tingling=["knee_left", "heel_right"]), {BOTH_LEGS}, id="tingling"
        ),
        pytest.param(
            assessment(day(0), pain=["buttock_left", "buttock_right"]), set(), id="buttocks-only"
        ),
        pytest.param(
            assessment(day(0), pain=["lateral_calf_left", "great_toe_left"]), set(), id="one-side"
        ),
        pytest.param(
            assessment(day(0), pain=["buttock_left", "posterior_calf_right"]),
            set(),
            id="buttock-and-other-leg",
        ),
    ],
)
def test_symptoms_below_the_buttock_on_both_sides_are_a_cauda_equina_emergency(
    marked: Assessment, signs: set[tuple[str, str]]
) -> None:
    care = plan(make_history(assessments=[marked]))

    assert body_map_signs(care) == signs
    assert care.triage.level == ("emergency" if signs else "clear")


@pytest.mark.parametrize(
    ("marked", "level", "rule"),
    [
        pytest.param(["saddle"], "emergency", "triage.body_map_saddle", id="saddle"),
        pytest.param(
            ["knee_left", "knee_right"], "emergency", "triage.body_map_both_legs", id="both-legs"
        ),
        pytest.param(["knee_left"], "unscreened", "triage.unscreened", id="one-leg"),
    ],
)
def test_a_body_map_emergency_is_reported_even_without_a_screening(
    marked: list[str], level: str, rule: str
) -> None:
    care = plan(make_history(screenings=[], assessments=[assessment(day(0), 6, pain=marked)]))

    assert (care.triage.level, care.triage.rule) == (level, rule)
    assert care.massage.status == "on_hold"


@pytest.mark.parametrize(
    ("assessments", "signs"),
    [
        # An older saddle mark stays open (protocol 2026.2, A1) until an outcome is recorded.
        pytest.param(
            [assessment(day(0), pain=["saddle"]), assessment(day(7), pain=["buttock_left"])],
            {SADDLE},
            id="older-saddle-newer-buttock",
        ),
        pytest.param(
            [assessment(day(0), pain=["buttock_left"]), assessment(day(7), pain=["saddle"])],
            {SADDLE},
            id="newer-saddle",
        ),
        pytest.param(
            [assessment(day(0), pain=["saddle"]), assessment(day(7), 5, 3)],
            {SADDLE},
            id="newer-assessment-without-regions",
        ),
    ],
)
def test_the_body_map_rules_read_the_latest_assessment_that_has_regions(
    assessments: list[Assessment], signs: set[tuple[str, str]]
) -> None:
    care = plan(make_history(assessments=assessments))

    assert body_map_signs(care) == signs


def test_a_saddle_finding_already_screened_is_not_reported_twice() -> None:
    history = make_history(
        screenings=[screening(day(0), "saddle_numbness")],
        assessments=[assessment(day(0), numbness=["saddle"])],
    )

    care = plan(history)

    assert [(f.code, f.rule) for f in care.triage.findings] == [
        ("saddle_numbness", "triage.cauda_equina")
    ]


@pytest.mark.parametrize(
    ("marked", "root"),
    [
        pytest.param(
            assessment(day(0), pain=["anterolateral_thigh_left", "knee_left", "medial_calf_left"]),
            "L4",
            id="L4-thigh-knee-medial-calf",
        ),
        pytest.param(
            assessment(day(0), numbness=["dorsum_of_foot_left", "great_toe_left"]),
            "L5",
            id="L5-foot-top-and-big-toe",
        ),
        pytest.param(
            assessment(day(0), pain=["posterior_calf_right", "sole_right", "heel_right"]),
            "S1",
            id="S1-calf-sole-heel",
        ),
        pytest.param(
            assessment(day(0), pain=["lateral_foot_left", "lateral_calf_left", "sole_left"]),
            "S1",
            id="S1-lateral-foot-is-S1",
        ),
        pytest.param(
            assessment(
                day(0),
                pain=["buttock_left", "sole_left"],
                numbness=["great_toe_left"],
                tingling=["lateral_calf_left"],
            ),
            "L5",
            id="L5-layers-together",
        ),
        pytest.param(
            assessment(day(0), pain=["lateral_calf_left", "sole_left"]), None, id="tie-is-null"
        ),
        pytest.param(
            assessment(day(0), pain=["lower_back", "buttock_left", "posterior_thigh_left"]),
            None,
            id="no-root-region-is-null",
        ),
    ],
)
def test_the_nerve_root_hint_follows_the_majority_of_marks_below_the_buttock(
    marked: Assessment, root: str | None
) -> None:
    hint = plan(make_history(assessments=[marked])).nerve_root

    assert hint.root == root
    assert hint.confidence == ("low" if root else None)
    assert hint.rule == "nerve_root.majority_of_marks"


def test_the_nerve_root_hint_reads_the_latest_body_map() -> None:
    history = make_history(
        assessments=[
            assessment(day(0), pain=["sole_left", "heel_left"]),
            assessment(day(7), pain=["great_toe_left", "dorsum_of_foot_left"]),
        ]
    )

    assert plan(history).nerve_root.root == "L5"


def test_a_region_marked_in_two_layers_counts_once_for_the_nerve_root() -> None:
    marked = assessment(
        day(0),
        pain=["lateral_calf_left", "sole_left", "heel_left"],
        numbness=["lateral_calf_left"],
    )
    care = plan(make_history(assessments=[marked]))

    assert care.nerve_root.marks == {"L4": 0, "L5": 1, "S1": 2}
    assert care.nerve_root.root == "S1"
    assert care.nerve_root.confidence == "low"
    assert care.nerve_root.rule == "nerve_root.majority_of_marks"


def test_a_saddle_mark_on_one_of_two_same_day_body_maps_is_still_an_emergency() -> None:
    maps = [
        assessment(day(0), numbness=["saddle"]),
        assessment(day(0), leg=5, pain=["lateral_calf_left"]),
    ]
    care = plan(make_history(assessments=maps))

    assert body_map_signs(care) == {SADDLE}
    assert care.triage.level == "emergency"
    assert care.massage.status == "on_hold"


def test_numbness_on_an_earlier_body_map_still_warns_about_burns() -> None:
    maps = [
        assessment(day(0), leg=6, numbness=["dorsum_of_foot_left"]),
        assessment(day(14), leg=5, pain=["lateral_calf_left"]),
    ]
    care = plan(make_history(assessments=maps), today=day(14))

    heat = next(item for item in care.self_care if item.item == "heat")
    assert heat.rule == "self_care.heat"
    assert heat.warnings
