"""Reading a FHIR Bundle back: the same records, so the same plan; skips reported; bad input."""

import copy
import json
from datetime import date
from typing import Any

import msgspec
import pytest

from sciatica_care.domain.history_parser import HistoryProblems, parse_history
from sciatica_care.engine import plan_json
from sciatica_care.sharing.fhir.export import encode
from sciatica_care.sharing.fhir.importer import FhirProblems, locate, read_bundle
from tests.unit.fhir_cases import bundle_for, cases, plan_for

CASES = cases()
IDS = [name for name, _, _ in CASES]


def _round_trip(bundle: Any) -> Any:
    return read_bundle(encode(bundle))


@pytest.mark.parametrize(("name", "history", "today"), CASES, ids=IDS)
def test_the_round_trip_gives_the_same_records_and_the_same_plan(
    name: str, history: Any, today: date
) -> None:
    imported = _round_trip(bundle_for(history, today))
    assert imported.name == "Ada Lovelace"
    original = parse_history(json.dumps(history), today=today, system_today=today)
    back = parse_history(msgspec.json.encode(imported.history), today=today, system_today=today)
    assert back == original
    assert plan_json(plan_for(imported.history, today)) == plan_json(plan_for(history, today))


def test_screenings_with_regions_and_clearances_survive_the_round_trip() -> None:
    history = {
        "schema": "sciatica-care/history@1",
        "client": {"birth_year": 1980, "sex": "non-binary"},
        "screenings": [
            {"date": "2026-01-05", "findings": []},
            {
                "date": "2026-01-12",
                "findings": [
                    "pregnancy",
                    {"code": "skin_lesion", "regions": ["sole_left"], "note": "healing"},
                ],
                "note": "second look",
            },
        ],
        "clearances": [{"date": "2026-01-13", "finding": "pregnancy", "by": "Dr A", "note": "ok"}],
        "sessions": [{"date": "2026-01-14", "techniques": [], "areas": []}],
        "diary": [
            {"date": "2026-01-14", "flare": False, "self_care": ["heat", "walking"]},
            {"date": "2026-01-14", "active_minutes": 30, "leg_pain": 0},
        ],
    }
    imported = _round_trip(bundle_for(history, date(2026, 1, 20)))
    assert imported.history == {**history, "assessments": []}


def test_resources_it_does_not_understand_are_reported_not_lost() -> None:
    _, history, today = CASES[0]
    bundle = bundle_for(history, today)
    stranger = {"resourceType": "Medication", "id": "m1"}
    bundle["entry"].append({"fullUrl": "urn:uuid:m1", "resource": stranger})
    imported = _round_trip(bundle)
    where = f"$.entry[{len(bundle['entry']) - 1}].resource"
    assert len(imported.skipped) == 2
    assert imported.skipped[0].endswith("bookings are not imported")
    assert imported.skipped[1] == f"Medication/m1 ({where}): not understood"


def test_a_stray_pain_reading_outside_any_record_is_a_problem_not_a_skip() -> None:
    _, history, today = CASES[0]
    bundle = bundle_for(history, today)
    panel = next(e["resource"] for e in bundle["entry"] if "hasMember" in e["resource"])
    stray = panel["hasMember"].pop(0)["reference"]
    where = next(i for i, e in enumerate(bundle["entry"]) if e["fullUrl"] == stray)
    with pytest.raises(FhirProblems) as raised:
        _round_trip(bundle)
    (problem,) = raised.value.problems
    assert problem.startswith(f"$.entry[{where}].resource: this Observation is not part of")


def _first_pain(bundle: Any) -> Any:
    """The first leg pain reading of a Bundle."""
    resources = [entry["resource"] for entry in bundle["entry"]]
    return next(r for r in resources if r["resourceType"] == "Observation" and "bodySite" in r)


def _broken(change: Any) -> list[str]:
    _, history, today = CASES[0]
    bundle = copy.deepcopy(bundle_for(history, today))
    change(bundle)
    with pytest.raises(FhirProblems) as raised:
        _round_trip(bundle)
    return raised.value.problems


def test_a_file_that_is_not_a_bundle_is_refused_with_its_path() -> None:
    with pytest.raises(FhirProblems, match=r"\$.resourceType: must be 'Bundle'"):
        read_bundle(b'{"resourceType": "Patient"}')
    with pytest.raises(FhirProblems, match=r"\$: not valid JSON"):
        read_bundle(b"{")
    problems = _broken(lambda b: b["entry"].__setitem__(2, {"resource": 7}))
    assert problems == ["$.entry[2].resource: must be a resource with a resourceType"]


def test_a_reference_that_does_not_resolve_is_refused_with_its_path() -> None:
    def cut(bundle: Any) -> None:
        panel = next(e["resource"] for e in bundle["entry"] if "hasMember" in e["resource"])
        panel["hasMember"][0]["reference"] = "urn:uuid:nowhere"

    dangling, orphan = _broken(cut)
    assert dangling.endswith(".resource.hasMember[0]: does not resolve to an entry of the Bundle")
    assert orphan.endswith(
        ": this Observation is not part of any record (a screening, clearance,"
        " assessment, massage session or diary check-in)"
    )


def test_a_wrong_value_type_is_refused_with_its_path() -> None:
    def spoil(bundle: Any) -> None:
        _first_pain(bundle)["valueQuantity"]["value"] = "seven"

    (problem,) = _broken(spoil)
    assert problem.endswith(".resource.valueQuantity.value: must be a whole number, got 'seven'")
    dated = _broken(lambda b: b["entry"][1]["resource"].update(effectiveDateTime="soon"))
    assert dated == ["$.entry[1].resource.effectiveDateTime: must be a date YYYY-MM-DD, got 'soon'"]


def test_an_out_of_range_score_is_told_with_the_bundle_path_of_its_record() -> None:
    _, history, today = CASES[0]
    bundle = bundle_for(history, today)
    _first_pain(bundle)["valueQuantity"]["value"] = 11
    imported = _round_trip(bundle)
    with pytest.raises(HistoryProblems) as raised:
        parse_history(msgspec.json.encode(imported.history), today=today, system_today=today)
    told = [locate(problem, imported.origins) for problem in raised.value.problems]
    panel = imported.origins["assessments[0]"]
    assert told == [f"{panel}: assessments[0].leg_pain: must be an integer 0..10, got 11"]
