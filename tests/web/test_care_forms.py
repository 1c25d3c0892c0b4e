"""The care team's intake forms: each saves its record, refuses bad input by field, red flags first.

A red flag is saved and answered with a redirect to the client's page, which shows it first.
"""

import re

from sciatica_care.db.models import Screening
from tests.web.care_form_steps import (
    count,
    first_alert,
    new_client,
    newest_entry,
    post,
    problem,
    total,
    value,
)
from tests.web.world import TODAY, World, day

SADDLE_ACTION = "Numbness around the genitals, bottom or inner thighs"


# ------------------------------------------------------------------ new client


def test_a_therapist_who_adds_a_client_becomes_their_therapist(world: World) -> None:
    browser = world.browser("therapist")
    form = {"name": "Dora Maar", "birth_year": "1971", "email": "dora@example.org"}
    response = post(browser, "/clients/new", {**form, "consent_to_share": "yes"})
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
    response = post(browser, "/clients/new", {"name": " ", "birth_year": "19x0", "sex": "female"})
    assert response.status_code == 422
    assert problem(response, "name") == "must not be empty"
    assert "must be a year" in problem(response, "birth_year")
    assert value(response, "birth_year") == "19x0"
    assert value(response, "sex") == "female"


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
    before = count(world, Screening, world.ada)
    response = post(world.browser("therapist"), f"/clients/{world.ada}/screening", {"note": "hm"})
    assert response.status_code == 422
    assert "none of these" in problem(response, "findings")
    assert "hm</textarea>" in response.text
    assert count(world, Screening, world.ada) == before


def test_none_of_these_and_a_sign_together_are_refused(world: World) -> None:
    form = {"findings": "diabetes", "none": "yes"}
    response = post(world.browser("therapist"), f"/clients/{world.ada}/screening", form)
    assert response.status_code == 422
    assert "untick one" in problem(response, "none")
    assert re.search(r'value="diabetes" data-level="modify" checked', response.text)


def test_none_of_these_records_a_screening_without_findings(world: World) -> None:
    response = post(world.browser("therapist"), f"/clients/{world.ada}/screening", {"none": "yes"})
    assert response.status_code == 303
    assert response.headers["location"] == f"/clients/{world.ada}"
    newest = newest_entry(world, "screenings")
    assert (newest["date"], newest["findings"]) == (TODAY.isoformat(), [])


def test_an_emergency_answer_is_saved_then_shown_first_on_the_clients_page(
    world: World,
) -> None:
    client = new_client(world, "Eve Saddle")
    browser = world.browser("therapist")
    form = {"findings": ["saddle_numbness", "diabetes"]}
    response = post(browser, f"/clients/{client}/screening", form)
    assert response.status_code == 303
    assert response.headers["location"] == f"/clients/{client}?alert=emergency"
    assert newest_entry(world, "screenings", client)["findings"] == ["saddle_numbness", "diabetes"]
    page = browser.http.get(response.headers["location"])
    alert = first_alert(page)
    assert "Just recorded" in alert
    assert "autofocus" in alert
    assert SADDLE_ACTION in alert
    assert "call 999 or go to the emergency department now; do not drive yourself" in alert
    assert "What to do now:" in alert


def test_reloading_the_page_after_an_emergency_answer_saves_nothing_again(world: World) -> None:
    client = new_client(world, "Ivy Bladder")
    browser = world.browser("therapist")
    response = post(browser, f"/clients/{client}/screening", {"findings": "bladder_change"})
    assert response.status_code == 303
    saved = total(world, "screenings", client)
    for _ in range(2):
        assert "Just recorded" in first_alert(browser.http.get(response.headers["location"]))
    assert total(world, "screenings", client) == saved == 1


def test_an_urgent_answer_is_shown_first_as_urgent(world: World) -> None:
    client = new_client(world, "Jon Clot")
    browser = world.browser("therapist")
    response = post(browser, f"/clients/{client}/screening", {"findings": "suspected_dvt"})
    assert response.headers["location"] == f"/clients/{client}?alert=urgent"
    alert = first_alert(browser.http.get(response.headers["location"]))
    assert "Urgent: no massage" in alert
    assert "Just recorded" in alert
    assert "never massage the leg" in alert


def test_an_alert_link_cannot_show_an_emergency_the_records_do_not_hold(world: World) -> None:
    page = world.browser("therapist").http.get(f"/clients/{world.ada}?alert=emergency")
    assert page.status_code == 200
    assert 'aria-labelledby="alarm"' not in page.text
    assert "Just recorded" not in page.text


def test_a_real_emergency_is_shown_without_the_link_but_not_as_just_recorded(
    world: World,
) -> None:
    client = new_client(world, "Kit Bowel")
    browser = world.browser("therapist")
    assert post(browser, f"/clients/{client}/screening", {"findings": "bowel_change"}).is_redirect
    for url in (f"/clients/{client}", f"/clients/{client}?alert=clear"):
        alert = first_alert(browser.http.get(url))
        assert "Emergency: no massage" in alert
        assert "Just recorded" not in alert
        assert "autofocus" not in alert


def test_a_refused_screening_with_an_emergency_sign_still_shows_the_message(
    world: World,
) -> None:
    form = {"findings": "bladder_change", "none": "yes"}
    response = post(world.browser("therapist"), f"/clients/{world.ada}/screening", form)
    assert response.status_code == 422
    shown = re.search(r'<section id="emergency-now"[^>]*>', response.text)
    assert shown
    assert "hidden" not in shown.group(0)


def test_a_finding_keeps_the_regions_where_it_applies(world: World) -> None:
    client = new_client(world, "Finn Scar")
    form = {"findings": "recent_surgery", "regions_recent_surgery": ["lower_back"]}
    response = post(world.browser("therapist"), f"/clients/{client}/screening", form)
    assert response.status_code == 303
    findings = newest_entry(world, "screenings", client)["findings"]
    assert findings == [{"code": "recent_surgery", "regions": ["lower_back"]}]


# ------------------------------------------------------------------ clearance


def test_a_physicians_clearance_is_recorded(world: World) -> None:
    form = {
        "finding": "pregnancy",
        "by": "Dr Rao",
        "role": "midwife",
        "date": TODAY.isoformat(),
        "note": "fine",
    }
    response = post(world.browser("therapist"), f"/clients/{world.ada}/clearance", form)
    assert response.status_code == 303
    newest = newest_entry(world, "clearances")
    recorded = (newest["finding"], newest["by"], newest["role"], newest["note"])
    assert recorded == ("pregnancy", "Dr Rao", "midwife", "fine")


def test_a_clearance_names_its_finding_and_who_gave_it(world: World) -> None:
    form = {"note": "kept", "date": day(1)}
    response = post(world.browser("therapist"), f"/clients/{world.ada}/clearance", form)
    assert response.status_code == 422
    assert problem(response, "finding")
    assert problem(response, "by")
    assert problem(response, "role")
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
    response = post(world.browser("therapist"), f"/clients/{world.ada}/assessment", form)
    assert response.status_code == 303
    newest = newest_entry(world, "assessments")
    assert (newest["leg_pain"], newest["back_pain"]) == (5, 2)
    assert newest["odi"] == [3, None, None, None, None, None, None, None, None, 5]
    assert newest["startback"] is None
    assert newest["regions"] == {
        "pain": ["buttock_left", "posterior_thigh_left"],
        "numbness": ["lateral_calf_left"],
    }


def test_marks_in_the_saddle_area_are_saved_then_shown_first_as_an_emergency(
    world: World,
) -> None:
    client = new_client(world, "Gus Saddle")
    browser = world.browser("therapist")
    form = {"leg_pain": "6", "regions_numbness": ["saddle"]}
    response = post(browser, f"/clients/{client}/assessment", form)
    assert response.status_code == 303
    assert response.headers["location"] == f"/clients/{client}?alert=emergency"
    assert newest_entry(world, "assessments", client)["regions"] == {"numbness": ["saddle"]}
    saved = total(world, "assessments", client)
    alert = first_alert(browser.http.get(response.headers["location"]))
    assert SADDLE_ACTION in alert
    assert "Just recorded" in alert
    browser.http.get(response.headers["location"])
    assert total(world, "assessments", client) == saved == 1


def test_half_a_start_back_is_refused_item_by_item_and_keeps_the_answers(world: World) -> None:
    form = {"startback_1": "1", "startback_2": "0", "odi_4": "2", "leg_pain": "11"}
    response = post(world.browser("therapist"), f"/clients/{world.ada}/assessment", form)
    assert response.status_code == 422
    assert "answer every item" in problem(response, "startback_3")
    assert not problem(response, "startback_1")
    assert 'name="odi_4" value="2" checked' in response.text
    assert 'name="startback_1" value="1" checked' in response.text


def test_a_pain_score_out_of_range_is_shown_next_to_its_field(world: World) -> None:
    form = {"leg_pain": "11", "regions_pain": ["lower_back"]}
    response = post(world.browser("therapist"), f"/clients/{world.ada}/assessment", form)
    assert response.status_code == 422
    assert "0..10" in problem(response, "leg_pain")
    assert 'value="lower_back" data-layer="pain" checked' in response.text


def test_an_oswestry_score_out_of_range_is_shown_next_to_its_section(world: World) -> None:
    response = post(world.browser("therapist"), f"/clients/{world.ada}/assessment", {"odi_3": "9"})
    assert response.status_code == 422
    assert "0..5" in problem(response, "odi_3")
    assert '<a href="#f-odi_3">Oswestry section 3:' in response.text


# ------------------------------------------------------------------ who may


def test_bens_therapist_cannot_post_to_ada(world: World) -> None:
    before = count(world, Screening, world.ada)
    browser = world.browser("other_therapist")
    response = post(browser, f"/clients/{world.ada}/screening", {"none": "yes"})
    assert response.status_code == 404
    assert post(browser, f"/clients/{world.ada}/session", {"minutes": "30"}).status_code == 404
    assert count(world, Screening, world.ada) == before


def test_a_client_account_may_not_use_the_care_forms_on_her_own_record(world: World) -> None:
    ada = world.browser("client")
    for slug in ("screening", "clearance", "assessment", "session", "book"):
        assert ada.http.get(f"/clients/{world.ada}/{slug}").status_code == 403
    assert post(ada, f"/clients/{world.ada}/screening", {"none": "yes"}).status_code == 403
    assert post(ada, "/clients/new", {"name": "Me Again"}).status_code == 403
    ben = world.browser("other_client")
    assert ben.http.get(f"/clients/{world.ada}/assessment").status_code == 404


def test_a_form_without_its_csrf_token_is_refused(world: World) -> None:
    before = count(world, Screening, world.ada)
    browser = world.browser("therapist")
    response = browser.http.post(f"/clients/{world.ada}/screening", data={"none": "yes"})
    assert response.status_code == 403
    assert count(world, Screening, world.ada) == before


def test_a_clearance_by_more_than_a_name_is_refused_at_its_field(world: World) -> None:
    form = {"finding": "diabetes", "by": "Dr " * 100, "role": "GP"}
    response = post(world.browser("therapist"), f"/clients/{world.ada}/clearance", form)
    assert response.status_code == 422
    assert "at most 200 characters" in problem(response, "by")
