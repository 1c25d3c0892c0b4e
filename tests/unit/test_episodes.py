"""Episodes (protocol 2026.2, E1): progress is measured within the current episode."""

from typing import Any

from sciatica_care.domain.history import EpisodeStart
from tests.builders import _record, day, leg_pain_course, make_history, plan, screening


def with_episodes(history: Any, *episodes: EpisodeStart) -> Any:
    fields = {name: getattr(history, name) for name in history.__struct_fields__}
    return _record(type(history), **{**fields, "episodes": episodes})


def test_the_first_episode_starts_at_the_first_reading() -> None:
    care = plan(
        make_history(screenings=[screening(day(14))], diary=leg_pain_course((0, 8), (14, 4)))
    )
    episode = care.progress.episode
    assert episode is not None
    assert (episode.start, episode.rule, episode.number) == (
        day(0),
        "progress.episode_first_reading",
        1,
    )
    assert care.progress.status in ("improved", "much_improved")


def test_after_a_long_gap_a_new_episode_has_its_own_baseline() -> None:
    course = leg_pain_course((0, 9), (14, 2), (120, 6), (127, 6))
    care = plan(make_history(screenings=[screening(day(127))], diary=course))
    episode = care.progress.episode
    assert episode is not None
    assert (episode.start, episode.rule, episode.number) == (
        day(120),
        "progress.episode_after_gap",
        2,
    )
    assert care.progress.baseline is not None
    assert care.progress.baseline.date == day(120)
    # Measured against the old episode's 9 this would read "improved".
    assert care.progress.status == "unchanged"


def test_symptoms_back_after_a_held_recovery_start_a_new_episode() -> None:
    course = leg_pain_course((0, 8), (7, 1), (28, 0), (56, 1), (63, 7), (70, 7))
    care = plan(make_history(screenings=[screening(day(70))], diary=course))
    episode = care.progress.episode
    assert episode is not None
    assert (episode.start, episode.rule) == (day(63), "progress.episode_after_recovery")
    assert care.progress.baseline is not None
    assert care.progress.baseline.leg_pain == 7


def test_a_recorded_start_wins_and_an_onset_drives_the_six_week_clock() -> None:
    course = leg_pain_course((0, 6), (7, 6), (20, 6))
    history = make_history(screenings=[screening(day(20))], diary=course)
    without = plan(history)
    assert "not_improving_6_weeks" not in [r.code for r in without.review]
    recorded = EpisodeStart(date=day(0), onset=day(-30))
    care = plan(with_episodes(history, recorded))
    episode = care.progress.episode
    assert episode is not None
    assert (episode.start, episode.onset, episode.rule) == (day(0), day(-30), "progress.episode")
    # Symptoms since day -30: at day 20 that is 50 days, past six weeks without improving.
    assert "not_improving_6_weeks" in [r.code for r in care.review]


def test_readings_before_the_episode_never_change_its_status() -> None:
    course = leg_pain_course((50, 6), (57, 3), (64, 3))
    history = make_history(screenings=[screening(day(64))], diary=course)
    recorded = with_episodes(history, EpisodeStart(date=day(50)))
    earlier = leg_pain_course((0, 10), (10, 0), (20, 9))
    fields = {name: getattr(recorded, name) for name in recorded.__struct_fields__}
    busier = _record(type(recorded), **{**fields, "diary": (*earlier, *course)})
    assert plan(recorded).progress.status == plan(busier).progress.status
    assert plan(busier).progress.baseline.date == day(50)  # type: ignore[union-attr]
