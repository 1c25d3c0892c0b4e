"""The published JSON Schemas of history@1 and plan@1, generated from the record types.

`python -m sciatica_care.json_schemas` rewrites the shipped files; a test keeps them in step.
"""

from pathlib import Path
from typing import Any

import msgspec

from sciatica_care.domain.history import HISTORY_SCHEMA, History
from sciatica_care.domain.plan import PLAN_SCHEMA, CarePlan

_TYPES: dict[str, tuple[type, str, str]] = {
    "history": (
        History,
        HISTORY_SCHEMA,
        "One client's history: screenings, clearances, assessments, sessions and pain diary. "
        "Dates must not fall after `today`.",
    ),
    "plan": (
        CarePlan,
        PLAN_SCHEMA,
        "A care plan: triage, massage, cadence, progress, nerve-root hint, complementary "
        "therapies, self-care and reviews, each item naming the protocol rule behind it.",
    ),
}
NAMES = tuple(_TYPES)


def generated_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of `history` or `plan`, generated from the record types."""
    record_type, tag, description = _TYPES[name]
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": tag,
        "title": tag,
        "description": description,
    }
    schema.update(msgspec.json.schema(record_type))
    return schema


def schema_text(schema: dict[str, Any]) -> str:
    """A schema as the shipped file holds it."""
    return msgspec.json.format(msgspec.json.encode(schema), indent=2).decode() + "\n"


def shipped_path(name: str) -> Path:
    """Where the shipped schema file lives."""
    return Path(__file__).parent / "schemas" / f"{name}.schema.json"


def main() -> None:
    """Rewrite the shipped schema files from the record types."""
    for name in NAMES:
        shipped_path(name).write_text(schema_text(generated_schema(name)), encoding="utf-8")
        print(f"wrote {shipped_path(name)}")


if __name__ == "__main__":
    main()
