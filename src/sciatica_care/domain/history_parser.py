"""Turn the bytes of a history@1 document into records, or into the list of its problems.

The fast path decodes straight into the records. Anything it refuses goes to the thorough check,
which lists every problem with its path; a document whose only faults are unknown fields (ignored,
with a warning) or null lists (read as empty) is then read leniently.
"""

from datetime import date
from operator import attrgetter
from typing import Any

import msgspec

from sciatica_care.domain import history as records
from sciatica_care.domain.history import History
from sciatica_care.domain.history_checks import (
    EARLIEST_DATE,
    LATEST_DATE,
    check_document,
    parse_date,
)

_DECODER = msgspec.json.Decoder(History)
_DATE = attrgetter("date")
_ESCAPES = (b"\\u", b"\\b", b"\\f")
_UNREADABLE = (msgspec.DecodeError, UnicodeDecodeError, RecursionError)
# Record fields that hold records, for dropping unknown keys and null lists.
_CHILDREN: dict[type, dict[str, type]] = {
    History: {
        "client": records.Client,
        "screenings": records.Screening,
        "clearances": records.Clearance,
        "outcomes": records.Outcome,
        "examinations": records.Examination,
        "episodes": records.EpisodeStart,
        "assessments": records.Assessment,
        "sessions": records.Session,
        "diary": records.DiaryEntry,
    },
    records.Screening: {"findings": records.Finding},
    records.Clearance: {"conditions": records.Conditions},
    records.Assessment: {"regions": records.Regions},
}


class HistoryProblems(ValueError):
    """A history that cannot be planned, with every problem and its JSON path."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def parse_history(
    raw: bytes | str,
    *,
    today: date | None,
    system_today: date,
    warnings: list[str] | None = None,
) -> History:
    """Decode and check a history; `today` overrides the document's, which overrides the system's.

    The returned history's `today` is the date the plan is made for. Unknown fields are ignored
    and reported in `warnings`.
    """
    try:
        history = _DECODER.decode(raw)
    except _UNREADABLE:
        history = _lenient(raw, today, system_today, warnings)
    as_of = today or history.today or system_today
    if (
        _out_of_range(history, as_of)
        or _may_hold_controls(raw)
        or _answered_both(history)
        or _expiry_out_of_range(history)
        or _episodes_out_of_range(history, as_of)
    ):
        history = _lenient(raw, today, system_today, warnings)
    if history.today != as_of:
        history = msgspec.structs.replace(history, today=as_of)
    return history


def _answered_both(history: History) -> bool:
    """Whether a screening answers an item both yes and no (the thorough check names it)."""
    for screening in history.screenings:
        if screening.negatives and set(screening.negatives) & {
            records.finding_code(f) for f in screening.findings
        }:
            return True
    return False


def _expiry_out_of_range(history: History) -> bool:
    """Whether a clearance expires out of the usable range, or before its own date."""
    return any(
        c.expires is not None and not (max(c.date, EARLIEST_DATE) <= c.expires <= LATEST_DATE)
        for c in history.clearances
    )


def _episodes_out_of_range(history: History, today: date) -> bool:
    """Whether an episode starts out of range, or its onset is after its start."""
    return any(
        not EARLIEST_DATE <= e.date <= today
        or (e.onset is not None and not EARLIEST_DATE <= e.onset <= e.date)
        for e in history.episodes
    )


def _may_hold_controls(raw: bytes | str) -> bool:
    """Whether a document may carry a control character the fast decoder lets through.

    JSON carries one only escaped (`\\u0001`, `\\b`, `\\f`) or, for DEL, as itself; a document
    holding any of those goes to the thorough check.
    """
    text = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    if b"\x7f" in text:
        return True
    # One single-byte scan first: most documents hold no backslash at all (about 20x faster
    # than looking for each two-byte escape across the whole document).
    return b"\\" in text and any(mark in text for mark in _ESCAPES)


def _lenient(
    raw: bytes | str, today: date | None, system_today: date, warnings: list[str] | None
) -> History:
    """The thorough path: every problem, or the history read without its unknown fields."""
    try:
        document = msgspec.json.decode(raw)
    except msgspec.DecodeError as error:
        raise HistoryProblems([f"$: not valid JSON: {error}"]) from None
    except UnicodeDecodeError as error:
        raise HistoryProblems(
            [f"$: not valid JSON: not UTF-8 text at byte {error.start}"]
        ) from None
    except RecursionError:
        raise HistoryProblems(["$: not valid JSON: nested too deeply"]) from None
    as_of = today
    if as_of is None and isinstance(document, dict):
        as_of = parse_date(document.get("today"))
    problems, unknown = check_document(document, as_of or system_today)
    if problems:
        raise HistoryProblems(problems)
    if warnings is not None:
        warnings.extend(unknown)
    try:
        return msgspec.convert(_known(document, History), History)
    except msgspec.ValidationError as error:  # the two checks disagree: refuse, never guess
        raise HistoryProblems([f"$: {error}"]) from None


def known_entry(kind: str, entry: dict[str, Any]) -> dict[str, Any]:
    """One checked `kind` record as the planner reads it: null lists dropped at every depth."""
    known: dict[str, Any] = _known({kind: [entry]}, History)[kind][0]
    return known


def _known(value: Any, record_type: type) -> Any:
    """A JSON object with only the record's fields, null lists dropped, children likewise."""
    if not isinstance(value, dict):
        return value
    fields = record_type.__struct_fields__  # type: ignore[attr-defined]
    children = _CHILDREN.get(record_type, {})
    known = {key: item for key, item in value.items() if key in fields}
    for key, item in list(known.items()):
        if item is None and key in children | _LISTS.get(record_type, {}):
            del known[key]
        elif key in children:
            child = children[key]
            known[key] = (
                [_known(v, child) for v in item] if isinstance(item, list) else _known(item, child)
            )
    return known


_LISTS: dict[type, dict[str, type]] = {
    records.Finding: {"regions": list},
    records.Regions: {"pain": list, "numbness": list, "tingling": list},
    records.Session: {"techniques": list, "areas": list},
    records.DiaryEntry: {"self_care": list},
    records.Conditions: {"avoid_techniques": list, "avoid_regions": list},
    records.Examination: dict.fromkeys(
        ("power", "reflexes", "sensation", "slr", "crossed_slr", "femoral_stretch"), dict
    ),
}


def _out_of_range(history: History, today: date) -> bool:
    """Whether a decoded history holds what its types cannot refuse: dates out of range."""
    if not EARLIEST_DATE <= today <= LATEST_DATE:
        return True
    client = history.client
    if client and client.birth_year is not None and client.birth_year > today.year:
        return True
    kinds = (
        history.sessions,
        history.diary,
        history.screenings,
        history.clearances,
        history.outcomes,
        history.examinations,
        history.assessments,
    )
    return any(
        max(map(_DATE, kind)) > today or min(map(_DATE, kind)) < EARLIEST_DATE
        for kind in kinds
        if kind
    )
