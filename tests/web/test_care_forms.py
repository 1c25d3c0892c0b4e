"""The care team's forms: each saves its record, refuses bad input by field, red flags first."""

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from httpx2 import Response
from sqlalchemy import func, select

from sciatica_care.db.database import make_engine, session_factory, transaction
from sciatica_care.db.models import Appointment, Client, Screening, SessionNote
from sciatica_care.services.accounts import find_user
from sciatica_care.services.records import add_message
from tests.web.world import EMAILS, TODAY, Browser, World, day

SADDLE_ACTION = "Numbness around the genitals, bottom or inner thighs"


def _newest(world: World, kind: str, client_id: int | None = None) -> dict[str, Any]:
    """The client's newest entry of a kind, read back through the API."""
    found = world.api("admin").get(f"/api/v1/clients/{client_id or world.ada}/{kind}?limit=1")
    assert found.status_code == 200
    items: list[dict[str, Any]] = found.json()["items"]
    assert items, f"no {kind} stored"
    return items[0]


def _count(world: World, table: Any, client_id: int) -> int:
    engine = make_engine(world.url, for_writing=False)
    try:
        with transaction(session_factory(engine)) as db:
            query = select(func.count()).select_from(table).where(table.client_id == client_id)
            return db.scalar(query) or 0
    finally:
        engine.dispose()


def _new_client(world: World, name: str) -> int:
    """A client of the therapist's own, so red flags raised in a test touch no one else."""
    made = world.api("therapist").post("/api/v1/clients", json={"name": name})
    assert made.status_code == 201
    client_id: int = made.json()["id"]
    return client_id


def _post(browser: Browser, url: str, data: dict[str, Any] | None = None) -> Response:
    """A form post with its CSRF token; a redirect is returned, not followed."""
    response: Response = browser.post(url, data or {}, follow_redirects=False)
    return response


def _problem(response: Response, field: str) -> str:
    """The problem shown next to a field, or empty."""
    found = re.search(rf'id="e-{field}"><strong>Problem:</strong> ([^<]*)</p>', response.text)
    return found.group(1) if found else ""


def _value(response: Response, name: str) -> str:
    found = re.search(rf'name="{name}" type="[a-z]+" value="([^"]*)"', response.text)
    assert found, f"no input {name}"
    return found.group(1)


# ------------------------------------------------------------------ new client


def test_a_therapist_who_adds_a_client_becomes_their_therapist(world: World) -> None:
    browser = world.browser("therapist")
    form = {"name": "Dora Maar", "birth_year": "1971", "email": "dora@example.org"}
    response = _post(browser, "/clients/new", {**form, "consent_to_share": "yes"})
    assert response.status_code == 303
    client_id = int(response.headers["location"].removeprefix("/clients/"))
    stored = world.api("therapist").get(f"/api/v1/clients/{client_id}").json()
    assert (stored["name"], stored["birth_year"], stored["consent_to_share"]) == (
        "Dora Maar",
        1971,
        True,
    )
    assert world.api("other_therapist").get(f"/api/v1/clients/{client_id}").status_code == 404


def test_a_new_client_without_a_name_is_refused_and_keeps_what_was_typed(world: World) -> None:
    browser = world.browser("admin")
    response = _post(browser, "/clients/new", {"name": " ", "birth_year": "19x0", "sex": "female"})
    assert response.status_code == 422
    assert _problem(response, "name") == "must not be empty"
    assert "must be a year" in _problem(response, "birth_year")
    assert _value(response, "birth_year") == "19x0"
    assert _value(response, "sex") == "female"


# ------------------------------------------------------------------ screening


def test_the_screening_asks_the_emergency_signs_first_in_plain_words(world: World) -> None:
    page = world.browser("therapist").http.get(f"/clients/{world.ada}/screening")
    assert page.status_code == 200
    emergency = page.text.index("Is the leg pain, numbness or weakness now in both legs?")
    precaution = page.text.index("Does the client take blood thinners?")
    assert page.text.index("Emergency signs") < emergency < precaution
    assert re.search(r'<section id="emergency-now"[^>]*role="alert"[^>]* hidden>', page.text)
    assert "screening.js" in page.text


def test_an_empty_screening_is_not_taken_as_all_clear(world: World) -> None:
    before = _count(world, Screening, world.ada)
    response = _post(world.browser("therapist"), f"/clients/{world.ada}/screening", {"note": "hm"})
    assert response.status_code == 422
    assert "none of these" in _problem(response, "findings")
    assert "hm</textarea>" in response.text
    assert _count(world, Screening, world.ada) == before


def test_none_of_these_and_a_sign_together_are_refused(world: World) -> None:
    form = {"findings": "diabetes", "none": "yes"}
    response = _post(world.browser("therapist"), f"/clients/{world.ada}/screening", form)
    assert response.status_code == 422
    assert "untick one" in _problem(response, "none")
    assert re.search(r'value="diabetes" data-level="modify" checked', response.text)


def test_none_of_these_records_a_screening_without_findings(world: World) -> None:
    response = _post(world.browser("therapist"), f"/clients/{world.ada}/screening", {"none": "yes"})
    assert response.status_code == 303
    assert response.headers["location"] == f"/clients/{world.ada}"
    newest = _newest(world, "screenings")
    assert (newest["date"], newest["findings"]) == (TODAY.isoformat(), [])


def test_an_emergency_answer_is_recorded_and_answered_with_the_emergency_message(
    world: World,
) -> None:
    client = _new_client(world, "Eve Saddle")
    form = {"findings": ["saddle_numbness", "diabetes"]}
    response = _post(world.browser("therapist"), f"/clients/{client}/screening", form)
    assert response.status_code == 200
    alert = response.text.index('role="alert"')
    assert alert < response.text.index(SADDLE_ACTION) < response.text.index("was saved")
    assert "Go to emergency care now." in response.text
    assert _newest(world, "screenings", client)["findings"] == ["saddle_numbness", "diabetes"]


def test_a_refused_screening_with_an_emergency_sign_still_shows_the_message(
    world: World,
) -> None:
    form = {"findings": "bladder_change", "none": "yes"}
    response = _post(world.browser("therapist"), f"/clients/{world.ada}/screening", form)
    assert response.status_code == 422
    shown = re.search(r'<section id="emergency-now"[^>]*>', response.text)
    assert shown
    assert "hidden" not in shown.group(0)


def test_a_finding_keeps_the_regions_where_it_applies(world: World) -> None:
    client = _new_client(world, "Finn Scar")
    form = {"findings": "recent_surgery", "regions_recent_surgery": ["lower_back"]}
    response = _post(world.browser("therapist"), f"/clients/{client}/screening", form)
    assert response.status_code == 303
    findings = _newest(world, "screenings", client)["findings"]
    assert findings == [{"code": "recent_surgery", "regions": ["lower_back"]}]


# ------------------------------------------------------------------ clearance


def test_a_physicians_clearance_is_recorded(world: World) -> None:
    form = {"finding": "pregnancy", "by": "Dr Rao", "date": TODAY.isoformat(), "note": "fine"}
    response = _post(world.browser("therapist"), f"/clients/{world.ada}/clearance", form)
    assert response.status_code == 303
    newest = _newest(world, "clearances")
    assert (newest["finding"], newest["by"], newest["note"]) == ("pregnancy", "Dr Rao", "fine")


def test_a_clearance_names_its_finding_and_who_gave_it(world: World) -> None:
    form = {"note": "kept", "date": day(1)}
    response = _post(world.browser("therapist"), f"/clients/{world.ada}/clearance", form)
    assert response.status_code == 422
    assert _problem(response, "finding")
    assert _problem(response, "by")
    assert "kept</textarea>" in response.text


# ------------------------------------------------------------------ assessment


def test_the_assessment_shows_questionnaires_by_section_number_and_topic(world: World) -> None:
    page = world.browser("therapist").http.get(f"/clients/{world.ada}/assessment")
    assert page.status_code == 200
    assert "Section 1: pain intensity" in page.text
    assert "Section 10: travelling" in page.text
    assert "Item 9: how bothersome overall" in page.text
    assert "painkillers" not in page.text.lower()
    assert 'role="checkbox"' in page.text  # the clickable map, enhanced by body_map.js
    assert 'name="regions_tingling" value="heel_right"' in page.text  # and the list without JS


def test_an_assessment_stores_scores_and_the_checkbox_body_map(world: World) -> None:
    form = {
        "leg_pain": "5",
        "back_pain": "2",
        "odi_1": "3",
        "odi_2": "",
        "odi_10": "5",
        "regions_pain": ["buttock_left", "posterior_thigh_left"],
        "regions_numbness": ["lateral_calf_left"],
        "map_layer": "pain",
    }
    response = _post(world.browser("therapist"), f"/clients/{world.ada}/assessment", form)
    assert response.status_code == 303
    newest = _newest(world, "assessments")
    assert (newest["leg_pain"], newest["back_pain"]) == (5, 2)
    assert newest["odi"] == [3, None, None, None, None, None, None, None, None, 5]
    assert newest["startback"] is None
    assert newest["regions"] == {
        "pain": ["buttock_left", "posterior_thigh_left"],
        "numbness": ["lateral_calf_left"],
    }


def test_marks_in_the_saddle_area_answer_with_the_emergency_message(world: World) -> None:
    client = _new_client(world, "Gus Saddle")
    form = {"leg_pain": "6", "regions_numbness": ["saddle"]}
    response = _post(world.browser("therapist"), f"/clients/{client}/assessment", form)
    assert response.status_code == 200
    assert response.text.index('role="alert"') < response.text.index(SADDLE_ACTION)
    assert _newest(world, "assessments", client)["regions"] == {"numbness": ["saddle"]}


def test_half_a_start_back_is_refused_item_by_item_and_keeps_the_answers(world: World) -> None:
    form = {"startback_1": "1", "startback_2": "0", "odi_4": "2", "leg_pain": "11"}
    response = _post(world.browser("therapist"), f"/clients/{world.ada}/assessment", form)
    assert response.status_code == 422
    assert "answer every item" in _problem(response, "startback_3")
    assert not _problem(response, "startback_1")
    assert 'name="odi_4" value="2" checked' in response.text
    assert 'name="startback_1" value="1" checked' in response.text


def test_a_pain_score_out_of_range_is_shown_next_to_its_field(world: World) -> None:
    form = {"leg_pain": "11", "regions_pain": ["lower_back"]}
    response = _post(world.browser("therapist"), f"/clients/{world.ada}/assessment", form)
    assert response.status_code == 422
    assert "0..10" in _problem(response, "leg_pain")
    assert 'value="lower_back" data-layer="pain" checked' in response.text


def test_an_oswestry_score_out_of_range_is_shown_next_to_its_section(world: World) -> None:
    response = _post(world.browser("therapist"), f"/clients/{world.ada}/assessment", {"odi_3": "9"})
    assert response.status_code == 422
    assert "0..5" in _problem(response, "odi_3")
    assert '<a href="#f-odi_3">Oswestry section 3:' in response.text


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
                now=datetime.now(UTC),
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
    assert _value(page, "minutes") == str(plan["session_minutes"])
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
    response = _post(browser, f"/clients/{world.ada}/session", form)
    assert response.status_code == 303
    assert response.headers["location"].startswith(f"/clients/{world.ada}/book?session=")
    newest = _newest(world, "sessions")
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
    response = _post(browser, f"/clients/{world.ada}/session", form)
    assert response.status_code == 303
    assert _newest(world, "sessions")["techniques"] == ["deep_tissue"]
    offer = browser.http.get(response.headers["location"])
    assert "deep tissue is not in the plan" in offer.text
    assert "firm pressure is above the plan" in offer.text


def test_an_override_without_a_reason_is_refused_and_keeps_the_note(world: World) -> None:
    before = _count(world, SessionNote, world.ada)
    form = {"override": "anticoagulants", "reason": " ", "subjective": "Bruises easily"}
    response = _post(world.browser("therapist"), f"/clients/{world.ada}/session", form)
    assert response.status_code == 422
    assert _problem(response, "reason") == "an override needs a reason"
    assert "Bruises easily</textarea>" in response.text
    assert 'value="anticoagulants" selected' in response.text
    assert _count(world, SessionNote, world.ada) == before


def test_an_override_with_a_reason_is_recorded_beside_the_note(world: World) -> None:
    client = _new_client(world, "Hal Thinner")
    browser = world.browser("therapist")
    assert _post(
        browser, f"/clients/{client}/screening", {"findings": "anticoagulants"}
    ).is_redirect
    page = browser.http.get(f"/clients/{client}/session")
    assert '<option value="anticoagulants"' in page.text
    form = {
        "techniques": "swedish",
        "pressure": "moderate",
        "override": "anticoagulants",
        "reason": "INR checked today",
    }
    response = _post(browser, f"/clients/{client}/session", form)
    assert response.status_code == 303
    offer = browser.http.get(response.headers["location"])
    assert "Reason: INR checked today" in offer.text
    assert "moderate pressure is above the plan" in offer.text


# ------------------------------------------------------------------ booking


def test_booking_starts_at_the_plans_next_session(world: World) -> None:
    plan = world.api("therapist").get(f"/api/v1/clients/{world.ada}/plan").json()
    planned = plan["cadence"]["next_session"]
    expected = max(date.fromisoformat(planned), TODAY) if planned else TODAY + timedelta(7)
    page = world.browser("therapist").http.get(f"/clients/{world.ada}/book")
    assert page.status_code == 200
    assert _value(page, "date") == expected.isoformat()


def test_a_booking_is_stored_with_the_therapist(world: World) -> None:
    before = _count(world, Appointment, world.ada)
    form = {"date": day(3), "time": "14:30", "therapist": str(world.users["therapist"])}
    response = _post(world.browser("admin"), f"/clients/{world.ada}/book", form)
    assert response.status_code == 303
    engine = make_engine(world.url, for_writing=False)
    with transaction(session_factory(engine)) as db:
        newest = db.scalars(
            select(Appointment).where(Appointment.client_id == world.ada).order_by(Appointment.id)
        ).all()[-1]
        booked = (newest.date.isoformat(), str(newest.start_time), newest.therapist_id)
    engine.dispose()
    assert booked == (day(3), "14:30:00", world.users["therapist"])
    assert _count(world, Appointment, world.ada) == before + 1


def test_a_booking_in_the_past_is_refused_beside_the_date(world: World) -> None:
    form = {"date": day(-2), "time": "09:15", "note": "after work"}
    response = _post(world.browser("therapist"), f"/clients/{world.ada}/book", form)
    assert response.status_code == 422
    assert "must not be in the past" in _problem(response, "date")
    assert _value(response, "time") == "09:15"
    assert "after work</textarea>" in response.text


# ------------------------------------------------------------------ who may


def test_bens_therapist_cannot_post_to_ada(world: World) -> None:
    before = _count(world, Screening, world.ada)
    browser = world.browser("other_therapist")
    response = _post(browser, f"/clients/{world.ada}/screening", {"none": "yes"})
    assert response.status_code == 404
    assert _post(browser, f"/clients/{world.ada}/session", {"minutes": "30"}).status_code == 404
    assert _count(world, Screening, world.ada) == before


def test_a_client_account_may_not_use_the_care_forms_on_her_own_record(world: World) -> None:
    ada = world.browser("client")
    for slug in ("screening", "clearance", "assessment", "session", "book"):
        assert ada.http.get(f"/clients/{world.ada}/{slug}").status_code == 403
    assert _post(ada, f"/clients/{world.ada}/screening", {"none": "yes"}).status_code == 403
    assert _post(ada, "/clients/new", {"name": "Me Again"}).status_code == 403
    ben = world.browser("other_client")
    assert ben.http.get(f"/clients/{world.ada}/assessment").status_code == 404


def test_a_form_without_its_csrf_token_is_refused(world: World) -> None:
    before = _count(world, Screening, world.ada)
    browser = world.browser("therapist")
    response = browser.http.post(f"/clients/{world.ada}/screening", data={"none": "yes"})
    assert response.status_code == 403
    assert _count(world, Screening, world.ada) == before
