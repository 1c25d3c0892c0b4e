"""Protocol 2026.2 progress rules: relapse (E2), Oswestry bands and function (E3), noise (E5),
discharge and a spinal opinion (E6), a severe first visit (E7)."""

import pytest

from sciatica_care.domain.plan import CarePlan
from sciatica_care.domain.protocol import ProtocolProblems, load_protocol
from sciatica_care.engine import default_protocol_text
from tests.builders import assessment, day, diary, leg_pain_course, make_history, plan, screening

# Ten Oswestry answers summing to 5, 10, 20, 25 and 45 points of 50 (10 %, 20 %, 40 %, 50 %, 90 %).
ODI_10 = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
ODI_20 = [1] * 10
ODI_40 = [2] * 10
ODI_50 = [3, 3, 3, 3, 3, 2, 2, 2, 2, 2]
ODI_90 = [5, 5, 5, 5, 5, 4, 4, 4, 4, 4]


def codes(care: CarePlan) -> set[str]:
    """The review codes of a plan."""
    return {review.code for review in care.review}


def course(*points: tuple[int, int], today: int) -> CarePlan:
    """The plan of a leg-pain diary, screened on `today`."""
    history = make_history(screenings=[screening(day(today))], diary=leg_pain_course(*points))
    return plan(history, day(today))


@pytest.mark.parametrize(
    ("points", "relapse"),
    [
        pytest.param(((0, 8), (14, 3), (21, 5), (22, 5)), True, id="two-dates-2-above-best"),
        pytest.param(((0, 8), (14, 3), (22, 5)), False, id="one-reading-only"),
        pytest.param(((0, 8), (14, 3), (21, 5), (22, 4)), False, id="second-reading-settles"),
        pytest.param(((0, 8), (14, 3), (21, 4), (22, 4)), False, id="only-1-above-best"),
    ],
)
def test_a_relapse_held_over_two_readings_brings_back_weekly_sessions_and_a_review(
    points: tuple[tuple[int, int], ...], relapse: bool
) -> None:
    care = course(*points, today=22)

    assert ("relapse" in codes(care)) is relapse
    assert (care.cadence.rule == "cadence.relapse") is relapse
    if relapse:
        assert (care.cadence.interval, care.cadence.phase) == ("weekly", "initial")
        assert care.progress.status in {"improved", "much_improved"}  # still below baseline


def test_two_readings_on_one_day_are_not_two_readings_of_a_relapse() -> None:
    history = make_history(
        screenings=[screening(day(22))],
        diary=[*leg_pain_course((0, 8), (14, 3)), diary(day(22), 6), diary(day(22), 6)],
    )

    assert "relapse" not in codes(plan(history, day(22)))


def test_one_noisy_reading_changes_the_cadence_but_does_not_tell_the_doctor() -> None:
    care = course((0, 5), (7, 5), (14, 8), today=14)

    assert care.cadence.rule == "cadence.flare"
    assert care.progress.status == "worse"
    assert not codes(care) & {"worsening", "relapse"}


def test_worse_on_two_reading_dates_tells_the_doctor() -> None:
    care = course((0, 5), (7, 7), (14, 8), today=14)

    assert {"worsening", "relapse"} <= codes(care)


@pytest.mark.parametrize(
    ("answers", "band"),
    [
        (ODI_10, "minimal"),
        (ODI_20, "minimal"),
        (ODI_40, "moderate"),
        (ODI_50, "severe"),
        (ODI_90, "bed_bound"),
    ],
)
def test_the_oswestry_band_is_shown_beside_the_score(answers: list[int], band: str) -> None:
    care = plan(make_history(assessments=[assessment(day(0), 5, 3, odi=answers)]))

    assert care.progress.latest is not None
    assert care.progress.latest.odi_band == band


@pytest.mark.parametrize(
    ("first", "best", "latest", "raised"),
    [
        pytest.param(ODI_40, ODI_20, ODI_40, True, id="20-points-above-best"),
        pytest.param(ODI_20, ODI_10, ODI_20, True, id="10-points-above-best"),
        pytest.param(ODI_40, ODI_20, [2, 1, 1, 1, 1, 1, 1, 1, 1, 1], False, id="2-points"),
    ],
)
def test_an_oswestry_10_points_worse_than_its_best_raises_a_review(
    first: list[int], best: list[int], latest: list[int], raised: bool
) -> None:
    history = make_history(
        screenings=[screening(day(14))],
        assessments=[
            assessment(day(0), 5, 3, odi=first),
            assessment(day(7), 5, 3, odi=best),
            assessment(day(14), 5, 3, odi=latest),
        ],
    )

    assert ("function_worse" in codes(plan(history, day(14)))) is raised


def recovered_for(days: int) -> CarePlan:
    """A client who recovered on day 14 and stayed so for `days` days."""
    history = make_history(
        screenings=[screening(day(14 + days))],
        diary=[diary(day(0), 8, 6), diary(day(14), 1, 1), diary(day(14 + days), 0, 1)],
    )
    return plan(history, day(14 + days))


@pytest.mark.parametrize(("days", "discharge"), [(41, False), (42, True)])
def test_recovery_held_for_six_weeks_raises_a_discharge_review(days: int, discharge: bool) -> None:
    care = recovered_for(days)

    assert care.progress.status == "recovered"
    assert ("discharge" in codes(care)) is discharge
    assert (care.cadence.rule == "cadence.discharge") is discharge


@pytest.mark.parametrize(
    ("first", "odi", "raised"),
    [
        pytest.param(9, None, True, id="leg-9"),
        pytest.param(8, None, False, id="leg-8"),
        pytest.param(6, ODI_50, True, id="oswestry-severe"),
        pytest.param(6, ODI_40, False, id="oswestry-moderate"),
    ],
)
def test_a_severe_first_visit_asks_the_doctor_for_help_with_pain_relief(
    first: int, odi: list[int] | None, raised: bool
) -> None:
    care = plan(make_history(assessments=[assessment(day(0), first, 4, odi=odi)]))

    assert ("pain_relief" in codes(care)) is raised


@pytest.mark.parametrize(
    ("latest", "today", "raised"),
    [
        pytest.param(6, 84, True, id="leg-6-at-12-weeks"),
        pytest.param(6, 83, False, id="before-12-weeks"),
        pytest.param(4, 84, False, id="leg-4-not-disabling"),
    ],
)
def test_sciatica_still_disabling_after_twelve_weeks_suggests_a_spinal_opinion(
    latest: int, today: int, raised: bool
) -> None:
    care = course((0, 7), (today, latest), today=today)

    assert ("spinal_opinion" in codes(care)) is raised


@pytest.mark.parametrize(
    ("upper", "problem"),
    [
        pytest.param("[20, 40, 60, 100]", "names and upper must be the same length", id="short"),
        pytest.param("[20, 60, 40, 80, 100]", "must be rising integers", id="not-rising"),
    ],
)
def test_protocol_check_refuses_oswestry_bands_that_do_not_fit(upper: str, problem: str) -> None:
    text = default_protocol_text().replace("upper = [20, 40, 60, 80, 100]", f"upper = {upper}")

    with pytest.raises(ProtocolProblems) as refused:
        load_protocol(text)

    assert any(problem in p for p in refused.value.problems)
