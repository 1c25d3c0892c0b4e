"""The thorough check of a history@1 document: every problem, each with its JSON path.

It reads the plain JSON value (dicts, lists, scalars) and never stops at the first problem. The
fast decoder in `history_parser` is tried first; this check names the problems when it refuses.
"""

from collections.abc import Callable, Mapping
from datetime import date

import msgspec

from sciatica_care.domain.codes import (
    AREAS,
    DERIVED_CODES,
    DERMATOMES,
    FINDING_CODES,
    MYOTOMES,
    OUTCOME_RESULTS,
    PRESSURES,
    REFLEX_FINDINGS,
    REFLEX_SITES,
    REGIONS,
    SCREENING_SOURCES,
    SELF_CARE_ITEMS,
    SENSATION_FINDINGS,
    SIDES,
    TECHNIQUES,
    TENSION_SIGNS,
)
from sciatica_care.domain.history import (
    EARLIEST_BIRTH_YEAR,
    HISTORY_SCHEMA,
    MAX_ACTIVE_MINUTES,
    MAX_BY,
    MAX_FINDING_NOTE,
    MAX_NOTE,
    MAX_SESSION_MINUTES,
    MAX_SEX,
)
from sciatica_care.domain.text import control_problem

Check = Callable[[object, str, list[str]], None]
UNKNOWN_FIELD = "unknown field, ignored"
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(9000, 12, 31)


def shown(value: object) -> str:
    """A value as JSON, cut short for an error message."""
    text = msgspec.json.encode(value).decode()
    return text if len(text) <= 40 else text[:37] + "..."


def _int_range(low: int, high: int) -> Check:
    def check(value: object, path: str, problems: list[str]) -> None:
        ok = isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
        if value is not None and not ok:
            problems.append(f"{path}: must be an integer {low}..{high}, got {shown(value)}")

    return check


def _one_of(values: tuple[str, ...], what: str) -> Check:
    allowed = frozenset(values)

    def check(value: object, path: str, problems: list[str]) -> None:
        if not (isinstance(value, str) and value in allowed):
            problems.append(f"{path}: must be {what}, got {shown(value)}")

    return check


def _text(limit: int, *, multiline: bool = True) -> Check:
    def check(value: object, path: str, problems: list[str]) -> None:
        if value is not None and not isinstance(value, str):
            problems.append(f"{path}: must be text, got {shown(value)}")
        elif value is not None and len(value) > limit:
            problems.append(f"{path}: must be at most {limit} characters, got {len(value)}")
        elif (problem := control_problem(path, value, multiline=multiline)) is not None:
            problems.append(problem)

    return check


def _flag(value: object, path: str, problems: list[str]) -> None:
    if value is not None and not isinstance(value, bool):
        problems.append(f"{path}: must be true or false, got {shown(value)}")


def _list_of(item: Check, length: int | None = None) -> Check:
    def check(value: object, path: str, problems: list[str]) -> None:
        if value is None and length is None:
            return  # a null list reads as an empty one
        if not isinstance(value, list):
            problems.append(f"{path}: must be a list, got {shown(value)}")
            return
        if length is not None and len(value) != length:
            problems.append(f"{path}: must have exactly {length} entries, got {len(value)}")
        for index, entry in enumerate(value):
            item(entry, f"{path}[{index}]", problems)

    return check


def _record(fields: Mapping[str, Check], required: tuple[str, ...] = ()) -> Check:
    def check(value: object, path: str, problems: list[str]) -> None:
        if not isinstance(value, dict):
            problems.append(f"{path}: must be an object, got {shown(value)}")
            return
        for key in required:
            if key not in value:
                problems.append(f"{path}.{key}: is required")
        for key, entry in value.items():
            field = fields.get(key)
            if field is None:
                problems.append(f"{path}.{key}: {UNKNOWN_FIELD}")
            else:
                field(entry, f"{path}.{key}", problems)

    return check


def _date_check(today: date | None) -> Check:
    def check(value: object, path: str, problems: list[str]) -> None:
        parsed = parse_date(value)
        if parsed is None:
            problems.append(f"{path}: must be a date YYYY-MM-DD (1900 to 9000), got {shown(value)}")
        elif today is not None and parsed > today:
            problems.append(f"{path}: is after today ({today.isoformat()}), got {value}")

    return check


def usable_date(day: date) -> bool:
    """Whether a stored date lies in the range every record and export can hold (1900 to 9000)."""
    return EARLIEST_DATE <= day <= LATEST_DATE


def parse_date(value: object) -> date | None:
    """An ISO YYYY-MM-DD date, or None when the value is not one."""
    if not (isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-"):
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        return None
    return parsed if EARLIEST_DATE <= parsed <= LATEST_DATE else None


def _schema_tag(value: object, path: str, problems: list[str]) -> None:
    if value != HISTORY_SCHEMA:
        problems.append(f"{path}: must be {shown(HISTORY_SCHEMA)}, got {shown(value)}")


def _document(today: date | None) -> Check:
    when = _date_check(today)
    pain = _int_range(0, 10)
    note = _text(MAX_NOTE)
    region_list = _list_of(_one_of(REGIONS, "a body-map region"))
    finding_code = _one_of(FINDING_CODES, "a finding code")
    finding_object = _record(
        {"code": finding_code, "regions": region_list, "note": _text(MAX_FINDING_NOTE)},
        required=("code",),
    )

    def finding(value: object, path: str, problems: list[str]) -> None:
        (finding_object if isinstance(value, dict) else finding_code)(value, path, problems)

    regions = _record({"pain": region_list, "numbness": region_list, "tingling": region_list})
    nullable_regions: Check = lambda v, p, out: None if v is None else regions(v, p, out)  # noqa: E731
    return _record(
        {
            "schema": _schema_tag,
            "today": lambda v, p, out: None if v is None else _date_check(None)(v, p, out),
            "client": lambda v, p, out: (
                None
                if v is None
                else _record(
                    {
                        "birth_year": _int_range(EARLIEST_BIRTH_YEAR, (today or date.max).year),
                        "sex": _text(MAX_SEX, multiline=False),
                    }
                )(v, p, out)
            ),
            "screenings": _list_of(
                _answered(
                    _record(
                        {
                            "date": when,
                            "findings": _list_of(finding),
                            "negatives": _list_of(finding_code),
                            "source": _one_of(SCREENING_SOURCES, "screening or check_in"),
                            "by": _text(MAX_BY, multiline=False),
                            "note": note,
                        },
                        required=("date",),
                    )
                )
            ),
            "clearances": _list_of(
                _expiring(
                    _record(
                        {
                            "date": when,
                            "finding": _nullable(finding_code),
                            "by": _text(MAX_BY, multiline=False),
                            "role": _text(MAX_BY, multiline=False),
                            "expires": _nullable(_date_check(None)),
                            "conditions": _nullable(
                                _record(
                                    {
                                        "max_pressure": _nullable(_one_of(PRESSURES, "a pressure")),
                                        "avoid_techniques": _list_of(
                                            _one_of(TECHNIQUES, "a technique")
                                        ),
                                        "avoid_regions": region_list,
                                    }
                                )
                            ),
                            "note": note,
                        },
                        required=("date",),
                    )
                )
            ),
            "outcomes": _list_of(
                _record(
                    {
                        "date": when,
                        "finding": _one_of(FINDING_CODES + DERIVED_CODES, "a finding code"),
                        "result": _one_of(OUTCOME_RESULTS, "excluded, treated or seen_no_action"),
                        "by": _text(MAX_BY, multiline=False),
                        "role": _text(MAX_BY, multiline=False),
                        "note": note,
                    },
                    required=("date", "finding", "result"),
                )
            ),
            "episodes": _list_of(
                _onset_first(
                    _record(
                        {"date": when, "onset": _nullable(when), "note": note},
                        required=("date",),
                    )
                )
            ),
            "examinations": _list_of(
                _record(
                    {
                        "date": when,
                        "power": _mapping(MYOTOMES, "a myotome", _strict_int_range(0, 5)),
                        "reflexes": _mapping(
                            REFLEX_SITES, "a reflex", _one_of(REFLEX_FINDINGS, "a reflex finding")
                        ),
                        "sensation": _mapping(
                            DERMATOMES, "a dermatome", _one_of(SENSATION_FINDINGS, "a sensation")
                        ),
                        "slr": _mapping(SIDES, "left or right", _one_of(TENSION_SIGNS, "a sign")),
                        "crossed_slr": _mapping(
                            SIDES, "left or right", _one_of(TENSION_SIGNS, "a sign")
                        ),
                        "femoral_stretch": _mapping(
                            SIDES, "left or right", _one_of(TENSION_SIGNS, "a sign")
                        ),
                        "by": _text(MAX_BY, multiline=False),
                        "note": note,
                    },
                    required=("date",),
                )
            ),
            "assessments": _list_of(
                _record(
                    {
                        "date": when,
                        "leg_pain": pain,
                        "back_pain": pain,
                        "odi": _nullable_list(_int_range(0, 5), 10),
                        "startback": _nullable_list(_strict_int_range(0, 1), 9),
                        "regions": nullable_regions,
                        "note": note,
                    },
                    required=("date",),
                )
            ),
            "sessions": _list_of(
                _record(
                    {
                        "date": when,
                        "techniques": _list_of(_one_of(TECHNIQUES, "a technique")),
                        "areas": _list_of(_one_of(AREAS, "a massage area")),
                        "pressure": _nullable(_one_of(PRESSURES, "a pressure")),
                        "minutes": _int_range(1, MAX_SESSION_MINUTES),
                        "pain_before": pain,
                        "pain_after": pain,
                        "note": note,
                    },
                    required=("date",),
                )
            ),
            "diary": _list_of(
                _record(
                    {
                        "date": when,
                        "leg_pain": pain,
                        "back_pain": pain,
                        "active_minutes": _int_range(0, MAX_ACTIVE_MINUTES),
                        "self_care": _list_of(_one_of(SELF_CARE_ITEMS, "a self-care item")),
                        "flare": _flag,
                        "note": note,
                    },
                    required=("date",),
                )
            ),
        }
    )


def expires_early(clearance: Mapping[str, object]) -> bool:
    """Whether a clearance's expiry comes before its own date."""
    day, ends = parse_date(clearance.get("date")), parse_date(clearance.get("expires"))
    return day is not None and ends is not None and ends < day


def _expiring(inner: Check) -> Check:
    """A clearance's own check, then: it does not expire before its date."""

    def check(value: object, path: str, problems: list[str]) -> None:
        inner(value, path, problems)
        if isinstance(value, dict) and expires_early(value):
            problems.append(f"{path}.expires: is before the clearance's date")

    return check


def _onset_first(inner: Check) -> Check:
    """An episode's own check, then: its symptoms began on or before its start."""

    def check(value: object, path: str, problems: list[str]) -> None:
        inner(value, path, problems)
        if isinstance(value, dict):
            start, onset = parse_date(value.get("date")), parse_date(value.get("onset"))
            if start is not None and onset is not None and onset > start:
                problems.append(f"{path}.onset: is after the episode's start")

    return check


def answered_both(screening: Mapping[str, object]) -> list[str]:
    """The codes a screening answers both yes (`findings`) and no (`negatives`)."""
    negatives = screening.get("negatives")
    findings = screening.get("findings")
    if not isinstance(negatives, list) or not isinstance(findings, list):
        return []
    yes = {f.get("code") if isinstance(f, dict) else f for f in findings}
    return [code for code in negatives if isinstance(code, str) and code in yes]


def _answered(inner: Check) -> Check:
    """A screening's own check, then: no item answered both yes and no."""

    def check(value: object, path: str, problems: list[str]) -> None:
        inner(value, path, problems)
        if isinstance(value, dict):
            for code in answered_both(value):
                problems.append(f"{path}.negatives: {code} is also among the findings (yes)")

    return check


def _mapping(keys: tuple[str, ...], what: str, value: Check) -> Check:
    """An object whose keys come from a closed set, each value checked."""
    allowed = frozenset(keys)

    def check(given: object, path: str, problems: list[str]) -> None:
        if given is None:
            return
        if not isinstance(given, dict):
            problems.append(f"{path}: must be an object, got {shown(given)}")
            return
        for key, entry in given.items():
            if key not in allowed:
                problems.append(f"{path}.{key}: must be {what}, got {shown(key)}")
            else:
                value(entry, f"{path}.{key}", problems)

    return check


def _nullable(check: Check) -> Check:
    return lambda v, p, out: None if v is None else check(v, p, out)


def _nullable_list(item: Check, length: int) -> Check:
    return _nullable(_list_of(item, length))


def _strict_int_range(low: int, high: int) -> Check:
    inner = _int_range(low, high)

    def check(value: object, path: str, problems: list[str]) -> None:
        if value is None:
            problems.append(f"{path}: must be an integer {low}..{high}, got null")
        else:
            inner(value, path, problems)

    return check


def check_document(document: object, today: date | None) -> tuple[list[str], list[str]]:
    """The problems and the warnings (unknown fields) of a decoded JSON document as a history@1."""
    found: list[str] = []
    _document(today)(document, "$", found)
    found = [item.removeprefix("$.") for item in found]
    warnings = [item for item in found if item.endswith(UNKNOWN_FIELD)]
    return [item for item in found if not item.endswith(UNKNOWN_FIELD)], warnings


def document_problems(document: object, today: date | None) -> list[str]:
    """Every problem of a decoded JSON document as a history@1, each with its path."""
    return check_document(document, today)[0]
