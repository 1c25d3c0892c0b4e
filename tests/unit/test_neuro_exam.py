"""The neurological examination in triage and the nerve-root hint (protocol 2026.2, E4)."""

from typing import Any

import pytest

from sciatica_care.domain.history import Examination, Outcome
from tests.builders import _record, assessment, day, make_history, plan, screening


def exam(when: int, **maps: Any) -> Examination:
    return _record(Examination, date=day(when), **maps)


def findings(care: Any) -> dict[str, Any]:
    return {f.code: f for f in care.triage.findings}


@pytest.mark.parametrize(
    ("power", "urgent"),
    [
        pytest.param({"L4_left": 3}, True, id="foot-drop-3"),
        pytest.param({"L4_right": 0}, True, id="foot-drop-0"),
        pytest.param({"S1_left": 2}, True, id="plantarflexion-2"),
        pytest.param({"L4_left": 4}, False, id="mild-weakness"),
        pytest.param({"L5_left": 5}, False, id="normal"),
    ],
)
def test_power_of_3_or_less_is_a_severe_motor_deficit(power: dict[str, int], urgent: bool) -> None:
    history = make_history(
        screenings=[screening(day(0))],
        assessments=[assessment(day(0), 6, 3)],
    )
    history = _record(type(history), **{**_fields(history), "examinations": [exam(0, power=power)]})
    care = plan(history)
    if urgent:
        assert care.triage.level == "urgent"
        assert care.massage.status == "on_hold"
        severe = findings(care)["severe_motor_deficit"]
        assert (severe.source, severe.rule) == ("examination", "triage.exam_severe_weakness")
        assert severe.awaiting == "outcome"
    else:
        assert care.triage.level == "clear"
        assert care.massage.status == "go"


def _fields(record: object) -> dict[str, object]:
    return {name: getattr(record, name) for name in record.__struct_fields__}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("before", "after", "said"),
    [
        pytest.param(
            {"power": {"L5_left": 5}}, {"power": {"L5_left": 4}}, "L5_left power 5/5 -> 4/5"
        ),
        pytest.param(
            {"reflexes": {"ankle_left": "normal"}},
            {"reflexes": {"ankle_left": "absent"}},
            "ankle_left reflex normal -> absent",
        ),
        pytest.param(
            {"sensation": {"S1_right": "reduced"}},
            {"sensation": {"S1_right": "absent"}},
            "S1_right sensation reduced -> absent",
        ),
    ],
)
def test_a_deficit_new_since_the_last_examination_is_urgent(
    before: dict[str, Any], after: dict[str, Any], said: str
) -> None:
    history = make_history(screenings=[screening(day(7))], assessments=[assessment(day(7), 5, 3)])
    exams = [exam(0, **before), exam(7, **after)]
    history = _record(type(history), **{**_fields(history), "examinations": exams})
    care = plan(history)
    assert (care.triage.level, care.massage.status) == ("urgent", "on_hold")
    new = findings(care)["progressive_weakness"]
    assert new.rule == "triage.exam_new_deficit"
    assert said in new.because


def test_a_deficit_stays_open_after_a_better_examination_until_its_outcome() -> None:
    history = make_history(screenings=[screening(day(9))], assessments=[assessment(day(9), 5, 3)])
    exams = [exam(0, power={"L4_left": 3}), exam(9, power={"L4_left": 5})]
    history = _record(type(history), **{**_fields(history), "examinations": exams})
    assert plan(history).massage.status == "on_hold"
    closed = Outcome(
        date=day(8),
        finding="severe_motor_deficit",
        result="seen_no_action",
        by="Mr S. Example",
        role="spinal surgeon",
    )
    history = _record(type(history), **{**_fields(history), "outcomes": [closed]})
    care = plan(history)
    assert care.triage.level == "clear"
    assert care.massage.status == "go"


def test_the_examination_feeds_the_nerve_root_hint() -> None:
    history = make_history(screenings=[screening(day(0))], assessments=[assessment(day(0), 6, 3)])
    signs = {"reflexes": {"ankle_left": "absent"}, "sensation": {"S1_left": "reduced"}}
    history = _record(type(history), **{**_fields(history), "examinations": [exam(0, **signs)]})
    hint = plan(history).nerve_root
    assert hint.root == "S1"
    assert hint.marks["S1"] == 2


@pytest.mark.parametrize(
    ("before", "after", "said"),
    [
        pytest.param(
            {"pain": ["buttock_left"]},
            {"pain": ["buttock_left"], "numbness": ["lateral_calf_left"]},
            "numbness new in lateral_calf_left",
            id="new-numbness",
        ),
        pytest.param(
            {"pain": ["posterior_thigh_left"]},
            {"pain": ["posterior_thigh_left", "heel_left"]},
            "symptoms reach the foot",
            id="further-down",
        ),
    ],
)
def test_symptoms_spreading_since_the_previous_body_map_hold_massage_and_tell_the_doctor(
    before: dict[str, Any], after: dict[str, Any], said: str
) -> None:
    maps = [assessment(day(0), 5, 3, **before), assessment(day(14), 5, 3, **after)]
    care = plan(make_history(screenings=[screening(day(0))], assessments=maps))
    assert (care.triage.level, care.massage.status) == ("see_doctor", "on_hold")
    spread = findings(care)["neurology_spreading"]
    assert spread.rule == "triage.neurology_spreading"
    assert any(item.startswith(said) for item in spread.because)
    # A screening after that map (the client asked again) lifts the hold.
    again = make_history(screenings=[screening(day(0)), screening(day(15))], assessments=maps)
    assert plan(again, day(15)).massage.status != "on_hold"


def test_the_same_map_again_is_no_spread() -> None:
    maps = [
        assessment(day(0), 5, 3, pain=["posterior_thigh_left"]),
        assessment(day(14), 5, 3, pain=["posterior_thigh_left"]),
    ]
    care = plan(make_history(screenings=[screening(day(0))], assessments=maps))
    assert "neurology_spreading" not in findings(care)
