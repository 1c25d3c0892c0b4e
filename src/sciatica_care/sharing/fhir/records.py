"""Reading a FHIR Bundle: decoding, the entries, references, and one reader per record."""

import codecs
from dataclasses import dataclass
from datetime import date
from typing import Any

import msgspec

from sciatica_care.domain.codes import LAYERS
from sciatica_care.sharing.fhir import codes as fc

MAX_DEPTH = 64  # the exporter's Bundles are about 10 levels deep


class FhirProblems(Exception):
    """The Bundle cannot be read; every problem names its JSON path."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def decode(raw: bytes) -> Any:
    """The JSON value of a UTF-8 file; FhirProblems if it is not UTF-8 JSON of a sane depth."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FhirProblems(["$: must be UTF-8 text, this file is UTF-16"])
    try:
        text = raw.removeprefix(codecs.BOM_UTF8).decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - raw.rfind(b"\n", 0, error.start)
        raise FhirProblems([f"line {line}, column {column}: not UTF-8 text"]) from None
    try:
        value = msgspec.json.decode(text)
    except msgspec.DecodeError as error:
        raise FhirProblems([f"$: not valid JSON: {error}"]) from None
    except RecursionError:
        raise FhirProblems([f"$: nested too deeply (at most {MAX_DEPTH} levels)"]) from None
    _check_depth(value)
    return value


def _check_depth(value: Any) -> None:
    stack: list[tuple[Any, str, int]] = [(value, "$", 0)]
    while stack:
        item, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise FhirProblems([f"{path}: nested too deeply (at most {MAX_DEPTH} levels)"])
        if isinstance(item, dict):
            stack += [(v, f"{path}.{k}", depth + 1) for k, v in item.items() if _nests(v)]
        elif isinstance(item, list):
            stack += [(v, f"{path}[{i}]", depth + 1) for i, v in enumerate(item) if _nests(v)]


def _nests(value: Any) -> bool:
    return isinstance(value, dict | list)


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
        self.problems: list[str] = []
        for entry in entries:
            kind, rid = entry.resource["resourceType"], entry.resource.get("id")
            keys = [f"{kind}/{rid}"] if isinstance(rid, str) else []
            keys += [] if entry.full_url is None else [entry.full_url]
            twice = [key for key in keys if key in self.by_ref]
            if twice:
                first = self.by_ref[twice[0]].path
                self.problems.append(f"{entry.path}: {twice[0]} is given twice (also {first})")
            for key in keys:
                self.by_ref.setdefault(key, entry)

    def resolve(self, value: Any) -> Entry | None:
        """The entry a Reference points at, if it points at one of the Bundle."""
        target = value.get("reference") if isinstance(value, dict) else None
        return self.by_ref.get(target) if isinstance(target, str) else None

    def follow(self, value: Any, path: str) -> Entry | None:
        """The entry a Reference points at (marked as read), or a problem at `path`."""
        found = self.resolve(value)
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


def _with_note(reader: Reader, entry: Entry, out: dict[str, Any]) -> dict[str, Any]:
    """`out` with the resource's notes (Annotations) as one text; a problem if misshapen."""
    notes = entry.resource.get("note")
    if notes is None:
        return out
    if not isinstance(notes, list):
        reader.problems.append(f"{entry.path}.note: must be a list of Annotations")
        return out
    texts = []
    for index, note in enumerate(notes):
        text = note.get("text") if isinstance(note, dict) else None
        if not isinstance(text, str):
            reader.problems.append(f"{entry.path}.note[{index}]: must be an Annotation with text")
        else:
            texts.append(text)
    if texts:
        out["note"] = "\n".join(texts)
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
        found = _with_note(reader, part, {"code": code} | ({"regions": regions} if regions else {}))
        findings.append(found if len(found) > 1 else code)
    day = reader.date(entry.resource, "effectiveDateTime", entry.path)
    return _with_note(reader, entry, {"date": day, "findings": findings})


def _clearance(reader: Reader, entry: Entry, parts: list[Entry]) -> dict[str, Any]:
    resource = entry.resource
    out: dict[str, Any] = {"date": reader.date(resource, "effectiveDateTime", entry.path)}
    if "valueCodeableConcept" in resource:
        out["finding"] = fc.code_in(resource["valueCodeableConcept"], fc.FINDING)
        if out["finding"] is None:
            where = f"{entry.path}.valueCodeableConcept"
            reader.problems.append(f"{where}: needs a coding of {fc.FINDING}")
    by = [p.get("display") for p in resource.get("performer", []) if isinstance(p, dict)]
    if by:
        out["by"] = by[0]
    for extension in resource.get("extension", []):
        if isinstance(extension, dict) and extension.get("url") == fc.EXT_CLEARED_BY_ROLE:
            out["role"] = extension.get("valueString")
    return _with_note(reader, entry, out)


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
    seen: set[str] = set()
    for index, item in enumerate(member.resource.get("item", [])):
        path = f"{member.path}.item[{index}]"
        link = item.get("linkId")
        if not (isinstance(link, str) and link.isdigit() and 1 <= int(link) <= count):
            reader.problems.append(f"{path}.linkId: must be an item number 1..{count}")
            continue
        if link in seen:
            reader.problems.append(f"{path}.linkId: item {link} is answered twice")
        seen.add(link)
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
        elif record.removeprefix("body-map-") in LAYERS:
            concepts = [c.get("code") for c in part.get("component", [])]
            layer = record.removeprefix("body-map-")
            regions[layer] = _codes(reader, concepts, fc.REGION, f"{member.path}.component")
        elif fc.code_in(part.get("code"), fc.LOINC) not in SCORES:
            member.used = False  # not a part of an assessment: reported as skipped
    if regions:
        out["regions"] = regions
    return _with_note(reader, entry, out)


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
    return _with_note(reader, entry, out)


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
    return _with_note(reader, entry, out)


SCORES = frozenset({fc.ODI_SCORE[0], fc.STARTBACK_TOTAL[0]})
READERS = {
    "screenings": _screening,
    "clearances": _clearance,
    "assessments": _assessment,
    "sessions": _session,
    "diary": _diary,
}
