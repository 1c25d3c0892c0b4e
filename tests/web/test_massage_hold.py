"""Massage cannot slip past a hold: no booking while a finding holds it; earlier bookings on hold.

Ada (the client seat) is booked, then reports saddle numbness. Her booking reads "on hold" on the
care team's pages, on her own page and in FHIR; no new massage session can be booked until a
clinician's outcome and a new screening let the plan go on. A session note written while massage
is on hold needs a tick, a clinical reason and words; under an emergency it records no massage.
"""

import re

import pytest
from sqlalchemy import select

from sciatica_care.db.database import make_engine, session_factory, transaction
from sciatica_care.db.models import Appointment, AuditEntry, SessionNote
from tests.web.care_form_steps import count, new_client, newest_entry, post, problem
from tests.web.world import TODAY, World, day

BOOKED = day(2)


def _book(world: World, date: str, time: str = "") -> int:
    form = {"date": date, "time": time, "therapist": str(world.users["therapist"])}
    return post(world.browser("therapist"), f"/clients/{world.ada}/book", form).status_code


@pytest.fixture(scope="module")
def ada_booked_then_in_emergency(world: World) -> None:
    """A session booked with Ada screened clear, then saddle numbness at a screening."""
    api = world.api("therapist")
    clear = {"date": TODAY.isoformat(), "findings": [], "negatives": ["saddle_numbness"]}
    assert api.post(f"/api/v1/clients/{world.ada}/screenings", json=clear).status_code == 201
    assert _book(world, BOOKED, "10:00") == 303
    flag = {"date": TODAY.isoformat(), "findings": ["saddle_numbness"]}
    answer = api.post(f"/api/v1/clients/{world.ada}/screenings", json=flag)
    assert answer.json()["alert"]["level"] == "emergency"


def test_an_unscreened_client_can_be_booked_the_screening_starts_that_session(
    world: World,
) -> None:
    made = world.api("therapist").post("/api/v1/clients", json={"name": "Nell New"})
    client_id = made.json()["id"]
    form = {"date": day(3), "time": "11:00", "therapist": str(world.users["therapist"])}
    answer = post(world.browser("therapist"), f"/clients/{client_id}/book", form)
    assert answer.status_code == 303
    page = world.browser("therapist").http.get(f"/clients/{client_id}").text
    assert "on hold</strong>" not in page


@pytest.mark.usefixtures("ada_booked_then_in_emergency")
def test_the_booking_form_says_why_and_refuses_a_massage_booking(world: World) -> None:
    form = world.browser("therapist").http.get(f"/clients/{world.ada}/book")
    assert 'id="booking-held"' in form.text
    assert "no massage session can be booked" in form.text
    before = count(world, Appointment, world.ada)
    answer = post(
        world.browser("therapist"),
        f"/clients/{world.ada}/book",
        {"date": day(9), "time": "15:00", "therapist": str(world.users["therapist"])},
    )
    assert answer.status_code == 422
    assert "massage is on hold" in problem(answer, "date")
    assert 'value="15:00"' in answer.text  # what was typed comes back
    assert count(world, Appointment, world.ada) == before


@pytest.mark.usefixtures("ada_booked_then_in_emergency")
def test_the_earlier_booking_reads_on_hold_on_every_care_team_screen(world: World) -> None:
    therapist = world.browser("therapist").http
    client_page = therapist.get(f"/clients/{world.ada}").text
    booked = client_page[client_page.index('id="booked"') :]
    assert re.search(r"with [^<]+ <strong class=\"tag hold\">on hold</strong>", booked)
    assert "these sessions cannot go ahead as massage" in booked
    dashboard = therapist.get("/dashboard").text
    upcoming = dashboard[dashboard.index('id="upcoming-sessions"') :]
    assert 'Ada Lovelace</a> <strong class="tag hold">on hold</strong>' in upcoming
    listing = therapist.get("/clients?q=Ada").text
    assert '<strong class="tag hold">on hold</strong>' in listing


@pytest.mark.usefixtures("ada_booked_then_in_emergency")
def test_the_clients_own_pages_say_on_hold_and_never_booked(world: World) -> None:
    for path in ("/me", "/me/plan"):
        page = world.browser("client").http.get(path).text
        assert 'id="session-on-hold"' in page, path
        assert "<p>Booked.</p>" not in page, path
        assert "paused" not in page, path


@pytest.mark.usefixtures("ada_booked_then_in_emergency")
def test_fhir_carries_the_booking_as_pending_with_the_reason(world: World) -> None:
    bundle = world.api("therapist").get(f"/api/v1/clients/{world.ada}/fhir").json()
    appointments = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Appointment"
    ]
    assert appointments
    assert all(a["status"] == "pending" for a in appointments)
    assert all("on hold" in a["comment"] for a in appointments)


def _in_emergency(world: World, name: str) -> int:
    """A new client of Kim's who reports saddle numbness at a screening today."""
    client_id = new_client(world, name)
    flag = {"date": TODAY.isoformat(), "findings": ["saddle_numbness"]}
    api = world.api("therapist")
    assert api.post(f"/api/v1/clients/{client_id}/screenings", json=flag).status_code == 201
    return client_id


def _book_for(world: World, client_id: int, date: str) -> int:
    form = {"date": date, "time": "09:00", "therapist": str(world.users["therapist"])}
    return post(world.browser("therapist"), f"/clients/{client_id}/book", form).status_code


def test_booking_opens_again_only_after_an_outcome_and_a_new_screening(world: World) -> None:
    client_id = _in_emergency(world, "Otto Outcome")
    api = world.api("therapist")
    # A clear screening alone does not close the emergency: still no booking.
    clear = {"date": TODAY.isoformat(), "findings": [], "negatives": ["saddle_numbness"]}
    assert api.post(f"/api/v1/clients/{client_id}/screenings", json=clear).status_code == 201
    assert _book_for(world, client_id, day(20)) == 422
    outcome = {
        "date": TODAY.isoformat(),
        "finding": "saddle_numbness",
        "result": "excluded",
        "by": "Dr Ola Okafor",
        "role": "emergency physician",
        "note": "MRI normal; cauda equina excluded",
    }
    assert api.post(f"/api/v1/clients/{client_id}/outcomes", json=outcome).status_code == 201
    # The plan now waits for a screening after the outcome: that starts the next session.
    assert _book_for(world, client_id, day(20)) == 303


# ------------------------------------------------------------------ a session note on hold

HELD_NOTE = {
    "confirm_on_hold": "yes",
    "on_hold_reason": "no_massage",
    "on_hold_note": "Phoned: told to attend the emergency department now, not to drive",
    "subjective": "Numb when wiping since this morning",
}


def test_the_session_form_asks_why_first_and_offers_only_no_massage_under_an_emergency(
    world: World,
) -> None:
    client_id = _in_emergency(world, "Sam Saddle")
    page = world.browser("therapist").http.get(f"/clients/{client_id}/session").text
    form = page[page.index("<form") :]
    assert form.index('id="f-on_hold_reason"') < form.index('name="date"')
    assert re.findall(r'name="on_hold_reason" value="([a-z_]+)"', form) == ["no_massage"]
    assert 'name="techniques" value="swedish" checked' not in form


def test_a_note_on_hold_needs_the_tick_and_a_reason_and_no_massage_under_an_emergency(
    world: World,
) -> None:
    client_id = _in_emergency(world, "Tess Tick")
    browser = world.browser("therapist")
    path = f"/clients/{client_id}/session"
    before = count(world, SessionNote, client_id)
    unticked = post(browser, path, {**HELD_NOTE, "confirm_on_hold": ""})
    assert unticked.status_code == 422
    assert "tick to confirm" in problem(unticked, "confirm_on_hold")
    assert "Numb when wiping since this morning</textarea>" in unticked.text
    massage = post(browser, path, {**HELD_NOTE, "techniques": "swedish"})
    assert massage.status_code == 422
    assert "no massage while an emergency finding is open" in problem(massage, "techniques")
    wish = post(browser, path, {**HELD_NOTE, "on_hold_note": "client asked"})
    assert "the client&#39;s wish is not a clinical reason" in problem(wish, "on_hold_note")
    assert count(world, SessionNote, client_id) == before
    saved = post(browser, path, HELD_NOTE)
    assert saved.status_code == 303
    offer = browser.http.get(saved.headers["location"]).text
    assert "Recorded while massage was on hold: No massage was given" in offer
    note = newest_entry(world, "sessions", client_id)
    assert (note["on_hold_reason"], note["techniques"]) == ("no_massage", [])
    assert note["on_hold_note"] == HELD_NOTE["on_hold_note"]
    engine = make_engine(world.url, for_writing=False)
    with transaction(session_factory(engine)) as db:
        audited = db.scalars(
            select(AuditEntry).where(
                AuditEntry.client_id == client_id, AuditEntry.action == "session_on_hold"
            )
        ).all()
        assert [(a.entity_id, a.changes) for a in audited] == [
            (note["id"], {"reason": "no_massage", "triage": "emergency"})
        ]
    engine.dispose()


def test_the_api_takes_a_note_on_hold_only_with_its_reason(world: World) -> None:
    client_id = _in_emergency(world, "Una Api")
    api = world.api("therapist")
    path = f"/api/v1/clients/{client_id}/sessions"
    refused = api.post(path, json={"techniques": ["swedish"]})
    assert refused.status_code == 422
    problems = refused.json()["problems"]
    for field in ("on_hold_reason", "on_hold_note", "techniques"):
        assert any(p.startswith(f"{field}: ") for p in problems), (field, problems)
    body = {"on_hold_reason": "no_massage", "on_hold_note": "Sent to the emergency department"}
    made = api.post(path, json=body)
    assert made.status_code == 201, made.text
    assert made.json()["on_hold_reason"] == "no_massage"
    going = new_client(world, "Val Clear")
    clear = {"date": TODAY.isoformat(), "findings": []}
    assert api.post(f"/api/v1/clients/{going}/screenings", json=clear).status_code == 201
    stray = api.post(f"/api/v1/clients/{going}/sessions", json=body)
    assert stray.status_code == 422
    assert "massage was not on hold that day" in stray.text


def test_a_reason_or_its_code_without_an_override_is_refused_even_when_empty(world: World) -> None:
    api = world.api("therapist")
    for stray in ({"reason": ""}, {"reason_code": "results_in_range"}):
        answer = api.post(f"/api/v1/clients/{world.ada}/sessions", json=stray)
        assert answer.status_code == 422
        assert f"{next(iter(stray))}: only with an override" in answer.text
