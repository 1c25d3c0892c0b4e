"""The clinic's clock: one moment in UTC, and the date as the clinic counts it in its zone."""

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from sciatica_care.clock import Clock
from sciatica_care.settings import Settings

# 20:00 on 3 December in Pago Pago (UTC-11) is already 4 December in UTC.
PAGO_PAGO_EVENING = datetime(2026, 12, 4, 7, 0, tzinfo=UTC)
# 08:00 on 4 December in Sydney (UTC+11 in summer) is still 3 December in UTC.
SYDNEY_MORNING = datetime(2026, 12, 3, 21, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "moment", "clinic_date"),
    [
        ("Pacific/Pago_Pago", PAGO_PAGO_EVENING, date(2026, 12, 3)),
        ("America/New_York", datetime(2026, 12, 4, 2, 30, tzinfo=UTC), date(2026, 12, 3)),
        ("Australia/Sydney", SYDNEY_MORNING, date(2026, 12, 4)),
        ("UTC", SYDNEY_MORNING, date(2026, 12, 3)),
    ],
)
def test_today_is_the_clinics_date_in_its_zone_not_the_utc_date(
    zone: str, moment: datetime, clinic_date: date
) -> None:
    clock = Clock(zone=ZoneInfo(zone), fixed=moment)
    assert clock.today() == clinic_date
    assert clock.now() == moment


def test_now_is_aware_utc_whatever_offset_the_clock_was_pinned_with() -> None:
    sydney = SYDNEY_MORNING.astimezone(ZoneInfo("Australia/Sydney"))
    now = Clock(fixed=sydney).now()
    assert now.tzinfo is UTC
    assert now == SYDNEY_MORNING


def test_a_clock_cannot_be_pinned_at_a_naive_moment() -> None:
    with pytest.raises(ValueError, match="aware"):
        Clock(fixed=datetime(2026, 12, 3, 9, 0))


def test_the_real_clock_reads_an_aware_utc_moment_and_the_date_at_it() -> None:
    clock = Clock(zone=ZoneInfo("Australia/Sydney"))
    before = clock.now()
    today = clock.today()
    assert before.tzinfo is UTC
    assert today in {clock.date_of(before), clock.date_of(before + timedelta(seconds=5))}


def test_the_settings_make_the_clock_from_the_clinics_zone_and_a_pinned_moment() -> None:
    settings = Settings(timezone="Australia/Sydney", fixed_now=SYDNEY_MORNING)
    clock = settings.clock()
    assert clock.today() == date(2026, 12, 4)
    assert clock.now() == SYDNEY_MORNING


def test_the_settings_read_the_pinned_moment_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SCIATICA_TIMEZONE", "Pacific/Pago_Pago")
    monkeypatch.setenv("SCIATICA_FIXED_NOW", "2026-12-03T20:00:00-11:00")
    assert Settings().clock().today() == date(2026, 12, 3)
    assert Settings().clock().now() == PAGO_PAGO_EVENING


def test_the_settings_refuse_a_pinned_moment_without_its_offset() -> None:
    with pytest.raises(ValidationError):
        Settings(fixed_now="2026-12-03T20:00:00")  # type: ignore[arg-type]


def test_without_a_zone_the_date_is_this_machines_at_that_moment() -> None:
    moment = datetime(2026, 7, 1, 12, 0, tzinfo=timezone(timedelta(hours=3)))
    assert Clock(fixed=moment).today() == moment.astimezone().date()
