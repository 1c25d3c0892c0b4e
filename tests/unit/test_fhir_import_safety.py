"""The importer never drops what a record holds and never mixes up people.

Regressions from review: a red-flag finding with a code the importer did not know was skipped
(the screening imported as clear); resources about another patient were imported; files that
are not UTF-8 or are nested very deeply failed with a crash; repeated resources, misshapen
notes and questionnaire items answered twice were let through or silently dropped.
"""

import codecs
import copy
from datetime import date
from typing import Any

import pytest

from sciatica_care.sharing.fhir import codes as fc
from sciatica_care.sharing.fhir.export import encode
from sciatica_care.sharing.fhir.importer import FhirProblems, read_bundle
from tests.unit.fhir_cases import bundle_for

TODAY = date(2026, 2, 10)
# Rosa's emergency: saddle numbness at her screening, and a little of every other record.
HISTORY: dict[str, Any] = {
    "schema": "sciatica-care/history@1",
    "client": {"birth_year": 1970, "sex": "female"},
    "screenings": [{"date": "2026-02-02", "findings": ["saddle_numbness"]}],
    "clearances": [{"date": "2026-02-03", "finding": "saddle_numbness", "by": "Dr A"}],
    "assessments": [
        {"date": "2026-02-02", "leg_pain": 7, "odi": [1, 2, 1, 0, 2, 1, 1, 0, 1, 2]},
    ],
    "sessions": [{"date": "2026-02-04", "techniques": [], "areas": [], "pain_before": 5}],
    "diary": [{"date": "2026-02-05", "leg_pain": 4, "flare": False}],
}


def _bundle() -> Any:
    return copy.deepcopy(bundle_for(HISTORY, TODAY))


def _index(bundle: Any, kind: str, code: str | None = None, system: str = fc.RECORD) -> int:
    """The entry index of the first resource of `kind` (with `code` in `system`)."""
    return next(
        i
        for i, e in enumerate(bundle["entry"])
        if e["resource"]["resourceType"] == kind
        and (code is None or fc.code_in(e["resource"].get("code"), system) == code)
    )


def _finding(bundle: Any) -> int:
    """The entry index of the screening's finding Condition."""
    return next(
        i
        for i, e in enumerate(bundle["entry"])
        if fc.code_in(e["resource"].get("code"), fc.FINDING) is not None
    )


def _problems(bundle: Any) -> list[str]:
    with pytest.raises(FhirProblems) as raised:
        read_bundle(encode(bundle))
    return raised.value.problems


def test_the_emergency_finding_is_read_when_the_bundle_is_intact() -> None:
    imported = read_bundle(encode(_bundle()))
    assert imported.history == HISTORY


@pytest.mark.parametrize(
    "code",
    [
        {"text": "saddle numbness"},
        {"coding": [{"system": "http://example.org/other", "code": "saddle_numbness"}]},
        "saddle_numbness",
    ],
)
def test_a_finding_whose_code_cannot_be_read_is_a_problem_not_a_skip(code: Any) -> None:
    bundle = _bundle()
    at = _finding(bundle)
    bundle["entry"][at]["resource"]["code"] = code
    (problem,) = _problems(bundle)
    assert problem.startswith(f"$.entry[{at}].resource.code: a Condition must be sciatica")


def test_a_finding_pointing_at_a_record_that_is_not_a_screening_is_a_problem() -> None:
    bundle = _bundle()
    at = _finding(bundle)
    diary = bundle["entry"][_index(bundle, "Observation", fc.DIARY)]["fullUrl"]
    bundle["entry"][at]["resource"]["evidence"] = [{"detail": [{"reference": diary}]}]
    where = f"$.entry[{at}].resource.evidence[0].detail[0]"
    assert _problems(bundle) == [f"{where}: must refer to a screening of the Bundle"]


def test_an_observation_of_an_unknown_kind_is_a_problem_and_other_types_are_skipped() -> None:
    bundle = _bundle()
    patient = bundle["entry"][0]["fullUrl"]
    unknown = {"resourceType": "Observation", "id": "o1", "subject": {"reference": patient}}
    bundle["entry"].append({"resource": unknown | {"code": fc.concept(fc.RECORD, "mystery")}})
    last = len(bundle["entry"]) - 1
    (problem,) = _problems(bundle)
    assert problem.startswith(f"$.entry[{last}].resource: this Observation is not part of")
    bundle["entry"][last] = {"resource": {"resourceType": "Medication", "id": "m1"}}
    assert read_bundle(encode(bundle)).skipped[-1].startswith("Medication/m1 ")


def test_a_clearance_whose_finding_cannot_be_read_is_a_problem() -> None:
    bundle = _bundle()
    at = _index(bundle, "Observation", fc.CLEARANCE)
    bundle["entry"][at]["resource"]["valueCodeableConcept"] = {"text": "saddle"}
    assert _problems(bundle) == [
        f"$.entry[{at}].resource.valueCodeableConcept: needs a coding of {fc.FINDING}"
    ]


@pytest.mark.parametrize("reference", ["Patient/someone-else", "https://elsewhere/Patient/1"])
def test_a_subject_that_is_not_the_bundles_patient_is_a_problem(reference: str) -> None:
    bundle = _bundle()
    at = _finding(bundle)
    bundle["entry"][at]["resource"]["subject"] = {"reference": reference}
    assert _problems(bundle) == [
        f"$.entry[{at}].resource.subject: must refer to the Bundle's Patient, got {reference!r}"
    ]
    del bundle["entry"][at]["resource"]["subject"]
    (problem,) = _problems(bundle)
    assert problem.startswith(f"$.entry[{at}].resource.subject: must refer to the Bundle's")


def test_the_patient_may_be_referred_to_by_type_and_id() -> None:
    bundle = _bundle()
    patient = bundle["entry"][0]["resource"]
    bundle["entry"][_finding(bundle)]["resource"]["subject"] = {
        "reference": f"Patient/{patient['id']}"
    }
    assert read_bundle(encode(bundle)).history["screenings"][0]["findings"]


def test_a_bundle_needs_exactly_one_patient() -> None:
    bundle = _bundle()
    other = {"resourceType": "Patient", "id": "other", "name": [{"text": "Someone Else"}]}
    bundle["entry"].append({"resource": other})
    last = len(bundle["entry"]) - 1
    assert _problems(bundle) == [
        f"$.entry: must hold exactly one Patient, found 2 ($.entry[0].resource, "
        f"$.entry[{last}].resource)"
    ]
    none = {"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Medication"}}]}
    assert _problems(none) == ["$.entry: must hold exactly one Patient, found 0"]


def test_text_that_is_not_utf8_is_a_problem_with_its_line_and_column() -> None:
    text = '{"resourceType": "Bundle",\n "entry": [{"resource": {"name": "Jos\xe9"}}]}'
    with pytest.raises(FhirProblems) as raised:
        read_bundle(text.encode("latin-1"))
    assert raised.value.problems == ["line 2, column 38: not UTF-8 text"]
    with pytest.raises(FhirProblems, match=r"^\$: must be UTF-8 text, this file is UTF-16$"):
        read_bundle('{"resourceType": "Bundle"}'.encode("utf-16"))
    with_bom = codecs.BOM_UTF8 + encode(_bundle())
    assert read_bundle(with_bom).history["screenings"]


def test_json_nested_too_deeply_is_a_problem_not_a_crash() -> None:
    deep = b'{"resourceType": "Bundle", "entry": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with pytest.raises(FhirProblems, match=r"^\$: nested too deeply"):
        read_bundle(deep)
    bundle = _bundle()
    nested: Any = []
    for _ in range(70):
        nested = [nested]
    bundle["entry"][0]["resource"]["extension"] = nested
    (problem,) = _problems(bundle)
    assert problem.startswith("$.entry[0].resource.extension[0][0]")
    assert problem.endswith(": nested too deeply (at most 64 levels)")


def test_a_resource_given_twice_is_a_problem() -> None:
    bundle = _bundle()
    bundle["entry"].append(copy.deepcopy(bundle["entry"][1]))
    last = len(bundle["entry"]) - 1
    (problem,) = _problems(bundle)
    assert problem.startswith(f"$.entry[{last}].resource: ")
    assert problem.endswith(" is given twice (also $.entry[1].resource)")


@pytest.mark.parametrize(
    ("note", "where"),
    [("see me", ".note: must be a list"), (["see me"], ".note[0]: must be an Annotation")],
)
def test_a_note_of_the_wrong_shape_is_a_problem(note: Any, where: str) -> None:
    bundle = _bundle()
    bundle["entry"][1]["resource"]["note"] = note
    (problem,) = _problems(bundle)
    assert problem.startswith(f"$.entry[1].resource{where}")


def test_a_questionnaire_item_answered_twice_is_a_problem() -> None:
    bundle = _bundle()
    at = _index(bundle, "QuestionnaireResponse")
    items = bundle["entry"][at]["resource"]["item"]
    items.append({"linkId": "1", "answer": [{"valueInteger": 5}]})
    where = f"$.entry[{at}].resource.item[{len(items) - 1}].linkId"
    assert _problems(bundle) == [f"{where}: item 1 is answered twice"]
