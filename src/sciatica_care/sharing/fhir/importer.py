"""A FHIR R4 Bundle as made by `fhir_export`, back into a history@1 document.

Records are read from their head resources (screening, clearance, assessment and diary panels,
massage Procedures) in Bundle order; the resources they point at are read with them. The plan,
referral, Provenance and sciatica Condition are derived, so they are recomputed, not read.
The Bundle holds exactly one Patient, and every `subject` or `patient` refers to it. A resource
of a type that records are read from (Observation, Condition, Procedure, QuestionnaireResponse)
that cannot be read into a record is a problem: skipping a finding would import a screening as
clear. Only resources of other types (bookings, medications...) are skipped and named in
`Imported.skipped`. A malformed Bundle raises FhirProblems naming each problem's JSON path.
"""

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sciatica_care.db.models import Client
from sciatica_care.services.clients import find_client
from sciatica_care.services.errors import ServiceError
from sciatica_care.sharing.fhir import codes as fc
from sciatica_care.sharing.fhir.records import READERS, Entry, FhirProblems, Reader, decode

__all__ = ["FhirProblems", "Imported", "locate", "read_bundle", "target_client"]

DERIVED = frozenset({"CarePlan", "ServiceRequest", "Provenance"})
RECORD_TYPES = frozenset({"Observation", "Condition", "Procedure", "QuestionnaireResponse"})
MALFORMED = (AttributeError, TypeError, KeyError, IndexError, ValueError)
SKIP_REASONS = {"Appointment": "bookings are not imported"}
PARTS = "a screening, clearance, assessment, massage session or diary check-in"
LISTS = ("screenings", "clearances", "assessments", "sessions", "diary")
HEADS = {
    ("Observation", fc.SCREENING): "screenings",
    ("Observation", fc.CLEARANCE): "clearances",
    ("Observation", fc.ASSESSMENT): "assessments",
    ("Observation", fc.DIARY): "diary",
    ("Procedure", fc.MASSAGE): "sessions",
}


@dataclass
class Imported:
    """The history read from a Bundle, the Patient's name, and what was skipped."""

    name: str | None
    history: dict[str, Any]
    skipped: list[str] = field(default_factory=list)
    # Where each record came from: "assessments[0]" -> "entry[5]"; "client" -> the Patient.
    origins: dict[str, str] = field(default_factory=dict)


def read_bundle(raw: bytes) -> Imported:
    """The history@1 document in a Bundle; FhirProblems if it is not a readable Bundle."""
    reader = Reader(_entries(decode(raw)))
    imported = Imported(name=None, history={"schema": "sciatica-care/history@1"})
    lists: dict[str, list[Any]] = {kind: [] for kind in LISTS}
    _read_patient(reader, imported)
    parts = _parts(reader)
    for entry in reader.entries:
        try:
            _read_head(reader, entry, imported, lists, parts.get(id(entry), []))
        except MALFORMED as error:
            reader.problems.append(f"{entry.path}: malformed ({error!r})")
    for entry in reader.entries:
        if entry.used:
            continue
        resource = entry.resource
        kind = resource["resourceType"]
        if kind in RECORD_TYPES:
            reader.problems.append(f"{entry.path}: this {kind} is not part of any record ({PARTS})")
        else:
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
            entry.used = True  # reported here, not again as unread
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
    if resource["resourceType"] == "Condition" and not _sciatica(resource):
        if fc.code_in(resource.get("code"), fc.FINDING) is None:
            entry.used = True  # reported here, not again as unread
            reader.problems.append(
                f"{path}.code: a Condition must be sciatica ({fc.SNOMED} {fc.SCIATICA[0]})"
                f" or a screening finding (a coding of {fc.FINDING})"
            )
            return None
        link = (resource.get("evidence") or [{}])[0].get("detail", [None])[0]
        where = f"{path}.evidence[0].detail[0]"
        return _head(reader, entry, reader.follow(link, where), "screenings", where)
    if resource["resourceType"] == "Observation" and resource.get("partOf"):
        where = f"{path}.partOf[0]"
        return _head(reader, entry, reader.follow(resource["partOf"][0], where), "sessions", where)
    return None


def _head(
    reader: Reader, entry: Entry, head: Entry | None, target: str, where: str
) -> Entry | None:
    """`head` if it is a record of `target` kind; else a problem at `where`."""
    if head is None:
        entry.used = True  # reported by `follow`, not again as unread
    elif _target(head.resource) != target:
        entry.used = True
        reader.problems.append(f"{where}: must refer to a {target[:-1]} of the Bundle")
        return None
    return head


def _target(resource: dict[str, Any]) -> str | None:
    """The history list a head resource's record goes to, if it is a head."""
    code = fc.code_in(resource.get("code"), fc.RECORD) or ""
    return HEADS.get((resource["resourceType"], code))


def _sciatica(resource: dict[str, Any]) -> bool:
    return fc.code_in(resource.get("code"), fc.SNOMED) == fc.SCIATICA[0]


def _read_head(
    reader: Reader,
    entry: Entry,
    imported: Imported,
    lists: dict[str, list[Any]],
    parts: list[Entry],
) -> None:
    resource = entry.resource
    kind = resource["resourceType"]
    target = _target(resource)
    if target is not None:
        entry.used = True
        imported.origins[f"{target}[{len(lists[target])}]"] = entry.path
        lists[target].append(READERS[target](reader, entry, parts))
    elif kind in DERIVED or (kind == "Condition" and _sciatica(resource)):
        entry.used = True


def _read_patient(reader: Reader, imported: Imported) -> None:
    """The one Patient's name and person; every subject or patient must refer to it."""
    patients = [e for e in reader.entries if e.resource["resourceType"] == "Patient"]
    if len(patients) != 1:
        where = ", ".join(e.path for e in patients)
        reader.problems.append(
            f"$.entry: must hold exactly one Patient, found {len(patients)}"
            + (f" ({where})" if where else "")
        )
    for entry in patients:
        entry.used = True
    if len(patients) != 1:
        return  # whose records they are is unknown: one problem, not one per resource
    patient = patients[0]
    imported.origins["client"] = patient.path
    try:
        imported.name, imported.history["client"] = _patient(patient.resource)
    except MALFORMED as error:
        reader.problems.append(f"{patient.path}: malformed ({error!r})")
    for entry in reader.entries:
        kind = entry.resource["resourceType"]
        for key in ("subject", "patient"):
            value = entry.resource.get(key)
            if value is None and not (key == "subject" and kind in RECORD_TYPES):
                continue
            if reader.resolve(value) is not patient:
                told = value.get("reference") if isinstance(value, dict) else value
                reader.problems.append(
                    f"{entry.path}.{key}: must refer to the Bundle's Patient, got {told!r:.80}"
                )


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


def target_client(
    db: Session, imported: Imported, given: str | None, person: tuple[int | None, str | None]
) -> Client | None:
    """The existing client a Bundle goes to, or None for a new one; FhirProblems if unsafe.

    `given` (the --client option) names a client by id or unique name as everywhere else. A
    name read from the file matches only a client with exactly that name (case-insensitive),
    never an id or part of a name. The client's birth year and sex (`person`, as imported) must
    agree with the Bundle's wherever both are known.
    """
    where = imported.origins.get("client", "$")
    if given is not None:
        try:
            client = find_client(db, given)
        except ServiceError as error:
            several = func.lower(Client.name).contains(given.strip().lower(), autoescape=True)
            if db.scalar(select(func.count()).select_from(Client).where(several)):
                raise FhirProblems([f"--client: {error}"]) from None
            return None
    else:
        wanted = (imported.name or "").strip().casefold()
        rows = db.execute(select(Client.id, Client.name).order_by(Client.id)).all()
        same = [row for row in rows if wanted and row.name.strip().casefold() == wanted]
        if len(same) > 1:
            ids = ", ".join(str(row.id) for row in same)
            told = f"{where}.name: {imported.name!r} is the name of clients {ids}"
            raise FhirProblems([f"{told}: choose one with --client"])
        if not same:
            return None
        client = db.get_one(Client, same[0].id)
    born, sex = person
    problems = []
    if born is not None and client.birth_year is not None and born != client.birth_year:
        problems.append(
            f"{where}.birthDate: born {born}, but client {client.id} ({client.name}) was born"
            f" {client.birth_year}"
        )
    if sex is not None and client.sex is not None and sex.casefold() != client.sex.casefold():
        problems.append(
            f"{where}.gender: sex {sex!r}, but client {client.id} ({client.name}) is {client.sex!r}"
        )
    if problems:
        raise FhirProblems(problems)
    return client
