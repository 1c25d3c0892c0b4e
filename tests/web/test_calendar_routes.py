"""Calendar links and feeds over HTTP: made once, read without signing in, revoked for good."""

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from pathlib import Path

from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import Session

from sciatica_care.db.database import make_engine, session_factory, transaction
from sciatica_care.db.models import AuditEntry, CalendarLink, Client, User
from sciatica_care.engine import default_protocol
from sciatica_care.services import clinic_admin
from sciatica_care.services.clients import assign_therapist, unassign_therapist
from sciatica_care.services.entries import record
from sciatica_care.services.planning import current_plan
from sciatica_care.services.records import book
from tests.cli.runner import run
from tests.web.world import NOW, TODAY, Browser, World, build_world


def make_link(browser: Browser, path: str) -> tuple[str, int]:
    """Posts a create form; returns the feed's path (shown once) and the link's id."""
    page = browser.post(path)
    assert page.status_code == 200, page.text
    assert page.headers["cache-control"] == "no-store"
    found = re.search(r'value="http://127\.0\.0\.1(/calendar/cal_[A-Za-z0-9_-]+\.ics)"', page.text)
    number = re.search(r"Link (\d+), made", page.text)
    assert found, page.text
    assert number, page.text
    return found.group(1), int(number.group(1))


def events(body: bytes) -> list[Event]:
    """The events of a feed, parsed back."""
    return list(Calendar.from_ical(body).events)


def kinds(body: bytes) -> list[str]:
    """The category of every event of a feed."""
    return [str(e.categories[0]) for e in events(body)]


@contextmanager
def with_db(world: World) -> Iterator[Session]:
    """A transaction on the world's database, beside the app's own."""
    engine = make_engine(world.url)
    try:
        with transaction(session_factory(engine)) as db:
            yield db
    finally:
        engine.dispose()


@contextmanager
def fresh_world(folder: Path) -> Iterator[World]:
    """A world of its own, for a test that changes people or records."""
    built = build_world(folder)
    try:
        yield built
    finally:
        built.app.state.sciatica.close()


def set_disabled(world: World, seat: str, *, disabled: bool) -> None:
    """Disables or enables the account in `seat`, as the clinic's admin."""
    with with_db(world) as db:
        admin = db.get_one(User, world.users["admin"])
        change = clinic_admin.disable if disabled else clinic_admin.enable
        change(db, admin=admin, user_id=world.users[seat], now=NOW)


def book_ada(world: World, start: time | None = time(9, 15)) -> None:
    """A session for Ada two days from today, with Kim."""
    with with_db(world) as db:
        ada = db.get_one(Client, world.ada)
        when = TODAY + timedelta(days=2)
        therapist = world.users["therapist"]
        book(
            db,
            client=ada,
            day=when,
            start=start,
            therapist_id=therapist,
            note=None,
            actor="t",
            now=NOW,
            today=TODAY,
            plan=current_plan(db, ada, today=TODAY, protocol=default_protocol()),
        )


def test_a_link_made_by_the_care_team_opens_the_clients_calendar_without_signing_in(
    world: World,
) -> None:
    path, _ = make_link(world.browser("therapist"), f"/clients/{world.ada}/calendar-link")
    answer = world.client().get(path)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
    assert answer.headers["cache-control"] == "no-store"
    found = kinds(answer.content)
    assert found.count("check-in") == 14
    assert found.count("questionnaire") == 1
    assert all(e.walk("VALARM") for e in events(answer.content))


def test_the_feed_is_the_same_ics_as_the_calendar_command(world: World, tmp_path: Path) -> None:
    path, _ = make_link(world.browser("client"), f"/clients/{world.ada}/calendar-link")
    served = world.client().get(path).content
    output = tmp_path / "ada.ics"
    printed = run("calendar", str(world.ada), "--output", str(output), "--db", world.url)
    assert printed.returncode == 0, printed.stderr
    assert output.read_bytes() == served


def test_a_revoked_link_answers_404_and_leaves_the_others_working(world: World) -> None:
    therapist = world.browser("therapist")
    revoked, number = make_link(therapist, f"/clients/{world.ada}/calendar-link")
    kept, _ = make_link(therapist, f"/clients/{world.ada}/calendar-link")
    answer = therapist.post(f"/calendar-links/{number}/revoke", follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (
        303,
        f"/clients/{world.ada}#calendar",
    )
    assert world.client().get(revoked).status_code == 404
    assert world.client().get(kept).status_code == 200


def test_unknown_links_answer_404(world: World) -> None:
    for path in ("/calendar/cal_nothing.ics", "/calendar/nothing.ics", "/calendar/cal_.ics"):
        assert world.client().get(path).status_code == 404, path


def test_the_client_page_lists_the_live_links_with_revoke_buttons(world: World) -> None:
    therapist = world.browser("therapist")
    _, number = make_link(therapist, f"/clients/{world.ada}/calendar-link")
    revoke_form = f'action="/calendar-links/{number}/revoke"'
    page = therapist.http.get(f"/clients/{world.ada}")
    assert revoke_form in page.text
    # The page reads them with the rest of its data: the template runs no query of its own.
    links = page.context["calendar_links"]  # type: ignore[attr-defined]
    assert number in [link.id for link in links]
    assert f'action="/clients/{world.ada}/calendar-link"' in page.text
    therapist.post(f"/calendar-links/{number}/revoke")
    assert revoke_form not in therapist.http.get(f"/clients/{world.ada}").text


def test_nobody_outside_adas_care_can_revoke_her_link(world: World) -> None:
    path, number = make_link(world.browser("client"), f"/clients/{world.ada}/calendar-link")
    for seat in ("other_therapist", "other_clinic", "other_client"):
        answer = world.browser(seat).post(f"/calendar-links/{number}/revoke")
        assert answer.status_code == 404, seat
    assert world.client().get(path).status_code == 200


def test_a_client_makes_and_revokes_their_own_link_on_their_links_page(world: World) -> None:
    client = world.browser("client")
    path, number = make_link(client, f"/clients/{world.ada}/calendar-link")
    assert f'action="/calendar-links/{number}/revoke"' in client.http.get("/calendar-links").text
    answer = client.post(f"/calendar-links/{number}/revoke", follow_redirects=False)
    assert answer.headers["location"] == "/calendar-links"
    assert world.client().get(path).status_code == 404


def test_a_therapists_feed_holds_the_booked_sessions_of_their_clients_only(world: World) -> None:
    day = TODAY + timedelta(days=2)
    with with_db(world) as db:
        for client_id, start in ((world.ada, time(9, 15)), (world.ben, None)):
            client = db.get(Client, client_id)
            assert client is not None
            book(
                db,
                client=client,
                day=day,
                start=start,
                therapist_id=None,
                note=None,
                actor="test",
                now=NOW,
                today=TODAY,
                plan=current_plan(db, client, today=TODAY, protocol=default_protocol()),
            )
    path, _ = make_link(world.browser("therapist"), "/calendar-links")
    sessions = events(world.client().get(path).content)
    assert [str(e["SUMMARY"]) for e in sessions] == ["Massage: Ada Lovelace"]
    (session,) = sessions
    assert session.start == datetime.combine(day, time(9, 15))
    assert isinstance(session.start, datetime)
    assert session.start.tzinfo is None  # floating: no time zone
    ada_feed, _ = make_link(world.browser("therapist"), f"/clients/{world.ada}/calendar-link")
    same = [e for e in events(world.client().get(ada_feed).content) if e.uid == session.uid]
    assert len(same) == 1


def test_a_link_is_stored_as_its_hash_and_its_making_and_revoking_are_audited(
    world: World,
) -> None:
    therapist = world.browser("therapist")
    path, number = make_link(therapist, f"/clients/{world.ada}/calendar-link")
    therapist.post(f"/calendar-links/{number}/revoke")
    secret = path.removeprefix("/calendar/").removesuffix(".ics")
    with with_db(world) as db:
        link = db.get(CalendarLink, number)
        assert link is not None
        assert link.token_hash == hashlib.sha256(secret.encode()).hexdigest()
        assert (link.client_id, link.user_id) == (world.ada, None)
        actions = db.scalars(
            select(AuditEntry.action).where(
                AuditEntry.entity == "calendar_links", AuditEntry.entity_id == number
            )
        ).all()
    assert list(actions) == ["create", "revoke"]


def test_client_accounts_have_no_therapist_feed(world: World) -> None:
    assert world.browser("client").post("/calendar-links").status_code == 403


def test_a_link_cannot_be_made_without_the_forms_csrf_token(world: World) -> None:
    therapist = world.browser("therapist")
    answer = therapist.http.post(f"/clients/{world.ada}/calendar-link", data={})
    assert answer.status_code == 403
    assert "/calendar/cal_" not in answer.text


def test_the_feed_of_a_disabled_account_answers_404_until_it_is_enabled(world: World) -> None:
    path, _ = make_link(world.browser("other_therapist"), "/calendar-links")
    assert world.client().get(path).status_code == 200
    with with_db(world) as db:
        admin = db.get(User, world.users["admin"])
        assert admin is not None
        clinic_admin.disable(db, admin=admin, user_id=world.users["other_therapist"], now=NOW)
    try:
        assert world.client().get(path).status_code == 404
    finally:
        with with_db(world) as db:
            admin = db.get(User, world.users["admin"])
            assert admin is not None
            clinic_admin.enable(db, admin=admin, user_id=world.users["other_therapist"], now=NOW)
    assert world.client().get(path).status_code == 200


def test_a_therapists_link_to_a_client_stops_when_they_are_unassigned_and_the_clients_does_not(
    tmp_path: Path,
) -> None:
    with fresh_world(tmp_path) as world:
        kims, _ = make_link(world.browser("therapist"), f"/clients/{world.ada}/calendar-link")
        adas, _ = make_link(world.browser("client"), f"/clients/{world.ada}/calendar-link")
        with with_db(world) as db:
            ada = db.get_one(Client, world.ada)
            kim = world.users["therapist"]
            unassign_therapist(db, client=ada, therapist_id=kim, actor="t", now=NOW)
        assert world.client().get(kims).status_code == 404
        assert world.client().get(adas).status_code == 200
        with with_db(world) as db:
            ada = db.get_one(Client, world.ada)
            assign_therapist(db, client=ada, therapist_id=kim, actor="t", now=NOW)
        assert world.client().get(kims).status_code == 200


def test_a_therapists_links_stop_when_their_account_is_disabled(tmp_path: Path) -> None:
    with fresh_world(tmp_path) as world:
        kim = world.browser("therapist")
        to_ada, _ = make_link(kim, f"/clients/{world.ada}/calendar-link")
        own, _ = make_link(kim, "/calendar-links")
        adas, _ = make_link(world.browser("client"), f"/clients/{world.ada}/calendar-link")
        set_disabled(world, "therapist", disabled=True)
        assert world.client().get(to_ada).status_code == 404
        assert world.client().get(own).status_code == 404
        assert world.client().get(adas).status_code == 200
        set_disabled(world, "therapist", disabled=False)
        assert world.client().get(to_ada).status_code == 200


def test_a_clients_own_link_stops_when_their_account_is_disabled(tmp_path: Path) -> None:
    with fresh_world(tmp_path) as world:
        adas, number = make_link(world.browser("client"), f"/clients/{world.ada}/calendar-link")
        kims, _ = make_link(world.browser("therapist"), f"/clients/{world.ada}/calendar-link")
        set_disabled(world, "client", disabled=True)
        assert world.client().get(adas).status_code == 404
        assert world.client().get(kims).status_code == 200
        with with_db(world) as db:
            link = db.get_one(CalendarLink, number)
            assert link.created_by == world.users["client"]


def test_an_emergency_puts_sessions_on_hold_in_both_feeds(tmp_path: Path) -> None:
    with fresh_world(tmp_path) as world:
        book_ada(world)
        client_feed, _ = make_link(world.browser("client"), f"/clients/{world.ada}/calendar-link")
        kims_feed, _ = make_link(world.browser("therapist"), "/calendar-links")
        before = events(world.client().get(client_feed).content)
        assert [str(e["STATUS"]) for e in before if e.categories[0] == "session"] == ["CONFIRMED"]
        with with_db(world) as db:
            ada = db.get_one(Client, world.ada)
            entry = {"date": TODAY.isoformat(), "findings": ["saddle_numbness"]}
            record(
                db,
                client=ada,
                kind="screenings",
                entry=entry,
                today=TODAY,
                protocol=default_protocol(),
                actor="t",
                now=NOW,
            )
        found = events(world.client().get(client_feed).content)
        (session,) = [e for e in found if str(e.categories[0]) == "session"]
        (notice,) = [e for e in found if str(e.categories[0]) == "on-hold"]
        assert str(session["SUMMARY"]) == "ON HOLD: Massage session"
        assert str(session["STATUS"]) == "TENTATIVE"
        assert "emergency" in str(session["DESCRIPTION"]).lower()
        assert (notice.start, str(notice["SUMMARY"])) == (TODAY, "See the message about your care")
        assert "emergency" in str(notice["DESCRIPTION"]).lower()
        assert "suggested" not in kinds(world.client().get(client_feed).content)
        (theirs,) = events(world.client().get(kims_feed).content)
        assert str(theirs["SUMMARY"]) == "ON HOLD: Massage: Ada Lovelace"
        assert str(theirs["STATUS"]) == "TENTATIVE"


def test_a_name_with_a_newline_never_breaks_the_feeds(tmp_path: Path) -> None:
    with fresh_world(tmp_path) as world:
        book_ada(world)
        with with_db(world) as db:
            db.get_one(Client, world.ada).name = "Dee\nBEGIN:VEVENT\r\nSUMMARY:pwn"
            db.get_one(User, world.users["therapist"]).name = "Kim\r\nEND:VCALENDAR"
        kim = world.browser("therapist")
        for path in (f"/clients/{world.ada}/calendar-link", "/calendar-links"):
            feed, _ = make_link(kim, path)
            answer = world.client().get(feed)
            assert answer.status_code == 200, path
            lines = answer.text.split("\r\n")
            assert not any(line.startswith(("SUMMARY:pwn", "END:VCALENDAR ")) for line in lines)
            assert lines.count("END:VCALENDAR") == 1
            sessions = [e for e in events(answer.content) if e.categories[0] == "session"]
            assert len(sessions) == 1, path
