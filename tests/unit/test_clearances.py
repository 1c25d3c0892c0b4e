"""A clearance you can trust (protocol 2026.2, C2-C4) and answers not asked (B1)."""

from datetime import timedelta

import pytest

from sciatica_care.domain.history import Conditions, Screening
from tests.builders import _record, assessment, clearance, day, make_history, plan, screening


def explicit(when: int, *found: str, no: tuple[str, ...] = ()) -> Screening:
    """A screening that recorded its no answers too."""
    return _record(Screening, date=day(when), findings=found, negatives=no)


ALL_ASKED = (
    "saddle_numbness",
    "bladder_change",
    "bowel_change",
    "bilateral_leg_symptoms",
    "new_sexual_dysfunction",
    "progressive_weakness",
    "severe_motor_deficit",
    "cancer_history",
    "unexplained_weight_loss",
    "severe_night_pain",
    "fever_or_infection_signs",
    "significant_trauma",
)


def lapsed(care: object) -> list[str]:
    return [r.action for r in care.review if r.code == "clearance_lapsed"]  # type: ignore[attr-defined]


def test_a_clearance_covers_the_run_of_its_finding_it_was_given_in() -> None:
    history = make_history(
        screenings=[screening(day(0), "pregnancy"), screening(day(7), "pregnancy")],
        clearances=[clearance(day(1), "pregnancy", by="Ms M", role="midwife")],
        assessments=[assessment(day(7), 4, 2)],
    )
    care = plan(history)
    assert care.triage.findings[0].cleared
    assert care.massage.status == "modified"
    assert lapsed(care) == []


def test_a_recurrence_after_a_screening_without_the_finding_needs_a_new_clearance() -> None:
    history = make_history(
        screenings=[
            screening(day(0), "cancer_history"),
            screening(day(10)),
            screening(day(20), "cancer_history"),
        ],
        clearances=[clearance(day(1), "cancer_history", by="Dr O", role="oncologist")],
        assessments=[assessment(day(20), 4, 2)],
    )
    care = plan(history)
    assert (care.triage.level, care.massage.status) == ("see_doctor", "on_hold")
    assert not care.triage.findings[0].cleared
    (why,) = lapsed(care)
    assert f"as screened since {day(20).isoformat()}" in why


def test_a_screening_that_did_not_ask_the_finding_does_not_end_its_run() -> None:
    asked = ("pregnancy", *ALL_ASKED)
    history = make_history(
        screenings=[
            explicit(0, "pregnancy", no=ALL_ASKED),
            explicit(10, no=ALL_ASKED),  # pregnancy not asked: it keeps its yes
            explicit(20, "pregnancy", no=tuple(c for c in asked if c != "pregnancy")),
        ],
        clearances=[clearance(day(1), "pregnancy", by="Ms M", role="midwife")],
        assessments=[assessment(day(20), 4, 2)],
    )
    care = plan(history)
    assert care.triage.findings[0].cleared
    assert lapsed(care) == []


def test_a_new_related_finding_voids_the_clearance() -> None:
    history = make_history(
        screenings=[
            screening(day(0), "cancer_history"),
            screening(day(14), "cancer_history", "unexplained_weight_loss"),
        ],
        clearances=[clearance(day(1), "cancer_history", by="Dr O", role="oncologist")],
        assessments=[assessment(day(14), 4, 2)],
    )
    care = plan(history)
    cancer = next(f for f in care.triage.findings if f.code == "cancer_history")
    assert not cancer.cleared
    assert care.massage.status == "on_hold"
    (why,) = lapsed(care)
    assert "unexplained_weight_loss" in why


@pytest.mark.parametrize(
    ("expires", "today", "cleared"),
    [
        pytest.param(None, 180, True, id="default-last-day"),
        pytest.param(None, 181, False, id="default-lapsed"),
        pytest.param(30, 30, True, id="own-last-day"),
        pytest.param(30, 31, False, id="own-lapsed"),
    ],
)
def test_a_clearance_lapses_on_its_expiry_or_the_protocols_default(
    expires: int | None, today: int, cleared: bool
) -> None:
    given = clearance(day(0), "pregnancy", by="Ms M", role="midwife")
    if expires is not None:
        given = _record(type(given), **{**_fields(given), "expires": day(expires)})
    history = make_history(
        screenings=[screening(day(0), "pregnancy"), screening(day(today), "pregnancy")],
        clearances=[given],
        assessments=[assessment(day(today), 4, 2)],
    )
    care = plan(history, day(today))
    assert care.triage.findings[0].cleared is cleared
    assert care.massage.status == ("modified" if cleared else "on_hold")
    if cleared:
        expected = day(expires) if expires is not None else day(0) + timedelta(days=180)
        assert care.triage.findings[0].clearance.expires == expected  # type: ignore[union-attr]
    else:
        assert "expired" in lapsed(care)[0]


def _fields(record: object) -> dict[str, object]:
    return {name: getattr(record, name) for name in record.__struct_fields__}  # type: ignore[attr-defined]


def test_the_conditions_of_a_clearance_are_obeyed() -> None:
    given = clearance(day(0), "pregnancy", by="Ms M", role="midwife")
    conditions = Conditions(
        max_pressure="light", avoid_techniques=("trigger_point",), avoid_regions=("lower_back",)
    )
    given = _record(type(given), **{**_fields(given), "conditions": conditions})
    history = make_history(
        screenings=[screening(day(0), "pregnancy")],
        clearances=[given],
        assessments=[assessment(day(0), 3, 2)],
    )
    care = plan(history)
    massage = care.massage
    assert massage.max_pressure == "light"
    assert "trigger_point" not in massage.techniques
    assert "lower_back" in massage.avoid_regions
    assert "lumbar_paraspinals" not in massage.focus_areas
    said = [r.text for r in massage.reasons if r.rule == "precaution.clearance_conditions"]
    assert said
    assert "pregnancy: pressure at most light; no trigger_point; keep off lower_back." in said[0]


@pytest.mark.parametrize("code", ["cancer_history", "long_term_steroids"])
def test_cleared_cancer_or_steroids_keep_a_residual_caution(code: str) -> None:
    history = make_history(
        screenings=[screening(day(0), code)],
        clearances=[clearance(day(0), code, by="Dr O", role="oncologist")],
        assessments=[assessment(day(0), 2, 1)],  # mild pain: firm deep tissue otherwise
    )
    care = plan(history)
    assert care.massage.status == "modified"
    assert "deep_tissue" not in care.massage.techniques
    assert care.massage.max_pressure == "moderate"
    assert "precaution.cleared_residual" in [r.rule for r in care.massage.reasons]


def test_a_clearance_that_sets_its_own_pressure_replaces_the_residual_caution() -> None:
    given = clearance(day(0), "cancer_history", by="Dr O", role="oncologist")
    own = Conditions(max_pressure="light")
    given = _record(type(given), **{**_fields(given), "conditions": own})
    history = make_history(
        screenings=[screening(day(0), "cancer_history")],
        clearances=[given],
        assessments=[assessment(day(0), 2, 1)],
    )
    care = plan(history)
    assert care.massage.max_pressure == "light"
    assert "precaution.cleared_residual" not in [r.rule for r in care.massage.reasons]


def test_an_item_an_explicit_screening_did_not_ask_keeps_its_earlier_yes() -> None:
    history = make_history(
        screenings=[explicit(0, "anticoagulants", no=ALL_ASKED), explicit(7, no=ALL_ASKED)],
        assessments=[assessment(day(7), 2, 1)],
    )
    care = plan(history)
    assert [f.code for f in care.triage.findings] == ["anticoagulants"]
    assert care.massage.max_pressure == "light"


def test_an_explicit_no_ends_an_earlier_yes() -> None:
    history = make_history(
        screenings=[
            explicit(0, "anticoagulants", no=ALL_ASKED),
            explicit(7, no=(*ALL_ASKED, "anticoagulants")),
        ],
        assessments=[assessment(day(7), 2, 1)],
    )
    care = plan(history)
    assert care.triage.findings == ()
    assert care.massage.status == "go"
