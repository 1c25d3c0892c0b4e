"""`sciatica calendar`: a stored client's calendar as iCalendar, on SQLite and PostgreSQL."""

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from icalendar import Calendar, Event

from sciatica_care.db.database import make_engine, session_factory, transaction
from sciatica_care.engine import default_protocol
from sciatica_care.services.clients import find_client
from sciatica_care.services.planning import current_plan
from sciatica_care.services.records import book
from tests.cli.runner import sciatica

TODAY = date(2026, 3, 2)
ODI = "2,2,1,2,1,2,1,1,2,1"


def seed(db: str) -> None:
    """Ada, screened and assessed on TODAY, with a session booked at 14:30 and one without time."""
    for step in (
        ["client", "add", "Ada Lovelace"],
        ["screen", "Ada", "--none", "--date", TODAY.isoformat()],
        ["assess", "Ada", "--leg-pain", "6", "--odi", ODI, "--date", TODAY.isoformat()],
    ):
        done = sciatica(db, *step)
        assert done.returncode == 0, done.stderr
    engine = make_engine(db)
    try:
        with transaction(session_factory(engine)) as session:
            ada = find_client(session, "Ada Lovelace")
            now = datetime.combine(TODAY, time(), tzinfo=UTC)
            for offset, start in ((7, time(14, 30)), (14, None)):
                when = TODAY + timedelta(days=offset)
                book(
                    session,
                    client=ada,
                    day=when,
                    start=start,
                    therapist_id=None,
                    note=None,
                    actor="test",
                    now=now,
                    today=TODAY,
                    plan=current_plan(session, ada, today=TODAY, protocol=default_protocol()),
                )
    finally:
        engine.dispose()


def events(ics: bytes) -> list[Event]:
    """The events of a calendar, parsed back."""
    return list(Calendar.from_ical(ics).events)


def test_the_calendar_command_writes_the_clients_feed(database_url: str, tmp_path: Path) -> None:
    seed(database_url)
    output = tmp_path / "ada.ics"
    args = ["calendar", "Ada Lovelace", "--today", TODAY.isoformat(), "--output", str(output)]
    done = sciatica(database_url, *args)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    found: dict[str, list[date]] = defaultdict(list)
    for event in events(output.read_bytes()):
        found[str(event.categories[0])].append(event.start)
    assert found["session"] == [datetime(2026, 3, 9, 14, 30), date(2026, 3, 16)]
    assert found["check-in"] == [TODAY + timedelta(days=n) for n in range(14)]
    assert found["questionnaire"] == [TODAY + timedelta(days=28)]
    assert "suggested" not in found


def test_two_runs_give_the_same_calendar(database_url: str, tmp_path: Path) -> None:
    seed(database_url)
    args = ["calendar", "1", "--today", TODAY.isoformat()]
    first, second = sciatica(database_url, *args), sciatica(database_url, *args)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert first.stdout.startswith("BEGIN:VCALENDAR")


def test_an_unknown_client_or_a_bad_date_is_refused_with_status_2(database_url: str) -> None:
    nobody = sciatica(database_url, "calendar", "Nobody")
    assert (nobody.returncode, nobody.stdout) == (2, "")
    assert "Nobody" in nobody.stderr
    bad = sciatica(database_url, "calendar", "1", "--today", "2026-13-01")
    assert (bad.returncode, bad.stdout) == (2, "")
    assert "--today" in bad.stderr


def test_an_emergency_puts_the_booked_sessions_on_hold(database_url: str, tmp_path: Path) -> None:
    seed(database_url)
    args = ["screen", "Ada", "--finding", "saddle_numbness", "--date", TODAY.isoformat()]
    screened = sciatica(database_url, *args)
    assert (screened.returncode, "EMERGENCY" in screened.stdout) == (0, True), screened.stderr
    output = tmp_path / "ada.ics"
    args = ["calendar", "Ada Lovelace", "--today", TODAY.isoformat(), "--output", str(output)]
    done = sciatica(database_url, *args)
    assert done.returncode == 0, done.stderr
    found: dict[str, list[Event]] = defaultdict(list)
    for event in events(output.read_bytes()):
        found[str(event.categories[0])].append(event)
    assert [str(e["SUMMARY"]) for e in found["session"]] == ["ON HOLD: Massage session"] * 2
    assert {str(e["STATUS"]) for e in found["session"]} == {"TENTATIVE"}
    (notice,) = found["on-hold"]
    assert notice.start == TODAY
    assert "emergency" in str(notice["DESCRIPTION"]).lower()
    assert "suggested" not in found
