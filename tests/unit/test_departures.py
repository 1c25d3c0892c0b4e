"""A session beyond the plan is named plainly, with the plan's rules it went past."""

import pytest

from sciatica_care.domain.departures import departures
from tests.builders import CLEAR_SCREENING, day, diary, make_history, plan, screening

# Leg pain 8 of 10: the severe band allows gentle techniques, at most moderate pressure.
SEVERE = plan(make_history(diary=[diary(day(1), 8)]))
ON_HOLD = plan(make_history(screenings=[screening(day(0), "saddle_numbness")]))


@pytest.mark.parametrize(
    ("techniques", "pressure", "expected"),
    [
        (["swedish"], "light", []),
        (["deep_tissue"], None, ["deep tissue is not in the plan's techniques"]),
        (["swedish"], "firm", ["firm pressure is above the plan's most (moderate)"]),
        ([], None, []),
    ],
)
def test_a_session_is_compared_with_the_plans_techniques_and_pressure(
    techniques: list[str], pressure: str | None, expected: list[str]
) -> None:
    found = departures(SEVERE, techniques=techniques, pressure=pressure)
    assert [departure.text for departure in found] == expected
    assert all(departure.rules[0].startswith("massage.") for departure in found)


def test_any_massage_while_on_hold_is_a_departure_naming_the_hold() -> None:
    found = departures(ON_HOLD, techniques=["swedish"], pressure="light")
    assert len(found) == 1
    assert found[0].text.startswith("The plan has massage on hold")
    assert found[0].rules[0] == ON_HOLD.massage.reasons[0].rule


def test_a_session_with_nothing_recorded_while_on_hold_is_no_departure() -> None:
    assert departures(ON_HOLD, techniques=[], pressure=None) == []


def test_the_clear_screening_builder_is_clear() -> None:
    assert plan(make_history(screenings=[CLEAR_SCREENING])).triage.level == "clear"
