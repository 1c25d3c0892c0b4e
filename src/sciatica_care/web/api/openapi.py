"""What /openapi.json says beyond FastAPI's own: the error answers, and the entries one may POST.

Every error the API answers is one `Problem` (see `web.app`'s handlers): `problem_responses()`
documents the ones an operation can give. An entry's request body is its history@1 record with
what the service adds (`services.records.KINDS` and `ACTIONS`): the date may be left out (today)
and is never after today, nor before 1900.
"""

import copy
from typing import Any

from sciatica_care.domain.codes import FINDING_CODES
from sciatica_care.domain.history_checks import EARLIEST_DATE, LATEST_DATE
from sciatica_care.domain.holds import HOLD_REASONS, OVERRIDE_REASONS
from sciatica_care.domain.protocol import Protocol
from sciatica_care.services.clients import FIRST_BIRTH_YEAR, MAX_EMAIL, MAX_NAME, MAX_SEX
from sciatica_care.services.entries import MAX_REASON
from sciatica_care.services.records import ACTIONS, KINDS, MAX_TEXT
from sciatica_care.web.api.schemas import Problem

# The largest id the `{name:id}` path convertor routes (`services.ids.ID_PATTERN`, 18 digits).
ID_MAX = 10**18 - 1

# Each kind of entry, the history@1 record type it is one of, and one of it in words.
RECORD = {
    "screenings": "Screening",
    "clearances": "Clearance",
    "outcomes": "Outcome",
    "examinations": "Examination",
    "episodes": "EpisodeStart",
    "assessments": "Assessment",
    "sessions": "Session",
    "diary": "DiaryEntry",
}
ONE = {
    "screenings": "a screening",
    "clearances": "a physician's clearance",
    "outcomes": "the outcome of an emergency or urgent finding",
    "examinations": "a neurological examination",
    "episodes": "the start of a new episode of sciatica",
    "assessments": "an assessment",
    "sessions": "a session note",
    "diary": "a diary entry",
}
WHEN = {
    400: "The body could not be read as JSON (FastAPI's parser: not UTF-8, say).",
    401: "No valid bearer token or browser session: sign in.",
    403: "Your role may not do this, or a browser session's write lacks its CSRF token.",
    404: "No such client, or not one you may see (the same answer for both).",
    413: "The body is larger than the app takes (`web.body_limit`), refused unread.",
    422: "The input is not valid: `problems` lists every problem with its field's path.",
    503: "SQLite stayed busy with another writer past its timeout: nothing was saved; send it"
    " again after `Retry-After` seconds.",
}
ENTRY_DATE = (
    f"The entry's day, YYYY-MM-DD, from {EARLIEST_DATE.isoformat()} to today (the clinic's date);"
    " today when left out."
)
RECORD_DATE = (
    f"YYYY-MM-DD, from {EARLIEST_DATE.isoformat()} to the plan's `today` (the document's own,"
    " else the server's)."
)
# What `services.clients.client_problems` holds a new client's fields to (it answers 422 by field).
CLIENT_FIELDS = {
    "name": f"Not blank, at most {MAX_NAME} characters, no control characters (kept trimmed).",
    "birth_year": f"From {FIRST_BIRTH_YEAR} to this year.",
    "sex": f"As the client describes it: at most {MAX_SEX} characters, no control characters.",
    "email": f"An address like name@example.org, at most {MAX_EMAIL} characters.",
    "consent_to_share": "The client agrees to share their records with their doctor.",
}
PLAN_DAY = (
    f"The day to plan for, YYYY-MM-DD, from {EARLIEST_DATE.isoformat()} to"
    f" {LATEST_DATE.isoformat()}; the server's today when left out."
)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI `responses` of these error statuses, each answered as a `Problem`."""
    return {status: {"model": Problem, "description": WHEN[status]} for status in statuses}


def request_name(kind: str) -> str:
    """The OpenAPI name of the request body that adds one `kind` entry."""
    return f"New{RECORD[kind]}"


def complete(schema: dict[str, Any], protocol: Protocol) -> None:
    """Adds the entries' request bodies, states the date ranges, drops FastAPI's own 422 shape."""
    components = schema["components"]["schemas"]
    for kind in KINDS:
        components[request_name(kind)] = _entry_request(components, kind, protocol)
    _state_record_dates(components)
    for name, description in CLIENT_FIELDS.items():
        field = components["NewClient"]["properties"][name]
        field["description"] = description
    _state_path_ids(schema)
    for operations in schema["paths"].values():
        for operation in operations.values():
            answers = operation.get("responses", {})
            # FastAPI adds its own 422 to routes with parameters; the app never answers that
            # shape, and a route that can answer 422 declares it with `problem_responses`.
            if _is_fastapi_422(answers.get("422")):
                del answers["422"]
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)


def _entry_request(components: dict[str, Any], kind: str, protocol: Protocol) -> dict[str, Any]:
    record: dict[str, Any] = copy.deepcopy(components[RECORD[kind]])
    record["title"] = request_name(kind)
    record["description"] = f"{ONE[kind].capitalize()} to store. {record.get('description', '')}"
    record["required"] = [name for name in record.get("required", []) if name != "date"]
    if not record["required"]:
        del record["required"]
    properties = record["properties"]
    properties["date"] = {**properties["date"], "description": ENTRY_DATE}
    text = {"anyOf": [{"type": "string", "maxLength": MAX_TEXT}, {"type": "null"}]}
    for name in KINDS[kind].texts:
        properties[name] = {**text, "description": f"The SOAP note's {name} part."}
    extras = {
        "signs": {
            "anyOf": [
                {"type": "array", "items": {"enum": sorted(FINDING_CODES)}},
                {"type": "null"},
            ],
            "description": "Red-flag signs reported now: a serious one raises the answer's alert.",
        },
        "override": {
            "anyOf": [{"enum": _precautions(protocol)}, {"type": "null"}],
            "description": "A precaution (class modify) lifted for this session; needs a reason.",
        },
        "reason": {
            "anyOf": [{"type": "string", "maxLength": MAX_REASON}, {"type": "null"}],
            "description": "Why the precaution is lifted, in words (with `override` only): who "
            "confirmed what. The client's wish alone is refused.",
        },
        "reason_code": {
            "anyOf": [{"enum": sorted(OVERRIDE_REASONS)}, {"type": "null"}],
            "description": "The clinical reason the precaution is lifted (with `override`, "
            "required then).",
        },
        "on_hold_reason": {
            "anyOf": [{"enum": sorted(HOLD_REASONS)}, {"type": "null"}],
            "description": "Required while the client's plan holds massage, refused otherwise: "
            "why this note is written. Under an open emergency or urgent finding only "
            "`no_massage`, with no techniques, is taken.",
        },
        "on_hold_note": {
            "anyOf": [{"type": "string", "maxLength": MAX_REASON}, {"type": "null"}],
            "description": "The on-hold reason in words (with `on_hold_reason`).",
        },
    }
    for name in ACTIONS.get(kind, ()):
        properties[name] = extras[name]
    return record


def _precautions(protocol: Protocol) -> list[str]:
    return sorted(
        code for code, rule in protocol.findings.items() if rule.finding_class == "modify"
    )


def _state_record_dates(components: dict[str, Any]) -> None:
    """The history@1 records' dates, as `POST /plan` checks them."""
    for name in ("History", *RECORD.values()):
        properties = components[name]["properties"]
        if name == "History":
            properties["today"] = {**properties["today"], "description": PLAN_DAY}
        else:
            properties["date"] = {**properties["date"], "description": RECORD_DATE}


def _state_path_ids(schema: dict[str, Any]) -> None:
    """A `{name:id}` path segment takes 1 to 18 digits; any other path is not found (404)."""
    for operations in schema["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"].endswith("_id"):
                    parameter["schema"] = {**parameter["schema"], "minimum": 0, "maximum": ID_MAX}


def _is_fastapi_422(answer: dict[str, Any] | None) -> bool:
    if answer is None:
        return False
    content = answer.get("content", {}).get("application/json", {})
    return bool(content.get("schema", {}).get("$ref", "").endswith("/HTTPValidationError"))
