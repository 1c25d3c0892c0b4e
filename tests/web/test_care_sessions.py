"""The care team's visit forms: the session note from the plan, then booking the next session."""

import re
from datetime import date, timedelta

from sqlalchemy import select

from sciatica_care.db.database import make_engine, session_factory, transaction
from sciatica_care.db.models import Appointment, Client, SessionNote
from sciatica_care.services.accounts import find_user
from sciatica_care.services.records import add_message
from tests.web.care_form_steps import count, new_client, newest_entry, post, problem, value
from tests.web.world import EMAILS, NOW, TODAY, World, day

# ------------------------------------------------------------------ session note


def _send_before_session_note(world: World, text: str) -> None:
    engine = make_engine(world.url)
    try:
        with transaction(session_factory(engine)) as db:
            client = db.get(Client, world.ada)
            assert client is not None
            sender = find_user(db, EMAILS["client"])
            add_message(
                db,
                client=client,
                sender=sender,
                body=text,
                kind="before_session",
                now=NOW,
            )
    finally:
        engine.dispose()


def test_the_session_note_starts_from_the_plan_and_the_clients_own_words(world: World) -> None:
    _send_before_session_note(world, "Left calf burning since Tuesday")
    plan = world.api("therapist").get(f"/api/v1/clients/{world.ada}/plan").json()["massage"]
    page = world.browser("therapist").http.get(f"/clients/{world.ada}/session")
    assert page.status_code == 200
    checked = set(re.findall(r'name="techniques" value="([a-z_]+)" checked', page.text))
    assert checked == set(plan["techniques"])
    assert f'name="pressure" value="{plan["max_pressure"]}" checked' in page.text
    assert set(re.findall(r'name="areas" value="([a-z_]+)" checked', page.text)) == set(
        plan["focus_areas"]
    )
    assert value(page, "minutes") == str(plan["session_minutes"])
    subjective = re.search(r'name="subjective"[^>]*>([^<]*)</textarea>', page.text)
    assert subjective
    assert "Left calf burning since Tuesday" in subjective.group(1)


def test_a_session_note_is_recorded_and_offers_to_book_the_next(world: World) -> None:
    browser = world.browser("therapist")
    form = {
        "techniques": ["swedish"],
        "areas": ["gluteals", "piriformis"],
        "pressure": "light",
        "minutes": "45",
        "pain_before": "5",
        "pain_after": "3",
        "subjective": "Calf eased",
        "plan": "Walk daily",
    }
    response = post(browser, f"/clients/{world.ada}/session", form)
    assert response.status_code == 303
    assert response.headers["location"].startswith(f"/clients/{world.ada}/book?session=")
    newest = newest_entry(world, "sessions")
    assert (newest["techniques"], newest["minutes"], newest["subjective"]) == (
        ["swedish"],
        45,
        "Calf eased",
    )
    offer = browser.http.get(response.headers["location"])
    assert "Session note saved" in offer.text
    assert "went beyond the plan" not in offer.text
    again = browser.http.get(f"/clients/{world.ada}/session")
    assert "Left calf burning" not in again.text  # the note went into the last session


def test_a_session_beyond_the_plan_is_recorded_with_a_warning(world: World) -> None:
    browser = world.browser("therapist")
    form = {"techniques": ["deep_tissue"], "pressure": "firm", "areas": ["hamstrings"]}
    response = post(browser, f"/clients/{world.ada}/session", form)
    assert response.status_code == 303
    assert newest_entry(world, "sessions")["techniques"] == ["deep_tissue"]
    offer = browser.http.get(response.headers["location"])
    assert "deep tissue is not in the plan" in offer.text
    assert "firm pressure is above the plan" in offer.text
    assert "<code>massage." in offer.text  # the rule the session went past is named


def test_an_override_without_a_reason_is_refused_and_keeps_the_note(world: World) -> None:
    before = count(world, SessionNote, world.ada)
    form = {"override": "anticoagulants", "reason": " ", "subjective": "Bruises easily"}
    response = post(world.browser("therapist"), f"/clients/{world.ada}/session", form)
    assert response.status_code == 422
    assert problem(response, "reason") == "say in words what the reason is"
    assert problem(response, "reason_code").startswith("needs a clinical reason, one of ")
    assert "Bruises easily</textarea>" in response.text
    assert 'value="anticoagulants" selected' in response.text
    assert count(world, SessionNote, world.ada) == before


def test_an_override_with_a_reason_is_recorded_beside_the_note(world: World) -> None:
    client = new_client(world, "Hal Thinner")
    browser = world.browser("therapist")
    assert post(browser, f"/clients/{client}/screening", {"findings": "anticoagulants"}).is_redirect
    page = browser.http.get(f"/clients/{client}/session")
    assert '<option value="anticoagulants"' in page.text
    form = {
        "techniques": "swedish",
        "pressure": "moderate",
        "override": "anticoagulants",
        "reason_code": "results_in_range",
        "reason": "INR checked today",
    }
    response = post(browser, f"/clients/{client}/session", form)
    assert response.status_code == 303
    offer = browser.http.get(response.headers["location"])
    assert "Reason: INR checked today" in offer.text
    assert "Recent test results are in the safe range" in offer.text
    assert "moderate pressure is above the plan" in offer.text


def test_an_override_for_the_clients_wish_alone_is_refused(world: World) -> None:
    form = {
        "techniques": "swedish",
        "override": "anticoagulants",
        "reason_code": "prescriber_confirmed",
        "reason": "Client asked.",
    }
    response = post(world.browser("therapist"), f"/clients/{world.ada}/session", form)
    assert response.status_code == 422
    assert problem(response, "reason") == "the client&#39;s wish is not a clinical reason"


# ------------------------------------------------------------------ booking


def test_booking_starts_at_the_plans_next_session(world: World) -> None:
    plan = world.api("therapist").get(f"/api/v1/clients/{world.ada}/plan").json()
    planned = plan["cadence"]["next_session"]
    expected = max(date.fromisoformat(planned), TODAY) if planned else TODAY + timedelta(7)
    page = world.browser("therapist").http.get(f"/clients/{world.ada}/book")
    assert page.status_code == 200
    assert value(page, "date") == expected.isoformat()


def test_a_booking_is_stored_with_the_therapist(world: World) -> None:
    before = count(world, Appointment, world.ada)
    form = {"date": day(3), "time": "14:30", "therapist": str(world.users["therapist"])}
    response = post(world.browser("admin"), f"/clients/{world.ada}/book", form)
    assert response.status_code == 303
    engine = make_engine(world.url, for_writing=False)
    with transaction(session_factory(engine)) as db:
        newest = db.scalars(
            select(Appointment).where(Appointment.client_id == world.ada).order_by(Appointment.id)
        ).all()[-1]
        booked = (newest.date.isoformat(), str(newest.start_time), newest.therapist_id)
    engine.dispose()
    assert booked == (day(3), "14:30:00", world.users["therapist"])
    assert count(world, Appointment, world.ada) == before + 1


def test_a_booking_in_the_past_is_refused_beside_the_date(world: World) -> None:
    form = {"date": day(-2), "time": "09:15", "note": "after work"}
    response = post(world.browser("therapist"), f"/clients/{world.ada}/book", form)
    assert response.status_code == 422
    assert "must not be in the past" in problem(response, "date")
    assert value(response, "time") == "09:15"
    assert "after work</textarea>" in response.text


def test_a_booking_that_overlaps_the_therapists_is_refused_beside_the_time(world: World) -> None:
    therapist = str(world.users["therapist"])
    first = {"date": day(12), "time": "07:00", "therapist": therapist}
    assert post(world.browser("therapist"), f"/clients/{world.ada}/book", first).status_code == 303
    before = count(world, Appointment, world.ada)
    again = {"date": day(12), "time": "07:30", "therapist": therapist, "note": "kept"}
    response = post(world.browser("therapist"), f"/clients/{world.ada}/book", again)
    assert response.status_code == 422
    assert "already has a session with" in problem(response, "time")
    assert f"from 07:00 to 08:00 on {day(12)}" in problem(response, "time")
    assert value(response, "time") == "07:30"
    assert "kept</textarea>" in response.text
    assert count(world, Appointment, world.ada) == before
    after = {"date": day(12), "time": "08:00", "therapist": therapist}
    assert post(world.browser("therapist"), f"/clients/{world.ada}/book", after).status_code == 303
