"""A FHIR R4 Bundle as made by `fhir_export`, back into a history@1 document.

Records are read from their head resources (screening, clearance, assessment and diary panels,
massage Procedures) in Bundle order; the resources they point at are read with them. The plan,
referral, Provenance and sciatica Condition are derived, so they are recomputed, not read.
Anything else is skipped and named in `Imported.skipped`. A malformed Bundle raises
FhirProblems naming each problem's JSON path.
"""

from dataclasses import dataclass, field
from typing import Any

import msgspec

from sciatica_care.services import fhir_codes as fc
from sciatica_care.services.fhir_records import READERS, Entry, Reader

DERIVED = frozenset({"CarePlan", "ServiceRequest", "Provenance"})
MALFORMED = (AttributeError, TypeError, KeyError, IndexError, ValueError)
SKIP_REASONS = {"Appointment": "bookings are not imported", "Patient": "a second Patient"}
LISTS = ("screenings", "clearances", "assessments", "sessions", "diary")
HEADS = {
    ("Observation", fc.SCREENING): "screenings",
    ("Observation", fc.CLEARANCE): "clearances",
    ("Observation", fc.ASSESSMENT): "assessments",
    ("Observation", fc.DIARY): "diary",
    ("Procedure", fc.MASSAGE): "sessions",
}


class FhirProblems(Exception):
    """The Bundle cannot be read; every problem names its JSON path."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Imported:
    """The history read from a Bundle, the Patient's name, and what was skipped."""

    name: str | None
    history: dict[str, Any]
    skipped: list[str] = field(default_factory=list)
    # Where each record came from: "assessments[0]" -> "entry[5]".
    origins: dict[str, str] = field(default_factory=dict)


def read_bundle(raw: bytes) -> Imported:
    """The history@1 document in a Bundle; FhirProblems if it is not a readable Bundle."""
    try:
        bundle = msgspec.json.decode(raw)
    except msgspec.DecodeError as error:
        raise FhirProblems([f"$: not valid JSON: {error}"]) from None
    reader = Reader(_entries(bundle))
    imported = Imported(name=None, history={"schema": "sciatica-care/history@1"})
    lists: dict[str, list[Any]] = {kind: [] for kind in LISTS}
    parts = _parts(reader)
    for entry in reader.entries:
        try:
            _read_head(reader, entry, imported, lists, parts.get(id(entry), []))
        except MALFORMED as error:
            reader.problems.append(f"{entry.path}: malformed ({error!r})")
    for entry in reader.entries:
        if not entry.used:
            resource = entry.resource
            kind = resource["resourceType"]
            why = SKIP_REASONS.get(kind, "not understood")
            imported.skipped.append(f"{kind}/{resource.get('id')} ({entry.path}): {why}")
    if reader.problems:
        raise FhirProblems(reader.problems)
    imported.history.update(lists)
    return imported


def _entries(bundle: Any) -> list[Entry]:
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise FhirProblems(["$.resourceType: must be 'Bundle'"])
    entries = bundle.get("entry", [])
    if not isinstance(entries, list):
        raise FhirProblems(["$.entry: must be a list"])
    out, problems = [], []
    for index, entry in enumerate(entries):
        path = f"$.entry[{index}]"
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
            problems.append(f"{path}.resource: must be a resource with a resourceType")
            continue
        url = entry.get("fullUrl")
        out.append(Entry(f"{path}.resource", resource, url if isinstance(url, str) else None))
    if problems:
        raise FhirProblems(problems)
    return out


def locate(problem: str, origins: dict[str, str]) -> str:
    """A history@1 problem (`assessments[0].leg_pain: ...`) prefixed with its Bundle path."""
    head, bracket, _ = problem.partition("]")
    where = origins.get(head + bracket)
    return problem if where is None else f"{where}: {problem}"


def _parts(reader: Reader) -> dict[int, list[Entry]]:
    """The finding Conditions of each screening and the pain readings of each session."""
    parts: dict[int, list[Entry]] = {}
    for entry in reader.entries:
        try:
            head = _head_of(reader, entry)
        except MALFORMED as error:
            reader.problems.append(f"{entry.path}: malformed ({error!r})")
            continue
        if head is not None:
            head.used = False  # a head is read as a head, not as a part
            parts.setdefault(id(head), []).append(entry)
            entry.used = True
    return parts


def _head_of(reader: Reader, entry: Entry) -> Entry | None:
    """The screening a finding Condition belongs to, or the session of a reading."""
    resource, path = entry.resource, entry.path
    if resource["resourceType"] == "Condition" and fc.code_in(resource.get("code"), fc.FINDING):
        link = (resource.get("evidence") or [{}])[0].get("detail", [None])[0]
        return reader.follow(link, f"{path}.evidence[0].detail[0]")
    if resource["resourceType"] == "Observation" and resource.get("partOf"):
        return reader.follow(resource["partOf"][0], f"{path}.partOf[0]")
    return None


def _read_head(
    reader: Reader,
    entry: Entry,
    imported: Imported,
    lists: dict[str, list[Any]],
    parts: list[Entry],
) -> None:
    resource = entry.resource
    kind = resource["resourceType"]
    target = HEADS.get((kind, fc.code_in(resource.get("code"), fc.RECORD) or ""))
    if target is not None:
        entry.used = True
        imported.origins[f"{target}[{len(lists[target])}]"] = entry.path
        lists[target].append(READERS[target](reader, entry, parts))
    elif kind == "Patient" and "client" not in imported.history:
        entry.used = True
        imported.name, imported.history["client"] = _patient(resource)
    elif kind in DERIVED or (
        kind == "Condition" and fc.code_in(resource.get("code"), fc.SNOMED) == fc.SCIATICA[0]
    ):
        entry.used = True


def _patient(resource: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    names = resource.get("name") or [{}]
    first = names[0] if isinstance(names[0], dict) else {}
    name = first.get("text") or " ".join([*first.get("given", []), first.get("family", "")])
    person: dict[str, Any] = {}
    born = resource.get("birthDate")
    if isinstance(born, str) and born[:4].isdigit():
        person["birth_year"] = int(born[:4])
    sex = [
        e.get("valueString") for e in resource.get("extension", []) if e.get("url") == fc.EXT_SEX
    ]
    if sex or resource.get("gender") not in (None, "unknown"):
        person["sex"] = sex[0] if sex else resource["gender"]
    return (name.strip() or None), person
