"""When two bookings of one therapist or one client clash."""

from datetime import date, time

from sciatica_care.domain.bookings import Slot, clashes

MONDAY = date(2026, 3, 2)


def test_overlapping_sessions_clash() -> None:
    assert clashes(Slot(MONDAY, time(10)), Slot(MONDAY, time(10, 59)))
    assert clashes(Slot(MONDAY, time(10, 30)), Slot(MONDAY, time(10)))
    assert clashes(Slot(MONDAY, time(10)), Slot(MONDAY, time(10)))


def test_back_to_back_sessions_do_not_clash() -> None:
    assert not clashes(Slot(MONDAY, time(10)), Slot(MONDAY, time(11)))
    assert not clashes(Slot(MONDAY, time(11)), Slot(MONDAY, time(10)))


def test_sessions_on_different_days_do_not_clash() -> None:
    assert not clashes(Slot(MONDAY, time(10)), Slot(date(2026, 3, 3), time(10)))
    assert not clashes(Slot(MONDAY, None), Slot(date(2026, 3, 3), None))


def test_an_untimed_booking_clashes_only_with_another_untimed_one_that_day() -> None:
    assert clashes(Slot(MONDAY, None), Slot(MONDAY, None))
    assert not clashes(Slot(MONDAY, None), Slot(MONDAY, time(10)))
    assert not clashes(Slot(MONDAY, time(10)), Slot(MONDAY, None))
