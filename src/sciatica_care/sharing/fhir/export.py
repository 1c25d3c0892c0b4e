"""A client's records and current plan as a FHIR R4 (4.0.1) Bundle of type collection.

The records map to resources that `fhir_import` reads back into the same history@1 records:
a screening is an Observation whose findings are Conditions pointing at it (`evidence.detail`);
an assessment or a diary check-in is a panel Observation whose `hasMember` lists its pain
readings (LOINC 72514-3, leg or lower back as `bodySite`), questionnaire answers
(QuestionnaireResponse, by item number) and body-map marks; a session is a Procedure with its
pain before and after as Observations `partOf` it. The plan, a referral, the next booking and the
Provenance are derived: the importer recomputes them. Ids are uuid5 of the client and the record's
place, so the same records give the same bytes.
"""

from datetime import date, tzinfo
from typing import Any

import msgspec
from sqlalchemy.orm import Session

from sciatica_care.db import models
from sciatica_care.domain.codes import LAYERS
from sciatica_care.domain.history_checks import usable_date
from sciatica_care.domain.instruments import odi_percent, startback_risk
from sciatica_care.domain.plan import CarePlan
from sciatica_care.domain.protocol import Protocol
from sciatica_care.domain.stored_history import plannable
from sciatica_care.services.client_views import Booking, bookings
from sciatica_care.services.histories import history_document
from sciatica_care.services.planning import PlanCache, current_plan
from sciatica_care.sharing.fhir import codes as fc
from sciatica_care.sharing.fhir.codes import BundleBuilder as _Bundle
from sciatica_care.sharing.fhir.plan import add_plan

GENDERS = {"female": "female", "male": "male", "other": "other", "unknown": "unknown"}


def client_bundle(
    db: Session,
    *,
    client: models.Client,
    today: date,
    protocol: Protocol,
    plans: PlanCache | None = None,
    zone: tzinfo | None = None,
) -> dict[str, Any]:
    """A stored client's Bundle as of `today`, with the plan every other view shows.

    `zone` is the clinic's time zone, which turns a booked time into a FHIR instant.
    """
    # Only what the plan reads: a stored record it leaves out is left out here too.
    document, _ = plannable(history_document(db, client), today)
    plan = current_plan(db, client, today=today, protocol=protocol, plans=plans)
    booked = [b for b in bookings(db, client_id=client.id, today=today) if usable_date(b.date)]
    return fhir_bundle(
        key=f"client-{client.id}",
        name=client.name,
        history=document,
        plan=plan,
        booking=booked[0] if booked else None,
        protocol=protocol,
        zone=zone,
    )


def fhir_bundle(
    *,
    key: str,
    name: str,
    history: dict[str, Any],
    plan: CarePlan,
    booking: Booking | None,
    protocol: Protocol,
    zone: tzinfo | None = None,
) -> dict[str, Any]:
    """The Bundle of a history@1 document and its plan (pure: the same input, the same dict)."""
    bundle = _Bundle(key)
    bundle.patient = bundle.add(_patient(name, history.get("client") or {}))
    for index, screening in enumerate(history.get("screenings", [])):
        _screening(bundle, index, screening)
    for index, clearance in enumerate(history.get("clearances", [])):
        _clearance(bundle, index, clearance)
    for index, assessment in enumerate(history.get("assessments", [])):
        _assessment(bundle, index, assessment, protocol)
    for index, session in enumerate(history.get("sessions", [])):
        _session(bundle, index, session)
    for index, entry in enumerate(history.get("diary", [])):
        _diary(bundle, index, entry)
    add_plan(bundle, plan, booking, zone)
    return {
        "resourceType": "Bundle",
        "id": fc.resource_id(key, "Bundle"),
        "type": "collection",
        "entry": bundle.entries,
    }


def encode(bundle: dict[str, Any]) -> bytes:
    """The Bundle as indented JSON ending in a newline."""
    return msgspec.json.format(msgspec.json.encode(bundle), indent=2) + b"\n"


def _patient(name: str, person: dict[str, Any]) -> dict[str, Any]:
    patient: dict[str, Any] = {"resourceType": "Patient", "name": [{"text": name}]}
    sex = person.get("sex")
    if sex is not None:
        patient["extension"] = [{"url": fc.EXT_SEX, "valueString": sex}]
        patient["gender"] = GENDERS.get(sex.strip().lower(), "other")
    if person.get("birth_year") is not None:
        patient["birthDate"] = f"{person['birth_year']:04d}"
    return patient


def _note(record: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    if record.get("note") is not None:
        out["note"] = [{"text": record["note"]}]
    return out


def _observation(
    bundle: _Bundle, code: dict[str, Any], day: str, kind: str = "survey"
) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": fc.category(kind),
        "code": code,
        "subject": bundle.ref(),
        "effectiveDateTime": day,
    }


def _screening(bundle: _Bundle, index: int, screening: dict[str, Any]) -> None:
    day = screening["date"]
    code = fc.concept(fc.RECORD, fc.SCREENING, "Red-flag screening")
    head = bundle.add(_note(screening, _observation(bundle, code, day, "exam")), "screening", index)
    for number, finding in enumerate(screening.get("findings", [])):
        found = {"code": finding} if isinstance(finding, str) else finding
        condition: dict[str, Any] = {
            "resourceType": "Condition",
            "clinicalStatus": fc.concept(fc.CONDITION_CLINICAL, "active"),
            "code": fc.concept(fc.FINDING, found["code"]),
            "subject": bundle.ref(),
            "recordedDate": day,
            "evidence": [{"detail": [{"reference": head}]}],
        }
        if found.get("regions"):
            condition["bodySite"] = [fc.concept(fc.REGION, r) for r in found["regions"]]
        bundle.add(_note(found, condition), "screening", index, "finding", number)


def _clearance(bundle: _Bundle, index: int, clearance: dict[str, Any]) -> None:
    code = fc.concept(fc.RECORD, fc.CLEARANCE, "Cleared for massage by a clinician")
    out = _observation(bundle, code, clearance["date"], "exam")
    if clearance.get("finding") is not None:
        out["valueCodeableConcept"] = fc.concept(fc.FINDING, clearance["finding"])
    if clearance.get("by") is not None:
        out["performer"] = [{"display": clearance["by"]}]
    if clearance.get("role") is not None:
        out["extension"] = [{"url": fc.EXT_CLEARED_BY_ROLE, "valueString": clearance["role"]}]
    bundle.add(_note(clearance, out), "clearance", index)


def _pain(bundle: _Bundle, day: str, field: str, value: int, *place: object) -> str:
    site, text = fc.PAIN_SITES[field]
    out = _observation(bundle, fc.concept(fc.LOINC, *fc.PAIN_SCORE), day)
    out["bodySite"] = {"coding": [fc.coding(fc.BODY_SITE, site, text)], "text": text}
    out["valueQuantity"] = fc.score(value)
    return bundle.add(out, *place, field)


def _answers(bundle: _Bundle, day: str, url: str, answers: list[Any], *place: object) -> str:
    items = [
        {"linkId": str(number)} | ({} if a is None else {"answer": [{"valueInteger": a}]})
        for number, a in enumerate(answers, start=1)
    ]
    response = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": url,
        "status": "completed",
        "subject": bundle.ref(),
        "authored": day,
        "item": items,
    }
    return bundle.add(response, *place)


def _assessment(
    bundle: _Bundle, index: int, assessment: dict[str, Any], protocol: Protocol
) -> None:
    day, place = assessment["date"], ("assessment", index)
    members = [
        _pain(bundle, day, field, assessment[field], *place)
        for field in fc.PAIN_SITES
        if assessment.get(field) is not None
    ]
    if assessment.get("odi") is not None:
        members += _odi(bundle, day, assessment["odi"], *place)
    if assessment.get("startback") is not None:
        members += _startback(bundle, day, assessment["startback"], protocol, *place)
    for layer in LAYERS:
        marks = (assessment.get("regions") or {}).get(layer) or []
        if marks:
            code = fc.concept(fc.RECORD, f"body-map-{layer}", f"Body map: {layer}")
            out = _observation(bundle, code, day, "exam")
            out["component"] = [
                {"code": fc.concept(fc.REGION, r), "valueBoolean": True} for r in marks
            ]
            members.append(bundle.add(out, *place, layer))
    code = fc.concept(fc.RECORD, fc.ASSESSMENT, "Sciatica assessment")
    panel = _observation(bundle, code, day, "exam")
    panel["hasMember"] = [{"reference": m} for m in members]
    bundle.add(_note(assessment, panel), *place)


def _odi(bundle: _Bundle, day: str, answers: list[Any], *place: object) -> list[str]:
    response = _answers(bundle, day, fc.ODI_QUESTIONNAIRE, answers, *place, "odi")
    answered = [a for a in answers if a is not None]
    if not answered:
        return [response]
    out = _observation(bundle, fc.concept(fc.LOINC, *fc.ODI_SCORE), day)
    out["valueQuantity"] = fc.score(sum(answered))
    percent = odi_percent(answers, 1)
    assert percent is not None
    out["component"] = [
        {
            "code": fc.concept(fc.RECORD, fc.ODI_PERCENT, "Oswestry %"),
            "valueQuantity": fc.quantity(percent, "%"),
        }
    ]
    out["derivedFrom"] = [{"reference": response}]
    return [response, bundle.add(out, *place, "odi-score")]


def _startback(
    bundle: _Bundle, day: str, answers: list[int], protocol: Protocol, *place: object
) -> list[str]:
    response = _answers(bundle, day, fc.STARTBACK_QUESTIONNAIRE, answers, *place, "startback")
    rule = protocol.rule("instruments.startback_risk")
    risk = startback_risk(answers, rule.number("low_max_total"), rule.number("high_min_distress"))
    assert risk is not None
    out = _observation(bundle, fc.concept(fc.LOINC, *fc.STARTBACK_TOTAL), day)
    out["valueQuantity"] = fc.score(sum(answers))
    out["component"] = [
        {
            "code": fc.concept(fc.LOINC, *fc.STARTBACK_DISTRESS),
            "valueQuantity": fc.score(sum(answers[4:9])),
        },
        {
            "code": fc.concept(fc.LOINC, *fc.STARTBACK_RISK),
            "valueCodeableConcept": fc.concept(fc.LOINC, fc.RISK_ANSWERS[risk], risk),
        },
    ]
    out["derivedFrom"] = [{"reference": response}]
    return [response, bundle.add(out, *place, "startback-score")]


def _session(bundle: _Bundle, index: int, session: dict[str, Any]) -> None:
    extensions: list[dict[str, Any]] = [
        {"url": fc.EXT_TECHNIQUE, "valueCoding": fc.coding(fc.TECHNIQUE, t)}
        for t in session.get("techniques", [])
    ]
    if session.get("pressure") is not None:
        extensions.append({"url": fc.EXT_PRESSURE, "valueCode": session["pressure"]})
    if session.get("minutes") is not None:
        minutes = fc.quantity(session["minutes"], "min")
        extensions.append({"url": fc.EXT_MINUTES, "valueDuration": minutes})
    procedure: dict[str, Any] = {
        "resourceType": "Procedure",
        "status": "completed",
        "code": fc.concept(fc.RECORD, fc.MASSAGE, "Massage session"),
        "subject": bundle.ref(),
        "performedDateTime": session["date"],
    }
    if extensions:
        procedure["extension"] = extensions
    if session.get("areas"):
        procedure["bodySite"] = [fc.concept(fc.AREA, a) for a in session["areas"]]
    head = bundle.add(_note(session, procedure), "session", index)
    for field, code in (("pain_before", fc.PAIN_BEFORE), ("pain_after", fc.PAIN_AFTER)):
        if session.get(field) is None:
            continue
        loinc = fc.coding(fc.LOINC, *fc.PAIN_SCORE)
        both = {"coding": [loinc, fc.coding(fc.RECORD, code)], "text": code.replace("-", " ")}
        out = _observation(bundle, both, session["date"], "procedure")
        out["partOf"] = [{"reference": head}]
        out["valueQuantity"] = fc.score(session[field])
        bundle.add(out, "session", index, field)


def _diary(bundle: _Bundle, index: int, entry: dict[str, Any]) -> None:
    day, place = entry["date"], ("diary", index)
    members = [
        _pain(bundle, day, field, entry[field], *place)
        for field in fc.PAIN_SITES
        if entry.get(field) is not None
    ]
    parts: list[dict[str, Any]] = []
    if entry.get("active_minutes") is not None:
        code = fc.concept(fc.RECORD, fc.ACTIVE_MINUTES, "Active minutes")
        parts.append({"code": code, "valueQuantity": fc.quantity(entry["active_minutes"], "min")})
    if entry.get("flare") is not None:
        code = fc.concept(fc.RECORD, fc.FLARE, "Flare")
        parts.append({"code": code, "valueBoolean": entry["flare"]})
    parts += [
        {"code": fc.concept(fc.SELF_CARE, item), "valueBoolean": True}
        for item in entry.get("self_care", [])
    ]
    panel = _observation(bundle, fc.concept(fc.RECORD, fc.DIARY, "Diary check-in"), day)
    if members:
        panel["hasMember"] = [{"reference": m} for m in members]
    if parts:
        panel["component"] = parts
    bundle.add(_note(entry, panel), *place)
