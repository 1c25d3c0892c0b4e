"""The calendar feed's events, parsed back with icalendar: dates, alarms, UIDs and time zones."""

from datetime import date, datetime, time, timedelta

import pytest
from icalendar import Alarm, Calendar, Event

from sciatica_care.domain.holds import held
from sciatica_care.domain.plan import CarePlan
from sciatica_care.sharing.calendar.feed import (
    Booked,
    care_items,
    oswestry_due,
    session_items,
)
from sciatica_care.sharing.calendar.ics import Item, clean, event_uid, to_ics
from tests.builders import START, assessment, day, make_history, plan, screening, session

ODI = [2, 2, 1, 2, 1, 2, 1, 1, 2, 1]
TODAY = START
FIRST_VISIT = plan(make_history(assessments=[assessment(START, 6, 3, odi=ODI)]), TODAY)
TIMED = Booked(41, 7, "Ada Lovelace", day(3), time(14, 30), "Kim")
UNTIMED = Booked(42, 7, "Ada Lovelace", day(10), None, None)


def build(
    *,
    booked: tuple[Booked, ...] = (TIMED, UNTIMED),
    care_plan: CarePlan = FIRST_VISIT,
    today: date = TODAY,
    latest_odi: date | None = START,
) -> bytes:
    """A client's feed from plain values, as `client_calendar` builds it from the database."""
    action = held(care_plan)
    holds = {} if action is None else {7: action}
    items = session_items(booked, for_therapist=False, holds=holds)
    items += care_items(
        7,
        plan=care_plan,
        today=today,
        booked_ahead=any(b.day >= today for b in booked),
        latest_odi=latest_odi,
    )
    return to_ics(items, name="Test", feed_key="client/7", today=today)


def events(ics: bytes) -> list[Event]:
    """The events of a feed, parsed back."""
    return list(Calendar.from_ical(ics).events)


def alarm_of(event: Event) -> Alarm:
    """The one alarm inside an event."""
    (alarm,) = [c for c in event.subcomponents if isinstance(c, Alarm)]
    return alarm


def of_kind(ics: bytes, kind: str) -> list[Event]:
    """The events of one kind (their category)."""
    return [e for e in events(ics) if kind in [str(c) for c in e.categories]]


def test_a_session_booked_with_a_time_is_a_floating_local_time() -> None:
    ics = build()
    (timed,) = [e for e in of_kind(ics, "session") if e.uid == event_uid(7, "session", 41)]
    assert timed.start == datetime(2026, 1, 8, 14, 30)
    assert isinstance(timed.start, datetime)
    assert timed.start.tzinfo is None
    assert timed.end == datetime(2026, 1, 8, 15, 30)
    assert "DTSTART:20260108T143000\r\n" in ics.decode()
    assert "TZID" not in ics.decode()
    assert "VTIMEZONE" not in ics.decode()


def test_a_session_booked_without_a_time_is_an_all_day_event() -> None:
    ics = build()
    (untimed,) = [e for e in of_kind(ics, "session") if e.uid == event_uid(7, "session", 42)]
    assert untimed.start == day(10)
    assert not isinstance(untimed.start, datetime)
    assert untimed.end == day(11)
    assert "DTSTART;VALUE=DATE:20260115\r\n" in ics.decode()


def test_every_event_carries_a_display_alarm_inside_it() -> None:
    parsed = events(build())
    assert len(parsed) == 2 + 14 + 1
    for event in parsed:
        alarm = alarm_of(event)
        assert alarm["ACTION"] == "DISPLAY"
        assert alarm.TRIGGER is not None
        assert str(alarm["DESCRIPTION"])


@pytest.mark.parametrize(
    ("uid", "trigger"),
    [
        (event_uid(7, "session", 41), -timedelta(hours=1)),
        (event_uid(7, "session", 42), -timedelta(hours=15)),
        (event_uid(7, "check-in", TODAY.isoformat()), timedelta(hours=9)),
    ],
)
def test_alarms_come_an_hour_before_a_timed_session_and_at_nine_for_a_day(
    uid: str, trigger: timedelta
) -> None:
    (event,) = [e for e in events(build()) if e.uid == uid]
    before_or_after = alarm_of(event).TRIGGER
    assert before_or_after == trigger


def test_uids_are_unique_and_the_same_in_two_builds_of_one_day() -> None:
    first, second = build(), build()
    assert first == second
    uids = [e.uid for e in events(first)]
    assert len(set(uids)) == len(uids)


def test_a_refresh_on_a_later_day_keeps_the_uids_of_the_events_it_still_shows() -> None:
    today_uids = {e.uid: e.start for e in events(build())}
    tomorrow_uids = {e.uid: e.start for e in events(build(today=TODAY + timedelta(days=1)))}
    kept = today_uids.keys() & tomorrow_uids.keys()
    assert event_uid(7, "session", 41) in kept
    assert event_uid(7, "check-in", day(5).isoformat()) in kept
    assert all(today_uids[uid] == tomorrow_uids[uid] for uid in kept)
    assert event_uid(7, "check-in", TODAY.isoformat()) not in tomorrow_uids


def test_uids_differ_by_client_and_kind_and_name_the_domain() -> None:
    uids = {event_uid(7, "session", 1), event_uid(8, "session", 1), event_uid(7, "check-in", 1)}
    assert len(uids) == 3
    assert all(uid.endswith("@sciatica-care") for uid in uids)


def test_check_in_reminders_cover_the_next_fourteen_days_as_free_all_day_events() -> None:
    reminders = of_kind(build(), "check-in")
    assert sorted(e.start for e in reminders) == [TODAY + timedelta(days=n) for n in range(14)]
    assert all(str(e["TRANSP"]) == "TRANSPARENT" for e in reminders)


def test_the_plans_next_session_is_suggested_only_while_none_is_booked() -> None:
    assert of_kind(build(), "suggested") == []
    (suggested,) = of_kind(build(booked=()), "suggested")
    assert suggested.start == FIRST_VISIT.cadence.next_session
    assert "suggested" in str(suggested["SUMMARY"]).lower()
    assert str(suggested["STATUS"]) == "TENTATIVE"


def test_a_session_booked_only_in_the_past_still_lets_the_plan_suggest_the_next() -> None:
    past = Booked(40, 7, "Ada Lovelace", TODAY - timedelta(days=3), None, None)
    assert len(of_kind(build(booked=(past,)), "suggested")) == 1


def test_massage_on_hold_suggests_no_session() -> None:
    emergency = make_history(screenings=[screening(START, "saddle_numbness")])
    assert plan(emergency, TODAY).cadence.next_session is None
    assert of_kind(build(booked=(), care_plan=plan(emergency, TODAY)), "suggested") == []


NOT_IMPROVING = plan(
    make_history(
        assessments=[assessment(START, 6, 3, odi=ODI), assessment(day(43), 6, 3)],
        sessions=[session(START)],
    ),
    day(43),
)


@pytest.mark.parametrize(
    ("care_plan", "today", "latest_odi", "due"),
    [
        (FIRST_VISIT, START, START, day(28)),
        (FIRST_VISIT, day(10), day(3), day(31)),
        (FIRST_VISIT, day(40), START, day(40)),
        (FIRST_VISIT, START, None, START),
        (NOT_IMPROVING, day(43), START, day(43)),
        (NOT_IMPROVING, day(43), day(43), day(71)),
    ],
    ids=[
        "4 weeks after the latest",
        "4 weeks after a later one",
        "overdue shows today",
        "never answered is due now",
        "review says not improving: due now",
        "review, but answered today: 4 weeks on",
    ],
)
def test_the_next_oswestry_is_due_four_weeks_on_or_now_when_the_review_asks(
    care_plan: CarePlan, today: date, latest_odi: date | None, due: date
) -> None:
    assert oswestry_due(plan=care_plan, today=today, latest_odi=latest_odi) == due
    ics = build(booked=(), care_plan=care_plan, today=today, latest_odi=latest_odi)
    (event,) = of_kind(ics, "questionnaire")
    assert event.start == due
    assert "Oswestry" in str(event["SUMMARY"])


def test_a_therapists_sessions_name_the_client_and_a_clients_do_not() -> None:
    (mine,) = session_items([TIMED], for_therapist=True)
    (theirs,) = session_items([TIMED], for_therapist=False)
    assert "Ada Lovelace" in mine.summary
    assert "Ada" not in theirs.summary
    assert "Kim" in theirs.description


def test_the_calendar_itself_has_a_stable_uid_and_a_refresh_interval() -> None:
    item = Item("u@x", "check-in", "S", "D", TODAY, None, timedelta(hours=9), "A")
    first = Calendar.from_ical(to_ics([item], name="N", feed_key="k", today=TODAY))
    again = Calendar.from_ical(to_ics([item], name="N", feed_key="k", today=TODAY))
    other = Calendar.from_ical(to_ics([item], name="N", feed_key="other", today=TODAY))
    assert first["UID"] == again["UID"] != other["UID"]
    assert first.refresh_interval == timedelta(hours=1)
    text = to_ics([item], name="N", feed_key="k", today=TODAY).decode()
    assert "\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in text
    assert "\r\nX-PUBLISHED-TTL:PT1H\r\n" in text


EMERGENCY = plan(make_history(screenings=[screening(START, "saddle_numbness")]), TODAY)


def test_while_massage_is_on_hold_booked_sessions_are_marked_and_tentative() -> None:
    assert EMERGENCY.massage.status == "on_hold"
    action = EMERGENCY.triage.action
    sessions = of_kind(build(care_plan=EMERGENCY), "session")
    assert len(sessions) == 2
    for event in sessions:
        assert str(event["SUMMARY"]).startswith("ON HOLD:")
        assert str(event["STATUS"]) == "TENTATIVE"
        assert action in str(event["DESCRIPTION"])
        assert str(alarm_of(event)["DESCRIPTION"]).startswith("ON HOLD:")


def test_while_massage_is_on_hold_today_points_at_the_message_and_nothing_is_suggested() -> None:
    ics = build(booked=(), care_plan=EMERGENCY)
    (notice,) = of_kind(ics, "on-hold")
    assert notice.start == TODAY
    assert not isinstance(notice.start, datetime)
    assert str(notice["SUMMARY"]) == "See the message about your care"
    assert EMERGENCY.triage.action in str(notice["DESCRIPTION"])
    assert timedelta(hours=9) == alarm_of(notice).TRIGGER
    assert of_kind(ics, "suggested") == []


def test_an_ordinary_plan_has_confirmed_sessions_and_no_on_hold_notice() -> None:
    ics = build()
    assert of_kind(ics, "on-hold") == []
    sessions = of_kind(ics, "session")
    assert [str(e["STATUS"]) for e in sessions] == ["CONFIRMED", "CONFIRMED"]
    assert not any(str(e["SUMMARY"]).startswith("ON HOLD") for e in sessions)


def test_a_therapists_session_of_a_client_on_hold_is_marked_too() -> None:
    (mine,) = session_items([TIMED], for_therapist=True, holds={7: "Call them."})
    assert mine.summary == "ON HOLD: Massage: Ada Lovelace"
    assert mine.tentative
    (other,) = session_items([TIMED], for_therapist=True, holds={8: "Call them."})
    assert not other.tentative


EVIL = "Dee\nBEGIN:VEVENT\r\nSUMMARY:pwn\r\nEND:VEVENT\x00\x7f\u2028x"


def test_control_characters_in_names_become_spaces() -> None:
    assert clean("Dee\nBEGIN:VEVENT") == "Dee BEGIN:VEVENT"
    assert clean("a\tb\x00c\x7fd\u2028e\u0085f") == "a b c d e f"
    assert clean('Zoë O\'Brien, "Jr"; x\\y') == 'Zoë O\'Brien, "Jr"; x\\y'


def test_a_name_with_newlines_never_breaks_the_calendar() -> None:
    booked = Booked(41, 7, EVIL, day(3), time(14, 30), EVIL)
    items = session_items([booked], for_therapist=True)
    ics = to_ics(items, name=f"Massage sessions: {EVIL}", feed_key="k", today=TODAY)
    lines = ics.decode().split("\r\n")
    assert lines.count("BEGIN:VEVENT") == 1
    assert not any(line.startswith("SUMMARY:pwn") for line in lines)
    (event,) = events(ics)
    assert str(event["SUMMARY"]) == "Massage: " + clean(EVIL)
    assert "\n" not in str(event["DESCRIPTION"])
    assert clean(EVIL) in str(Calendar.from_ical(ics)["X-WR-CALNAME"])
