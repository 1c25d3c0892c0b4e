"""The FHIR R4 export: valid resources, the right codes and units, references that resolve.

The resources are checked with the `fhir.resources` R4B models: the package has no 4.0.1 (R4)
models, and R4B (4.3) is structurally the same as R4 for every resource type exported here.
"""

import uuid
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fhir.resources.R4B import get_fhir_model_class

from sciatica_care.engine import default_protocol
from sciatica_care.sharing.fhir import codes as fc
from sciatica_care.sharing.fhir.export import encode, fhir_bundle
from tests.unit.fhir_cases import BOOKING, bundle_for, cases, plan_for

CASES = cases()
IDS = [name for name, _, _ in CASES]


def _resources(bundle: dict[str, Any], kind: str | None = None) -> list[dict[str, Any]]:
    found = [entry["resource"] for entry in bundle["entry"]]
    return [r for r in found if kind is None or r["resourceType"] == kind]


def _example() -> dict[str, Any]:
    _, history, today = CASES[0]
    return bundle_for(history, today)  # type: ignore[no-any-return]


def _references(value: Any) -> list[str]:
    if isinstance(value, dict):
        own = [value["reference"]] if isinstance(value.get("reference"), str) else []
        return own + [r for item in value.values() for r in _references(item)]
    if isinstance(value, list):
        return [r for item in value for r in _references(item)]
    return []


@pytest.mark.parametrize(("name", "history", "today"), CASES, ids=IDS)
def test_every_exported_resource_is_valid_fhir(name: str, history: Any, today: Any) -> None:
    bundle = bundle_for(history, today)
    get_fhir_model_class("Bundle").model_validate(bundle)
    for resource in _resources(bundle):
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    assert bundle["type"] == "collection"


@pytest.mark.parametrize(("name", "history", "today"), CASES, ids=IDS)
def test_every_reference_resolves_inside_the_bundle(name: str, history: Any, today: Any) -> None:
    bundle = bundle_for(history, today)
    urls = [entry["fullUrl"] for entry in bundle["entry"]]
    assert len(set(urls)) == len(urls)
    references = _references(bundle)
    assert references
    assert set(references) <= set(urls)


def test_the_model_check_refuses_a_resource_that_is_not_fhir() -> None:
    patient = _resources(_example(), "Patient")[0]
    for wrong in ({"colour": "blue"}, {"birthDate": "last spring"}):
        with pytest.raises(ValueError, match=next(iter(wrong))):
            get_fhir_model_class("Patient").model_validate(patient | wrong)


def test_sciatica_is_a_snomed_condition() -> None:
    conditions = _resources(_example(), "Condition")
    codes = [fc.code_in(c["code"], fc.SNOMED) for c in conditions]
    assert codes.count("23056005") == 1


def test_each_leg_and_back_pain_reading_is_loinc_with_its_site_and_a_score_unit() -> None:
    readings = [
        r
        for r in _resources(_example(), "Observation")
        if fc.code_in(r["code"], fc.LOINC) == "72514-3" and "bodySite" in r
    ]
    sites = [r["bodySite"]["text"] for r in readings]
    # 3 assessments and the diary's check-ins, each with leg and back pain.
    assert sites.count("Leg") == sites.count("Lower back") > 3
    for reading in readings:
        assert reading["valueQuantity"] == fc.score(reading["valueQuantity"]["value"])
        assert reading["valueQuantity"]["code"] == "{score}"
        assert reading["valueQuantity"]["system"] == "http://unitsofmeasure.org"


def test_diary_readings_are_survey_observations() -> None:
    bundle = _example()
    panels = [r for r in _resources(bundle, "Observation") if fc.code_in(r["code"], fc.RECORD)]
    diary = [p for p in panels if fc.code_in(p["code"], fc.RECORD) == fc.DIARY]
    assert diary
    members = {m["reference"] for p in diary for m in p.get("hasMember", [])}
    by_url = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    categories = {by_url[m]["category"][0]["coding"][0]["code"] for m in members}
    assert categories == {"survey"}


def test_oswestry_and_start_back_scores_use_their_loinc_codes() -> None:
    observations = _resources(_example(), "Observation")
    by_code: dict[str | None, Any] = {}
    for observation in observations:  # the first of each: the first assessment's
        by_code.setdefault(fc.code_in(observation["code"], fc.LOINC), observation)
    odi = by_code["97909-6"]
    # First assessment: 3+2+2+3+2+2+1+2+3 = 20 of 9 sections answered, 44.4 %.
    assert odi["valueQuantity"] == fc.score(20)
    assert odi["component"][0]["valueQuantity"] == fc.quantity(44.4, "%")
    startback = by_code["91351-7"]
    assert startback["valueQuantity"]["code"] == "{score}"
    parts = {fc.code_in(c["code"], fc.LOINC): c for c in startback["component"]}
    assert (
        fc.code_in(parts["91352-5"]["valueCodeableConcept"], fc.LOINC) in fc.RISK_ANSWERS.values()
    )
    assert parts["91350-9"]["valueQuantity"]["code"] == "{score}"


def test_questionnaire_answers_are_item_numbers_and_integers_without_wording() -> None:
    responses = _resources(_example(), "QuestionnaireResponse")
    odi = [r for r in responses if r["questionnaire"] == fc.ODI_QUESTIONNAIRE]
    assert len(odi) == 3
    items = odi[0]["item"]
    assert [item["linkId"] for item in items] == [str(n) for n in range(1, 11)]
    assert "answer" not in items[7]  # section 8 was skipped
    assert items[0]["answer"] == [{"valueInteger": 3}]
    assert all(set(item) <= {"linkId", "answer"} for r in responses for item in r["item"])


def test_each_massage_session_is_a_procedure_with_techniques_areas_and_minutes() -> None:
    procedures = _resources(_example(), "Procedure")
    assert len(procedures) == 6
    first = procedures[0]
    extensions = {e["url"]: e for e in first["extension"]}
    assert extensions[fc.EXT_TECHNIQUE]["valueCoding"]["code"] == "swedish"
    assert extensions[fc.EXT_MINUTES]["valueDuration"] == fc.quantity(60, "min")
    assert [fc.code_in(b, fc.AREA) for b in first["bodySite"]] == ["gluteals", "piriformis"]


def test_every_care_plan_activity_carries_the_rule_ids_behind_it() -> None:
    _, history, today = CASES[0]
    plan = plan_for(history, today)
    (care_plan,) = _resources(bundle_for(history, today), "CarePlan")
    rules = [
        fc.code_in(reason, fc.RULE)
        for activity in care_plan["activity"]
        for reason in activity["detail"]["reasonCode"]
    ]
    assert all(activity["detail"]["reasonCode"] for activity in care_plan["activity"])
    assert plan.triage.rule in rules
    assert plan.cadence.rule in rules
    assert {c.rule for c in plan.complementary} <= set(rules)
    assert {r.rule for r in plan.massage.reasons} <= set(rules)


@pytest.mark.parametrize(("name", "history", "today"), CASES, ids=IDS)
def test_a_referral_is_made_exactly_when_triage_asks_for_a_doctor(
    name: str, history: Any, today: Any
) -> None:
    level = plan_for(history, today).triage.level
    referrals = _resources(bundle_for(history, today), "ServiceRequest")
    assert len(referrals) == (level in ("see_doctor", "urgent", "emergency"))
    if referrals:
        priority = {"see_doctor": "routine", "urgent": "urgent", "emergency": "stat"}
        assert referrals[0]["priority"] == priority[level]


def test_the_emergency_scenario_asks_for_an_immediate_review() -> None:
    _, history, today = next(c for c in CASES if c[0].startswith("02-"))
    (referral,) = _resources(bundle_for(history, today), "ServiceRequest")
    assert referral["priority"] == "stat"
    assert "saddle_numbness" in [fc.code_in(r, fc.FINDING) for r in referral["reasonCode"]]


def test_a_booking_with_a_time_in_the_clinics_zone_is_booked_with_start_and_end() -> None:
    _, history, today = CASES[0]
    bundle = fhir_bundle(
        key="client-1",
        name="Ada Lovelace",
        history=history,
        plan=plan_for(history, today),
        booking=BOOKING,
        protocol=default_protocol(),
        zone=ZoneInfo("Europe/London"),
    )
    (appointment,) = _resources(bundle, "Appointment")
    assert appointment["status"] == "booked"
    assert appointment["start"] == "2026-03-09T10:30:00+00:00"
    assert appointment["end"] > appointment["start"]
    assert "requestedPeriod" not in appointment


def test_a_booking_without_a_zone_is_a_proposed_day_and_none_without_a_booking() -> None:
    _, history, today = CASES[0]
    (appointment,) = _resources(bundle_for(history, today), "Appointment")
    assert appointment["status"] == "proposed"
    assert "start" not in appointment
    assert appointment["requestedPeriod"] == [{"start": "2026-03-09", "end": "2026-03-09"}]
    assert "10:30" in appointment["description"]
    assert _resources(bundle_for(history, today, booking=None), "Appointment") == []


def test_provenance_names_the_protocol_and_its_version() -> None:
    _, history, today = CASES[0]
    plan = plan_for(history, today)
    (provenance,) = _resources(bundle_for(history, today), "Provenance")
    protocol = f"{plan.protocol.id}/{plan.protocol.version}"
    assert provenance["policy"] == [f"{fc.PROTOCOL_POLICY}/{protocol}"]
    assert plan.protocol.version in provenance["agent"][0]["who"]["display"]
    (care_plan,) = _resources(bundle_for(history, today), "CarePlan")
    assert f"urn:uuid:{care_plan['id']}" in [t["reference"] for t in provenance["target"]]


def test_the_export_is_stable_and_its_ids_are_uuid5_urns() -> None:
    _, history, today = CASES[0]
    assert encode(bundle_for(history, today)) == encode(bundle_for(history, today))
    for entry in _example()["entry"]:
        made = uuid.UUID(entry["fullUrl"].removeprefix("urn:uuid:"))
        assert made.version == 5
        assert entry["resource"]["id"] == str(made)


def test_a_booking_while_massage_is_on_hold_says_so_and_what_to_do_instead() -> None:
    held = next(c for c in CASES if c[0].startswith("02-saddle-numbness"))
    _, history, today = held
    plan = plan_for(history, today)
    assert plan.massage.status == "on_hold"
    (appointment,) = _resources(bundle_for(history, today), "Appointment")
    assert appointment["status"] == "proposed"
    assert appointment["comment"] == f"Massage is on hold in the current plan. {plan.triage.action}"
    get_fhir_model_class("Appointment").model_validate(appointment)
    _, usual, on = CASES[0]
    assert plan_for(usual, on).massage.status != "on_hold"
    (ordinary,) = _resources(bundle_for(usual, on), "Appointment")
    assert "comment" not in ordinary
