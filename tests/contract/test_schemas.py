"""The shipped JSON Schemas stay in step with the code, the examples and the engine's output."""

import json
from datetime import date
from typing import Any

import jsonschema
import pytest

from sciatica_care.engine import plan_history, plan_json
from sciatica_care.json_schemas import NAMES, generated_schema, schema_text, shipped_path
from tests.paths import EXAMPLE, shared_dir


def validator(name: str) -> jsonschema.Draft202012Validator:
    """A strict validator of the shipped schema `name`."""
    schema = json.loads(shipped_path(name).read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("name", NAMES)
def test_shipped_schema_matches_the_record_types(name: str) -> None:
    assert shipped_path(name).read_text() == schema_text(generated_schema(name)), (
        "run: .venv/bin/python -m sciatica_care.json_schemas"
    )


def example_histories() -> list[tuple[str, Any, str | None]]:
    """The shipped example and every public scenario history with its `today`."""
    cases: list[tuple[str, Any, str | None]] = [("example", json.loads(EXAMPLE.read_text()), None)]
    for path in sorted((shared_dir() / "scenarios").glob("*.json")):
        scenario = json.loads(path.read_text())
        if "history" in scenario and "expect" in scenario:
            cases.append((path.name, scenario["history"], scenario.get("today")))
    return cases


def test_examples_and_their_plans_validate_against_the_schemas() -> None:
    history_schema, plan_schema = validator("history"), validator("plan")
    for _, history, today in example_histories():
        assert list(history_schema.iter_errors(history)) == []
        dated = {**history, "today": today} if today else history
        plan = plan_history(json.dumps(dated), system_today=date(2026, 12, 31))
        assert list(plan_schema.iter_errors(json.loads(plan_json(plan)))) == []


def test_the_history_schema_refuses_what_the_engine_refuses() -> None:
    history_schema = validator("history")
    bad = {"assessments": [{"date": "2026-01-01", "leg_pain": 11}]}
    assert not history_schema.is_valid(bad)
    assert not history_schema.is_valid({"assesments": []})


def test_every_free_text_field_of_a_history_has_a_max_length() -> None:
    defs = json.loads(shipped_path("history").read_text())["$defs"]
    limits = {
        (name, field): spec["anyOf"][0].get("maxLength")
        for name, record in defs.items()
        for field, spec in record.get("properties", {}).items()
        if field in ("note", "by", "sex")
    }
    assert limits[("DiaryEntry", "note")] == 10_000
    assert limits[("Finding", "note")] == 2_000
    assert limits[("Clearance", "by")] == 200
    assert limits[("Client", "sex")] == 40
    assert None not in limits.values(), limits
