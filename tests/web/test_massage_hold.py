"""Massage cannot slip past a hold: no booking while a finding holds it; earlier bookings on hold.

Ada (the client seat) is booked, then reports saddle numbness. Her booking reads "on hold" on the
care team's pages, on her own page and in FHIR; no new massage session can be booked until a
clinician's outcome and a new screening let the plan go on.
"""

import re

import pytest

from sciatica_care.db.models import Appointment
from tests.web.care_form_steps import count, post, problem
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


@pytest.mark.usefixtures("ada_booked_then_in_emergency")
def test_booking_opens_again_only_after_an_outcome_and_a_new_screening(world: World) -> None:
    api = world.api("therapist")
    # A clear screening alone does not close the emergency: still no booking.
    clear = {"date": TODAY.isoformat(), "findings": [], "negatives": ["saddle_numbness"]}
    assert api.post(f"/api/v1/clients/{world.ada}/screenings", json=clear).status_code == 201
    assert _book(world, day(20), "09:00") == 422
    outcome = {
        "date": TODAY.isoformat(),
        "finding": "saddle_numbness",
        "result": "excluded",
        "by": "Dr Ola Okafor",
        "role": "emergency physician",
        "note": "MRI normal; cauda equina excluded",
    }
    assert api.post(f"/api/v1/clients/{world.ada}/outcomes", json=outcome).status_code == 201
    # The plan now waits for a screening after the outcome: that starts the next session.
    assert _book(world, day(20), "09:00") == 303
