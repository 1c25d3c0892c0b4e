"""Reading the records of a FHIR Bundle: the entries, references, and one reader per record."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sciatica_care.services import fhir_codes as fc


@dataclass
class Entry:
    path: str
    resource: dict[str, Any]
    full_url: str | None
    used: bool = False


class Reader:
    """The Bundle's entries by reference, and the JSON paths of what goes wrong."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self.by_ref: dict[str, Entry] = {}
        for entry in entries:
            kind, rid = entry.resource["resourceType"], entry.resource.get("id")
            self.by_ref[f"{kind}/{rid}"] = entry
            if entry.full_url is not None:
                self.by_ref[entry.full_url] = entry
        self.problems: list[str] = []

    def follow(self, value: Any, path: str) -> Entry | None:
        """The entry a Reference points at (marked as read), or a problem at `path`."""
        target = value.get("reference") if isinstance(value, dict) else None
        found = self.by_ref.get(target) if isinstance(target, str) else None
        if found is None:
            self.problems.append(f"{path}: does not resolve to an entry of the Bundle")
            return None
        found.used = True
        return found

    def date(self, resource: dict[str, Any], key: str, path: str) -> str:
        """A date field (a dateTime's day) as YYYY-MM-DD."""
        value = resource.get(key)
        try:
            assert isinstance(value, str)
            return date.fromisoformat(value[:10]).isoformat()
        except (AssertionError, ValueError):
            self.problems.append(f"{path}.{key}: must be a date YYYY-MM-DD, got {value!r}")
            return "0001-01-01"

    def integer(self, value: Any, path: str) -> int:
        """A whole number (a Quantity's value, an answer)."""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problems.append(f"{path}: must be a whole number, got {value!r}")
            return 0
        return value


def _with_note(resource: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    texts = [n.get("text") for n in resource.get("note", []) if isinstance(n, dict)]
    if texts:
        out["note"] = "\n".join(t for t in texts if isinstance(t, str))
    return out


def _codes(reader: Reader, concepts: Any, system: str, path: str) -> list[str]:
    out = []
    for index, value in enumerate(concepts or []):
        code = fc.code_in(value, system)
        if code is None:
            reader.problems.append(f"{path}[{index}]: needs a coding of {system}")
        else:
            out.append(code)
    return out


def _screening(reader: Reader, entry: Entry, parts: list[Entry]) -> dict[str, Any]:
    findings: list[Any] = []
    for part in parts:
        condition = part.resource
        code = fc.code_in(condition.get("code"), fc.FINDING)
        regions = _codes(reader, condition.get("bodySite"), fc.REGION, f"{part.path}.bodySite")
        found = _with_note(condition, {"code": code} | ({"regions": regions} if regions else {}))
        findings.append(found if len(found) > 1 else code)
    day = reader.date(entry.resource, "effectiveDateTime", entry.path)
    return _with_note(entry.resource, {"date": day, "findings": findings})


def _clearance(reader: Reader, entry: Entry, parts: list[Entry]) -> dict[str, Any]:
    resource = entry.resource
    out: dict[str, Any] = {"date": reader.date(resource, "effectiveDateTime", entry.path)}
    if "valueCodeableConcept" in resource:
        out["finding"] = fc.code_in(resource["valueCodeableConcept"], fc.FINDING)
    by = [p.get("display") for p in resource.get("performer", []) if isinstance(p, dict)]
    if by:
        out["by"] = by[0]
    return _with_note(resource, out)


def _members(reader: Reader, entry: Entry) -> list[Entry]:
    found = []
    for index, link in enumerate(entry.resource.get("hasMember", [])):
        member = reader.follow(link, f"{entry.path}.hasMember[{index}]")
        if member is not None:
            found.append(member)
    return found


def _pain_field(member: Entry) -> str | None:
    """leg_pain or back_pain for a LOINC 72514-3 reading, by its body site."""
    resource = member.resource
    if fc.code_in(resource.get("code"), fc.LOINC) != fc.PAIN_SCORE[0]:
        return None
    site = fc.code_in(resource.get("bodySite"), fc.BODY_SITE)
    return next((f for f, (code, _) in fc.PAIN_SITES.items() if code == site), None)


def _pains(reader: Reader, members: list[Entry], out: dict[str, Any]) -> list[Entry]:
    """Reads the pain readings into `out`; the members that are not pain readings."""
    rest = []
    for member in members:
        field_ = _pain_field(member)
        if field_ is None:
            rest.append(member)
            continue
        value = (member.resource.get("valueQuantity") or {}).get("value")
        out[field_] = reader.integer(value, f"{member.path}.valueQuantity.value")
    return rest


def _answers(reader: Reader, member: Entry, count: int) -> list[int | None]:
    answers: list[int | None] = [None] * count
    for index, item in enumerate(member.resource.get("item", [])):
        path = f"{member.path}.item[{index}]"
        link = item.get("linkId")
        if not (isinstance(link, str) and link.isdigit() and 1 <= int(link) <= count):
            reader.problems.append(f"{path}.linkId: must be an item number 1..{count}")
            continue
        for answer in item.get("answer", [])[:1]:
            value = answer.get("valueInteger")
            answers[int(link) - 1] = reader.integer(value, f"{path}.answer[0].valueInteger")
    return answers


def _assessment(reader: Reader, entry: Entry, parts: list[Entry]) -> dict[str, Any]:
    resource = entry.resource
    out: dict[str, Any] = {"date": reader.date(resource, "effectiveDateTime", entry.path)}
    regions: dict[str, list[str]] = {}
    for member in _pains(reader, _members(reader, entry), out):
        part = member.resource
        questionnaire = part.get("questionnaire")
        record = fc.code_in(part.get("code"), fc.RECORD) or ""
        if questionnaire == fc.ODI_QUESTIONNAIRE:
            out["odi"] = _answers(reader, member, 10)
        elif questionnaire == fc.STARTBACK_QUESTIONNAIRE:
            out["startback"] = _answers(reader, member, 9)
        elif record.removeprefix("body-map-") in fc.LAYERS:
            concepts = [c.get("code") for c in part.get("component", [])]
            layer = record.removeprefix("body-map-")
            regions[layer] = _codes(reader, concepts, fc.REGION, f"{member.path}.component")
        elif fc.code_in(part.get("code"), fc.LOINC) not in SCORES:
            member.used = False  # not a part of an assessment: reported as skipped
    if regions:
        out["regions"] = regions
    return _with_note(resource, out)


def _diary(reader: Reader, entry: Entry, parts: list[Entry]) -> dict[str, Any]:
    resource = entry.resource
    out: dict[str, Any] = {"date": reader.date(resource, "effectiveDateTime", entry.path)}
    for member in _pains(reader, _members(reader, entry), out):
        member.used = False
    self_care = []
    for index, part in enumerate(resource.get("component", [])):
        path = f"{entry.path}.component[{index}]"
        record = fc.code_in(part.get("code"), fc.RECORD)
        if record == fc.ACTIVE_MINUTES:
            value = (part.get("valueQuantity") or {}).get("value")
            out["active_minutes"] = reader.integer(value, f"{path}.valueQuantity.value")
        elif record == fc.FLARE:
            out["flare"] = part.get("valueBoolean")
        elif (item := fc.code_in(part.get("code"), fc.SELF_CARE)) is not None:
            self_care.append(item)
        else:
            reader.problems.append(f"{path}.code: not a part of a diary check-in")
    if self_care:
        out["self_care"] = self_care
    return _with_note(resource, out)


def _session(reader: Reader, entry: Entry, parts: list[Entry]) -> dict[str, Any]:
    resource = entry.resource
    out: dict[str, Any] = {"date": reader.date(resource, "performedDateTime", entry.path)}
    techniques = []
    for index, extension in enumerate(resource.get("extension", [])):
        path = f"{entry.path}.extension[{index}]"
        url = extension.get("url")
        if url == fc.EXT_TECHNIQUE:
            techniques.append((extension.get("valueCoding") or {}).get("code"))
        elif url == fc.EXT_PRESSURE:
            out["pressure"] = extension.get("valueCode")
        elif url == fc.EXT_MINUTES:
            value = (extension.get("valueDuration") or {}).get("value")
            out["minutes"] = reader.integer(value, f"{path}.valueDuration.value")
    out["techniques"] = techniques
    out["areas"] = _codes(reader, resource.get("bodySite"), fc.AREA, f"{entry.path}.bodySite")
    for part in parts:
        record = fc.code_in(part.resource.get("code"), fc.RECORD)
        field_ = {fc.PAIN_BEFORE: "pain_before", fc.PAIN_AFTER: "pain_after"}.get(record or "")
        if field_ is None:
            part.used = False
            continue
        value = (part.resource.get("valueQuantity") or {}).get("value")
        out[field_] = reader.integer(value, f"{part.path}.valueQuantity.value")
    return _with_note(resource, out)


SCORES = frozenset({fc.ODI_SCORE[0], fc.STARTBACK_TOTAL[0]})
READERS = {
    "screenings": _screening,
    "clearances": _clearance,
    "assessments": _assessment,
    "sessions": _session,
    "diary": _diary,
}
