"""Progress: leg pain against baseline, readings (reading 2) and the Oswestry change (reading 6)."""

from datetime import date

import msgspec
import pytest

from sciatica_care.domain.care_plan import build_care_plan
from sciatica_care.domain.history import Assessment, DiaryEntry
from sciatica_care.domain.history_parser import parse_history
from sciatica_care.engine import default_protocol
from tests.builders import assessment, day, diary, make_history, plan


@pytest.mark.parametrize(
    ("baseline", "latest", "status"),
    [
        pytest.param((10, 6), (7, 6), "improved", id="30pc-3pts-improved"),
        pytest.param((5, 4), (3, 4), "improved", id="40pc-2pts-improved"),
        pytest.param((10, 6), (8, 6), "unchanged", id="2pts-20pc-unchanged"),
        pytest.param((7, 6), (5, 6), "unchanged", id="2pts-29pc-unchanged"),
        pytest.param((6, 6), (4, 6), "improved", id="2pts-33pc-improved"),
        pytest.param((3, 4), (2, 4), "unchanged", id="33pc-1pt-unchanged"),
        pytest.param((10, 6), (5, 6), "much_improved", id="50pc-much-improved"),
        pytest.param((4, 4), (2, 4), "much_improved", id="50pc-2pts-much-improved"),
        pytest.param((9, 6), (5, 6), "improved", id="44pc-improved-not-much"),
        pytest.param((8, 6), (1, 2), "recovered", id="leg-1-back-2-recovered"),
        pytest.param((8, 6), (0, 0), "recovered", id="leg-0-back-0-recovered"),
        pytest.param((8, 6), (1, 3), "much_improved", id="back-3-not-recovered"),
        pytest.param((8, 6), (2, 0), "much_improved", id="leg-2-not-recovered"),
        pytest.param((1, 2), (1, 2), "recovered", id="low-from-the-start-recovered"),
        pytest.param((5, 4), (7, 4), "worse", id="up-2-worse"),
        pytest.param((0, 4), (2, 4), "worse", id="0-to-2-worse"),
        pytest.param((5, 4), (6, 4), "unchanged", id="up-1-unchanged"),
    ],
)
def test_leg_pain_against_baseline_sets_the_progress_status(
    baseline: tuple[int, int], latest: tuple[int, int], status: str
) -> None:
    history = make_history(
        assessments=[assessment(day(0), *baseline), assessment(day(14), *latest)]
    )

    progress = plan(history).progress

    assert (progress.status, progress.rule) == (status, f"progress.{status}")
    assert progress.leg_pain_change == latest[0] - baseline[0]


def test_the_progress_change_is_reported_in_points_and_percent() -> None:
    history = make_history(assessments=[assessment(day(0), 7, 4), assessment(day(54), 3, 2)])

    progress = plan(history).progress

    assert (progress.leg_pain_change, progress.leg_pain_change_percent) == (-4, -57.1)


@pytest.mark.parametrize(
    ("assessments", "entries", "status"),
    [
        pytest.param([assessment(day(0), 8)], [], "insufficient_data", id="one-reading"),
        pytest.param(
            [assessment(day(0), 8)], [diary(day(0), 2)], "insufficient_data", id="one-date"
        ),
        pytest.param(
            [assessment(day(0), 8), assessment(day(7), odi=[1] * 10)],
            [diary(day(9), back=1)],
            "insufficient_data",
            id="entries-without-leg-pain-are-not-readings",
        ),
        pytest.param(
            [assessment(day(0), 8)], [diary(day(1), 8)], "unchanged", id="two-dates-unchanged"
        ),
        pytest.param(
            [assessment(day(0), 8)], [diary(day(1), 2)], "much_improved", id="two-dates-judged"
        ),
    ],
)
def test_progress_needs_leg_pain_readings_on_two_different_dates(
    assessments: list[Assessment], entries: list[DiaryEntry], status: str
) -> None:
    progress = plan(make_history(assessments=assessments, diary=entries)).progress

    assert (progress.status, progress.rule) == (status, f"progress.{status}")


def test_an_entry_needs_only_a_date() -> None:
    raw = msgspec.json.encode(
        {
            "today": "2026-02-02",
            "screenings": [{"date": "2026-01-05"}],
            "assessments": [{"date": "2026-01-05"}],
            "sessions": [{"date": "2026-01-06"}],
            "diary": [{"date": "2026-01-07"}],
        }
    )

    history = parse_history(raw, today=None, system_today=date(2026, 3, 1))
    care = build_care_plan(history, default_protocol(), date(2026, 2, 2))

    assert care.progress.status == "insufficient_data"
    assert care.progress.baseline is None


@pytest.mark.parametrize(
    ("entries", "baseline_leg", "latest_leg", "status"),
    [
        pytest.param([diary(day(0), 5), diary(day(14), 4)], 8, 4, "much_improved", id="same-dates"),
        pytest.param([diary(day(0), 5)], 8, 8, "unchanged", id="no-diary-on-the-latest-date"),
    ],
)
def test_on_one_date_an_assessment_comes_before_a_diary_entry(
    entries: list[DiaryEntry], baseline_leg: int, latest_leg: int, status: str
) -> None:
    history = make_history(
        assessments=[assessment(day(0), 8, 5), assessment(day(14), 8, 5)], diary=entries
    )

    progress = plan(history).progress

    assert progress.baseline is not None
    assert progress.latest is not None
    assert (progress.baseline.leg_pain, progress.latest.leg_pain) == (baseline_leg, latest_leg)
    assert (progress.status, progress.rule) == (status, f"progress.{status}")


@pytest.mark.parametrize(
    ("assessments", "latest_odi"),
    [
        pytest.param(
            [
                assessment(day(0), 8, odi=[3] * 10),
                assessment(day(14), 6, odi=[2] * 10),
                assessment(day(21), 6, odi=[1] * 7 + [None] * 3),
            ],
            40.0,
            id="most-recent-scorable",
        ),
        pytest.param(
            [assessment(day(0), 8), assessment(day(21), 6, odi=[1] * 7 + [None] * 3)],
            None,
            id="none-scorable",
        ),
    ],
)
def test_the_latest_snapshot_takes_pain_from_the_latest_reading_and_odi_from_a_scorable_one(
    assessments: list[Assessment], latest_odi: float | None
) -> None:
    history = make_history(assessments=assessments, diary=[diary(day(28), 5, 3)])

    latest = plan(history).progress.latest

    assert latest is not None
    assert (latest.date, latest.leg_pain, latest.back_pain) == (day(28), 5, 3)
    assert latest.odi_percent == latest_odi


def odi_summing(total: int) -> list[int]:
    """Ten answered Oswestry sections summing to `total` (the percent is twice the total)."""
    return [min(5, max(0, total - 5 * i)) for i in range(10)]


@pytest.mark.parametrize(
    ("odi_totals", "legs", "odi_change", "status"),
    [
        pytest.param((25, 20), (6, 6), (-10.0, True), "unchanged", id="down-10-important"),
        pytest.param((20, 25), (6, 6), (10.0, True), "unchanged", id="up-10-important"),
        pytest.param((25, 21), (6, 6), (-8.0, False), "unchanged", id="down-8-not-important"),
        pytest.param((10, 10), (8, 3), (0.0, False), "much_improved", id="odi-flat-leg-better"),
        pytest.param((50, 0), (6, 7), (-100.0, True), "unchanged", id="odi-better-leg-flat"),
    ],
)
def test_an_important_oswestry_change_is_reported_but_does_not_set_the_status(
    odi_totals: tuple[int, int],
    legs: tuple[int, int],
    odi_change: tuple[float, bool],
    status: str,
) -> None:
    history = make_history(
        assessments=[
            assessment(day(0), legs[0], 5, odi=odi_summing(odi_totals[0])),
            assessment(day(28), legs[1], 5, odi=odi_summing(odi_totals[1])),
        ]
    )

    progress = plan(history).progress

    assert (progress.odi_change, progress.odi_change_important) == odi_change
    assert (progress.status, progress.rule) == (status, f"progress.{status}")


def test_a_single_scorable_oswestry_gives_no_change() -> None:
    history = make_history(
        assessments=[assessment(day(0), 6, 4, odi=[3] * 10), assessment(day(28), 6, 4)]
    )

    progress = plan(history).progress

    assert (progress.odi_change, progress.odi_change_important) == (None, False)
