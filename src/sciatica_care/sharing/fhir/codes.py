"""FHIR R4 vocabulary of the export and import: code systems, codes, ids and small shapes.

Standard codes where one fits (SNOMED CT sciatica, LOINC pain and questionnaire scores, UCUM
units); everything the standards have no code for (findings, regions, techniques, rule ids, the
parts of a record) uses the project's own code systems under `BASE`.
"""

import uuid
from typing import Any

BASE = "https://sciatica-care.example.org/fhir"
SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"

# The project's code systems.
RECORD = f"{BASE}/CodeSystem/record"  # the kind of record or part of one
FINDING = f"{BASE}/CodeSystem/finding"
REGION = f"{BASE}/CodeSystem/region"
BODY_SITE = f"{BASE}/CodeSystem/pain-site"
AREA = f"{BASE}/CodeSystem/area"
TECHNIQUE = f"{BASE}/CodeSystem/technique"
SELF_CARE = f"{BASE}/CodeSystem/self-care"
RULE = f"{BASE}/CodeSystem/rule"
PLAN_ACTIVITY = f"{BASE}/CodeSystem/plan-activity"
# The project's extensions.
EXT_SEX = f"{BASE}/StructureDefinition/sex-as-described"
EXT_MINUTES = f"{BASE}/StructureDefinition/session-minutes"
EXT_TECHNIQUE = f"{BASE}/StructureDefinition/technique"
EXT_PRESSURE = f"{BASE}/StructureDefinition/pressure"
EXT_CLEARED_BY_ROLE = f"{BASE}/StructureDefinition/cleared-by-role"
# The questionnaires, by item number only (no licensed wording).
ODI_QUESTIONNAIRE = f"{BASE}/Questionnaire/oswestry-2.1a"
STARTBACK_QUESTIONNAIRE = f"{BASE}/Questionnaire/startback"
PROTOCOL_POLICY = f"{BASE}/protocol"

SCIATICA = ("23056005", "Sciatica")
PAIN_SCORE = ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
ODI_SCORE = ("97909-6", "Oswestry Disability Index score")
STARTBACK_TOTAL = ("91351-7", "STarT Back total score")
STARTBACK_DISTRESS = ("91350-9", "STarT Back distress subscale score")
STARTBACK_RISK = ("91352-5", "STarT Back risk group")
RISK_ANSWERS = {"low": "LA9194-7", "medium": "LA8982-6", "high": "LA9193-9"}
PAIN_SITES = {"leg_pain": ("leg", "Leg"), "back_pain": ("lower_back", "Lower back")}
# Record parts by their code in RECORD.
SCREENING = "screening"
CLEARANCE = "clearance"
ASSESSMENT = "assessment"
DIARY = "diary-check-in"
MASSAGE = "massage-session"
PAIN_BEFORE = "pain-before-session"
PAIN_AFTER = "pain-after-session"
ODI_PERCENT = "oswestry-percent"
ACTIVE_MINUTES = "active-minutes"
FLARE = "flare"

_NAMESPACE = uuid.UUID("6f1c1c39-54f4-4c56-9d0e-2b8f3f7d2a10")


def resource_id(client_key: str, *parts: object) -> str:
    """A stable id: uuid5 of the client and the record's place (the same data, the same id)."""
    return str(uuid.uuid5(_NAMESPACE, "/".join([client_key, *map(str, parts)])))


def full_url(resource_id_: str) -> str:
    """The Bundle entry's fullUrl of a resource id."""
    return f"urn:uuid:{resource_id_}"


def coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    """One Coding."""
    out = {"system": system, "code": code}
    return out if display is None else {**out, "display": display}


def concept(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    """A CodeableConcept with one coding (its text the display, when given)."""
    out: dict[str, Any] = {"coding": [coding(system, code, display)]}
    return out if display is None else {**out, "text": display}


def score(value: float | int) -> dict[str, Any]:
    """A dimensionless score as a UCUM Quantity `{score}`."""
    return {"value": value, "unit": "{score}", "system": UCUM, "code": "{score}"}


def quantity(value: float | int, unit: str) -> dict[str, Any]:
    """A UCUM Quantity with its code as the unit (`%`, `min`)."""
    return {"value": value, "unit": unit, "system": UCUM, "code": unit}


def category(code: str) -> list[dict[str, Any]]:
    """An Observation category (survey, exam, procedure...)."""
    return [{"coding": [coding(OBSERVATION_CATEGORY, code)]}]


def code_in(value: Any, system: str) -> str | None:
    """The code of `system` in a CodeableConcept-like value, if any."""
    if not isinstance(value, dict):
        return None
    for item in value.get("coding") or []:
        if isinstance(item, dict) and item.get("system") == system:
            found = item.get("code")
            return found if isinstance(found, str) else None
    return None


class BundleBuilder:
    """Bundle entries in the order they are added, each with its stable id and fullUrl."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.entries: list[dict[str, Any]] = []
        self.patient = ""

    def add(self, resource: dict[str, Any], *place: object) -> str:
        """Adds a resource under an id made of the client, its type and `place`; its reference."""
        kind = resource["resourceType"]
        rid = resource_id(self.key, kind, *place)
        body = {"resourceType": kind, "id": rid, **resource}
        self.entries.append({"fullUrl": full_url(rid), "resource": body})
        return full_url(rid)

    def ref(self) -> dict[str, str]:
        """A reference to the Patient."""
        return {"reference": self.patient}
