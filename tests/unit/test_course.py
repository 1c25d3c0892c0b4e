"""The course by day: one meaning for every chart, table and report."""

from sciatica_care.domain.course import DayCourse, daily_course
from tests.builders import assessment, day, diary, make_history, session

ODI = (1, 1, 1, 1, 1, 1, 1, 1, 1, 1)  # 10 of 50: 20 %


def test_a_day_with_an_assessment_and_a_diary_entry_keeps_the_diary_reading() -> None:
    history = make_history(assessments=[assessment(day(0), 7, 4)], diary=[diary(day(0), 5)])
    assert daily_course(history, min_sections=8) == [DayCourse(day(0), 5, 4, None, False)]


def test_the_last_diary_entry_of_a_day_counts() -> None:
    history = make_history(diary=[diary(day(1), 6, 3), diary(day(1), 4)])
    assert daily_course(history, min_sections=8) == [DayCourse(day(1), 4, 3, None, False)]


def test_days_come_oldest_first_with_sessions_and_oswestry() -> None:
    history = make_history(
        assessments=[assessment(day(3), 6, odi=ODI)],
        diary=[diary(day(1), 7)],
        sessions=[session(day(2))],
    )
    assert daily_course(history, min_sections=8) == [
        DayCourse(day(1), 7, None, None, False),
        DayCourse(day(2), None, None, None, True),
        DayCourse(day(3), 6, None, 20.0, False),
    ]


def test_an_oswestry_with_too_few_sections_gives_no_score() -> None:
    history = make_history(assessments=[assessment(day(0), 6, odi=(1, 1, *[None] * 8))])
    assert daily_course(history, min_sections=8)[0].odi_percent is None


def test_an_empty_history_has_no_course() -> None:
    assert daily_course(make_history(), min_sections=8) == []
