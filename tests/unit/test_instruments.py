"""Oswestry and STarT Back scoring, alone and in the plan; list lengths (reading 13)."""

from datetime import date

import msgspec
import pytest

from sciatica_care.domain.history_parser import HistoryProblems, parse_history
from sciatica_care.domain.instruments import odi_percent, round_half_up, startback_risk
from sciatica_care.engine import default_protocol
from tests.builders import assessment, day, make_history, plan

MIN_SECTIONS = default_protocol().rule("progress.odi_important_change").number("min_sections")
RISK = default_protocol().rule("instruments.startback_risk")

ODI_REFERENCE = [
    pytest.param([0] * 10, 0.0, id="all-0-is-0"),
    pytest.param([5] * 10, 100.0, id="all-5-is-100"),
    pytest.param([1] * 10, 20.0, id="all-1-is-20"),
    pytest.param([1, 1, 1, 1, 0, 0, 0, 0, 0, None], 8.9, id="4-over-9-sections-is-8.9"),
    pytest.param([2] * 8 + [None, None], 40.0, id="8-answered-is-scored"),
    pytest.param([2] * 7 + [None, None, None], None, id="7-answered-is-null"),
    pytest.param([None] * 10, None, id="none-answered-is-null"),
]


def test_the_protocol_scores_the_oswestry_from_eight_sections() -> None:
    assert MIN_SECTIONS == 8


@pytest.mark.parametrize(("answers", "percent"), ODI_REFERENCE)
def test_oswestry_percent_matches_the_reference_vectors(
    answers: list[int | None], percent: float | None
) -> None:
    assert odi_percent(answers, MIN_SECTIONS) == percent


@pytest.mark.parametrize(("answers", "percent"), ODI_REFERENCE)
def test_the_plan_reports_the_oswestry_percent_of_the_reference_vectors(
    answers: list[int | None], percent: float | None
) -> None:
    care = plan(make_history(assessments=[assessment(day(0), 5, 3, odi=answers)]))

    assert care.progress.latest is not None
    assert care.progress.latest.odi_percent == percent
    assert care.progress.baseline is not None
    assert care.progress.baseline.odi_percent == percent


@pytest.mark.parametrize(
    ("answers", "risk"),
    [
        pytest.param([0] * 9, "low", id="nothing-is-low"),
        pytest.param([1, 1, 1, 0, 0, 0, 0, 0, 0], "low", id="total-3-is-low"),
        pytest.param([0, 0, 0, 1, 1, 1, 1, 0, 0], "medium", id="total-4-distress-3-is-medium"),
        pytest.param([1, 1, 1, 1, 1, 1, 1, 0, 0], "medium", id="total-7-distress-3-is-medium"),
        pytest.param([0, 0, 0, 0, 1, 1, 1, 1, 0], "high", id="distress-4-is-high"),
        pytest.param([1] * 9, "high", id="everything-is-high"),
        pytest.param(None, None, id="no-questionnaire"),
    ],
)
def test_startback_sorts_into_low_medium_and_high_risk(
    answers: list[int] | None, risk: str | None
) -> None:
    found = startback_risk(answers, RISK.number("low_max_total"), RISK.number("high_min_distress"))

    assert found == risk


@pytest.mark.parametrize(
    ("older", "newer", "risk"),
    [
        pytest.param([1] * 9, [0] * 9, "low", id="newer-low-wins"),
        pytest.param([0] * 9, [1] * 9, "high", id="newer-high-wins"),
    ],
)
def test_the_plan_reads_startback_risk_from_the_latest_questionnaire(
    older: list[int], newer: list[int], risk: str
) -> None:
    history = make_history(
        assessments=[
            assessment(day(0), 6, 4, startback=older),
            assessment(day(7), 6, 4),
            assessment(day(14), 6, 4, startback=newer),
        ]
    )

    assert plan(history).progress.startback_risk == risk


def _history_json(odi: list[int | None], startback: list[int]) -> bytes:
    document = {
        "schema": "sciatica-care/history@1",
        "today": "2026-02-02",
        "assessments": [{"date": "2026-02-02", "odi": odi, "startback": startback}],
    }
    return msgspec.json.encode(document)


@pytest.mark.parametrize(
    ("odi", "startback", "problem"),
    [
        pytest.param(
            [1] * 9, [0] * 9, "assessments[0].odi: must have exactly 10 entries, got 9", id="odi-9"
        ),
        pytest.param(
            [1] * 11,
            [0] * 9,
            "assessments[0].odi: must have exactly 10 entries, got 11",
            id="odi-11",
        ),
        pytest.param(
            [1] * 10,
            [0] * 8,
            "assessments[0].startback: must have exactly 9 entries, got 8",
            id="startback-8",
        ),
        pytest.param(
            [1] * 10,
            [0] * 10,
            "assessments[0].startback: must have exactly 9 entries, got 10",
            id="startback-10",
        ),
    ],
)
def test_an_oswestry_or_startback_of_the_wrong_length_is_bad_input(
    odi: list[int | None], startback: list[int], problem: str
) -> None:
    with pytest.raises(HistoryProblems) as refused:
        parse_history(_history_json(odi, startback), today=None, system_today=date(2026, 3, 1))

    assert problem in refused.value.problems


def test_ten_oswestry_sections_and_nine_startback_items_are_accepted() -> None:
    history = parse_history(
        _history_json([1, None, 1, 1, 1, 1, 1, 1, 1, 1], [0] * 9),
        today=None,
        system_today=date(2026, 3, 1),
    )

    assert history.assessments[0].odi == (1, None, 1, 1, 1, 1, 1, 1, 1, 1)
    assert history.assessments[0].startback == (0,) * 9


@pytest.mark.parametrize(
    ("numerator", "denominator", "rounded"),
    [
        (4 * 20, 9, 8.9),
        (-400, 7, -57.1),
        (1, 20, 0.1),
        (-1, 20, -0.1),
        (-1, 40, 0.0),
        (0, 3, 0.0),
        (-1, 3, -0.3),
    ],
)
def test_scores_round_half_up_at_one_decimal(
    numerator: int, denominator: int, rounded: float
) -> None:
    assert round_half_up(numerator, denominator) == rounded


def test_a_change_that_rounds_to_nothing_is_zero_not_minus_zero() -> None:
    assert str(round_half_up(-1, 40)) == "0.0"
