"""Cadence: weekly, every two weeks, monthly, held runs (reading 3) and flares (reading 4)."""

import pytest

from sciatica_care.domain.history import Assessment, Screening, Session
from sciatica_care.domain.plan import Cadence
from tests.builders import (
    assessment,
    day,
    leg_pain_course,
    make_history,
    plan,
    screening,
    session,
)

WEEKLY = ("weekly", 7, "initial", "cadence.initial")
FLARE = ("weekly", 7, "initial", "cadence.flare")
RELAPSE = ("weekly", 7, "initial", "cadence.relapse")
FORTNIGHTLY = ("every_2_weeks", 14, "step_down", "cadence.step_down")
MONTHLY = ("monthly", 28, "maintenance", "cadence.maintenance")


def shape(cadence: Cadence) -> tuple[str, int | None, str, str]:
    """Interval, days, phase and rule of a cadence."""
    return (cadence.interval, cadence.interval_days, cadence.phase, cadence.rule)


def cadence_of(*points: tuple[int, int], today: int | None = None) -> Cadence:
    """The cadence for a leg-pain diary of (day, leg pain) points."""
    # Screened on the last day: a screening stands for 30 days only (protocol 2026.2, B2).
    last = day(today) if today is not None else day(max((d for d, _ in points), default=0))
    history = make_history(screenings=[screening(last)], diary=leg_pain_course(*points))
    return plan(history, day(today) if today is not None else None).cadence


@pytest.mark.parametrize(
    "points",
    [
        pytest.param((), id="no-readings"),
        pytest.param(((0, 8),), id="one-reading"),
        pytest.param(((0, 8), (14, 7)), id="unchanged"),
        pytest.param(((0, 10), (7, 7), (20, 7)), id="improved-for-13-days"),
    ],
)
def test_sessions_are_weekly_at_first(points: tuple[tuple[int, int], ...]) -> None:
    assert shape(cadence_of(*points)) == WEEKLY


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        pytest.param(((0, 10), (7, 7), (21, 7)), FORTNIGHTLY, id="improved-14-days"),
        pytest.param(((0, 10), (7, 7), (20, 7)), WEEKLY, id="improved-13-days"),
        pytest.param(((0, 10), (7, 5), (21, 5)), FORTNIGHTLY, id="much-improved-14-days"),
        pytest.param(((0, 10), (7, 7), (14, 5), (21, 3)), FORTNIGHTLY, id="improving-run"),
        pytest.param(((0, 10), (7, 7), (14, 9), (21, 7)), WEEKLY, id="run-broken-by-a-relapse"),
        pytest.param(((0, 10), (7, 7), (35, 7)), FORTNIGHTLY, id="improved-28-days-not-much"),
    ],
)
def test_sustained_30_percent_drop_steps_down_to_every_two_weeks(
    points: tuple[tuple[int, int], ...], expected: tuple[str, int, str, str]
) -> None:
    assert shape(cadence_of(*points)) == expected


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        pytest.param(((0, 10), (7, 5), (35, 5)), MONTHLY, id="much-improved-28-days"),
        pytest.param(((0, 10), (7, 5), (34, 5)), FORTNIGHTLY, id="much-improved-27-days"),
        pytest.param(((0, 10), (7, 5), (21, 3), (35, 4)), MONTHLY, id="much-improved-run"),
        pytest.param(
            ((0, 10), (7, 7), (21, 5), (35, 5)), FORTNIGHTLY, id="much-improved-only-14-days"
        ),
        pytest.param(
            ((0, 10), (7, 5), (21, 6), (35, 5)), FORTNIGHTLY, id="much-run-broken-by-improved"
        ),
    ],
)
def test_four_weeks_of_halved_leg_pain_steps_down_to_monthly(
    points: tuple[tuple[int, int], ...], expected: tuple[str, int, str, str]
) -> None:
    assert shape(cadence_of(*points)) == expected


@pytest.mark.parametrize(
    ("assessments", "expected"),
    [
        pytest.param(
            [assessment(day(0), 2, 6), assessment(day(7), 1, 2), assessment(day(35), 0, 1)],
            MONTHLY,
            id="recovered-28-days",
        ),
        pytest.param(
            [assessment(day(0), 2, 6), assessment(day(7), 1, 2), assessment(day(35), 1, 3)],
            WEEKLY,
            id="back-pain-back-so-not-recovered",
        ),
    ],
)
def test_four_weeks_recovered_steps_down_to_monthly(
    assessments: list[Assessment], expected: tuple[str, int, str, str]
) -> None:
    last = max(a.date for a in assessments)  # screened on the last day (B2)
    history = make_history(screenings=[screening(last)], assessments=assessments)
    assert shape(plan(history).cadence) == expected


@pytest.mark.parametrize(
    ("points", "today", "expected"),
    [
        pytest.param(
            ((0, 10), (7, 4), (21, 4), (28, 4), (35, 6)), 35, FLARE, id="up-2-from-lowest"
        ),
        pytest.param(((0, 10), (7, 4), (21, 4), (28, 4), (35, 5)), 35, MONTHLY, id="up-1-no-flare"),
        pytest.param(((0, 10), (7, 3), (35, 5)), 35, FLARE, id="lowest-exactly-28-days-before"),
        # 5 twice after a best of 3: a relapse (protocol 2026.2, E2), though no flare in the window.
        pytest.param(((0, 10), (6, 3), (14, 5), (35, 5)), 35, RELAPSE, id="lowest-29-days-before"),
        pytest.param(((0, 10), (7, 3), (20, 5)), 20, FLARE, id="counted-back-from-today"),
        pytest.param(((0, 10), (7, 3), (20, 5)), 40, WEEKLY, id="low-reading-out-of-window"),
        pytest.param(((0, 6), (14, 8)), 14, FLARE, id="worse-and-flared"),
    ],
)
def test_a_flare_goes_back_to_weekly_in_the_initial_phase(
    points: tuple[tuple[int, int], ...], today: int, expected: tuple[str, int, str, str]
) -> None:
    assert shape(cadence_of(*points, today=today)) == expected


@pytest.mark.parametrize(
    ("sessions", "today", "points", "next_day"),
    [
        pytest.param([], 12, ((0, 8),), 12, id="no-session-yet-today"),
        pytest.param([session(day(10))], 12, ((0, 8),), 17, id="last-plus-a-week"),
        pytest.param([session(day(0))], 12, ((0, 8),), 12, id="date-passed-today"),
        pytest.param(
            [session(day(21)), session(day(14))],
            22,
            ((0, 10), (7, 7), (21, 7)),
            35,
            id="last-plus-two-weeks",
        ),
        pytest.param([session(day(5))], 12, ((0, 8),), 12, id="exactly-today"),
    ],
)
def test_the_next_session_is_the_last_plus_the_interval_or_today(
    sessions: list[Session], today: int, points: tuple[tuple[int, int], ...], next_day: int
) -> None:
    history = make_history(sessions=sessions, diary=leg_pain_course(*points))

    assert plan(history, day(today)).cadence.next_session == day(next_day)


@pytest.mark.parametrize(
    ("screenings", "expected"),
    [
        pytest.param([], ("on_hold", None, "on_hold", "cadence.on_hold"), id="unscreened"),
        pytest.param(
            [screening(day(0), "suspected_dvt")],
            ("on_hold", None, "on_hold", "cadence.on_hold"),
            id="urgent",
        ),
        pytest.param([screening(day(0))], WEEKLY, id="screened-clear"),
    ],
)
def test_no_session_is_booked_while_massage_is_on_hold(
    screenings: list[Screening], expected: tuple[str, int | None, str, str]
) -> None:
    history = make_history(screenings=screenings, sessions=[session(day(0))])

    cadence = plan(history, day(3)).cadence

    assert shape(cadence) == expected
    assert (cadence.next_session is None) is (expected[0] == "on_hold")
