"""Review codes: worsening, not improving at 6 and 12 weeks, re-screening due (reading 5)."""

import pytest

from sciatica_care.domain.history import Screening, Session
from sciatica_care.domain.plan import CarePlan
from tests.builders import day, leg_pain_course, make_history, plan, screening, session

WORSENING = ("worsening", "review.worsening")
SIX_WEEKS = ("not_improving_6_weeks", "review.not_improving_6_weeks")
TWELVE_WEEKS = ("not_improving_12_weeks", "review.not_improving_12_weeks")
RESCREEN = ("rescreen_due", "review.rescreen_due")
RELAPSE = ("relapse", "review.relapse")
SPINAL = ("spinal_opinion", "review.spinal_opinion")


def reviews(care: CarePlan) -> set[tuple[str, str]]:
    """The (code, rule) of every review of a plan."""
    return {(review.code, review.rule) for review in care.review}


def reviews_of(*points: tuple[int, int], today: int) -> set[tuple[str, str]]:
    """The reviews for a leg-pain diary, screened on each reading's date (never stale)."""
    history = make_history(screenings=[screening(day(today))], diary=leg_pain_course(*points))
    return reviews(plan(history, day(today)))


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        # Protocol 2026.2 (E5): one noisy reading never tells the doctor; two reading dates do.
        pytest.param(((0, 5), (14, 7)), set(), id="worse-by-2-once"),
        pytest.param(((0, 5), (7, 7), (14, 7)), {WORSENING, RELAPSE}, id="worse-by-2-twice"),
        pytest.param(((0, 8), (7, 3), (14, 5)), set(), id="flare-while-improved-once"),
        pytest.param(((0, 8), (7, 3), (10, 5), (14, 5)), {RELAPSE}, id="relapse-below-baseline"),
        pytest.param(((0, 5), (14, 6)), set(), id="up-1-neither"),
        pytest.param(((0, 8), (7, 4), (14, 5)), set(), id="improved-no-flare"),
    ],
)
def test_worse_leg_pain_or_a_relapse_on_two_reading_dates_raises_a_review(
    points: tuple[tuple[int, int], ...], expected: set[tuple[str, str]]
) -> None:
    assert reviews_of(*points, today=14) == expected


@pytest.mark.parametrize(
    ("points", "today", "expected"),
    [
        pytest.param(((0, 6), (7, 6)), 41, set(), id="41-days-unchanged"),
        pytest.param(((0, 6), (7, 6)), 42, {SIX_WEEKS}, id="42-days-unchanged"),
        pytest.param(((0, 6), (7, 6)), 83, {SIX_WEEKS}, id="83-days-unchanged"),
        pytest.param(((0, 6), (7, 6)), 84, {SIX_WEEKS, TWELVE_WEEKS, SPINAL}, id="84-days-both"),
        pytest.param(((0, 6),), 42, {SIX_WEEKS}, id="insufficient-data-counts"),
        pytest.param(((0, 6),), 84, {SIX_WEEKS, TWELVE_WEEKS, SPINAL}, id="insufficient-data-both"),
        pytest.param(((0, 6), (7, 9)), 42, {SIX_WEEKS}, id="worse-counts"),
        pytest.param(((0, 10), (7, 7)), 84, {SPINAL}, id="improved-still-disabling"),
        pytest.param(((0, 10), (7, 5)), 84, set(), id="much-improved-none"),
        pytest.param(((20, 6), (30, 6)), 61, set(), id="counted-from-baseline-date"),
        pytest.param(((20, 6), (30, 6)), 62, {SIX_WEEKS}, id="42-days-after-baseline"),
    ],
)
def test_leg_pain_not_improved_after_six_and_twelve_weeks_asks_for_review(
    points: tuple[tuple[int, int], ...], today: int, expected: set[tuple[str, str]]
) -> None:
    assert reviews_of(*points, today=today) == expected


@pytest.mark.parametrize(
    ("screenings", "sessions", "today", "expected"),
    [
        pytest.param([screening(day(0))], [], 30, set(), id="30-days-old"),
        pytest.param([screening(day(0))], [], 31, {RESCREEN}, id="31-days-old"),
        pytest.param(
            [screening(day(0)), screening(day(20))], [], 40, set(), id="latest-screening-counts"
        ),
        pytest.param([screening(day(0))], [session(day(0))], 5, set(), id="same-day-session"),
        pytest.param(
            [screening(day(0))], [session(day(3))], 5, {RESCREEN}, id="session-after-screening"
        ),
        pytest.param([], [session(day(3))], 60, set(), id="never-screened"),
    ],
)
def test_an_old_screening_or_a_session_since_makes_a_rescreen_due(
    screenings: list[Screening], sessions: list[Session], today: int, expected: set[tuple[str, str]]
) -> None:
    history = make_history(screenings=screenings, sessions=sessions)

    care = plan(history, day(today))

    assert reviews(care) == expected
    if not screenings:
        assert care.triage.level == "unscreened"
