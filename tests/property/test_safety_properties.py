"""Safety properties of the engine over generated histories."""

import json
from typing import Any

import jsonschema
import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sciatica_care.domain.history_checks import document_problems
from sciatica_care.domain.history_parser import HistoryProblems
from sciatica_care.engine import default_protocol, plan_history, plan_json
from sciatica_care.json_schemas import generated_schema
from tests.property.strategies import TODAY, Json, broken_histories, histories

EMERGENCY = {c for c, f in default_protocol().findings.items() if f.finding_class == "emergency"}
URGENT = {c for c, f in default_protocol().findings.items() if f.finding_class == "urgent"}
BELOW_BUTTOCK = ("thigh", "knee", "calf", "foot", "toe", "sole", "heel")
PLAN_VALIDATOR = jsonschema.Draft202012Validator(
    generated_schema("plan"), format_checker=jsonschema.FormatChecker()
)
MANY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def plan_of(history: Json) -> dict[str, Any]:
    """The plan of a JSON history as a plain JSON value."""
    plan = plan_history(json.dumps(history), system_today=TODAY)
    value: dict[str, Any] = msgspec.json.decode(plan_json(plan))
    return value


def current_codes(history: Json) -> set[str]:
    """The finding codes of the latest screening date."""
    screenings = history.get("screenings", [])
    if not screenings:
        return set()
    latest = max(s["date"] for s in screenings)
    return {
        f if isinstance(f, str) else f["code"]
        for s in screenings
        if s["date"] == latest
        for f in s["findings"]
    }


def latest_marks(history: Json) -> list[str]:
    """Every mark of the latest assessment that marks a region."""
    latest: list[str] = []
    latest_date = ""
    for assessment in history.get("assessments", []):
        marks = [r for layer in assessment.get("regions", {}).values() for r in layer]
        if marks and assessment["date"] >= latest_date:
            latest, latest_date = marks, assessment["date"]
    return latest


def body_map_emergency(history: Json) -> bool:
    """A saddle mark, or marks below the buttock on both sides."""
    marks = latest_marks(history)
    below = [m for m in marks if any(part in m for part in BELOW_BUTTOCK)]
    both = any(m.endswith("_left") for m in below) and any(m.endswith("_right") for m in below)
    return "saddle" in marks or both


def rules_in(value: object) -> list[object]:
    """Every `rule` value anywhere in a plan."""
    if isinstance(value, dict):
        own = [value["rule"]] if "rule" in value else []
        return own + [r for v in value.values() for r in rules_in(v)]
    if isinstance(value, list):
        return [r for v in value for r in rules_in(v)]
    return []


@MANY
@given(histories)
def test_emergency_or_urgent_signs_always_hold_massage(history: Json) -> None:
    plan = plan_of(history)
    codes = current_codes(history)
    if codes & EMERGENCY or body_map_emergency(history):
        assert plan["triage"]["level"] == "emergency"
    elif codes & URGENT:
        # A combination (cancer with a nerve sign) can raise it to an emergency.
        assert plan["triage"]["level"] in {"urgent", "emergency"}
    else:
        return
    assert plan["massage"]["status"] == "on_hold"
    assert plan["massage"]["techniques"] == []
    assert plan["cadence"]["next_session"] is None
    assert {c["stance"] for c in plan["complementary"]} == {"on_hold"}


@given(histories)
def test_without_a_screening_massage_always_waits_whatever_else_is_known(history: Json) -> None:
    # An age precaution or a body-map mark must never stand in for the screening not yet done.
    if history.get("screenings"):
        return
    plan = plan_of(history)
    assert plan["triage"]["level"] not in {"clear", "precautions"}
    assert plan["massage"]["status"] == "on_hold"
    assert plan["massage"]["techniques"] == []


@MANY
@given(histories)
def test_an_open_emergency_or_urgent_finding_holds_everything_but_the_safety_net(
    history: Json,
) -> None:
    plan = plan_of(history)
    if not any(f["level"] in {"emergency", "urgent"} for f in plan["triage"]["findings"]):
        return
    assert plan["triage"]["level"] in {"emergency", "urgent"}
    assert plan["massage"]["status"] == "on_hold"
    assert plan["massage"]["techniques"] == []
    assert plan["cadence"]["next_session"] is None
    assert plan["self_care"] == []
    assert [r["code"] for r in plan["review"]] == ["safety_net"]


@MANY
@given(histories)
def test_no_clearance_without_a_named_clinician_lifts_anything(history: Json) -> None:
    unnamed = [c for c in history.get("clearances", []) if not c.get("by", "").strip()]
    if not unnamed:
        return
    without = {**history, "clearances": [c for c in history["clearances"] if c not in unnamed]}
    plan, plain = plan_of(history), plan_of(without)
    for part in ("triage", "massage", "cadence", "complementary", "self_care"):
        assert plan[part] == plain[part]


@MANY
@given(histories)
def test_every_plan_item_names_a_rule_of_the_protocol(history: Json) -> None:
    plan = plan_of(history)
    known = set(default_protocol().rules) | {"triage.cleared"}
    for part in ("triage", "cadence", "progress", "nerve_root", "centralisation"):
        assert plan[part]["rule"] in known
    for part in ("complementary", "self_care", "review", "session_response"):
        assert all(item["rule"] in known for item in plan[part])
    assert all(item["rule"] in known for item in plan["triage"]["findings"])
    assert all(reason["rule"] in known for reason in plan["massage"]["reasons"])
    assert plan["massage"]["reasons"]
    assert set(rules_in(plan)) <= known


@MANY
@given(histories)
def test_the_same_history_always_gives_the_same_bytes(history: Json) -> None:
    text = json.dumps(history)
    first = plan_json(plan_history(text, system_today=TODAY))
    again = plan_json(plan_history(text.encode(), system_today=TODAY))
    assert first == again


@MANY
@given(histories)
def test_every_plan_validates_against_the_plan_schema(history: Json) -> None:
    assert list(PLAN_VALIDATOR.iter_errors(plan_of(history))) == []


@MANY
@given(histories)
def test_valid_histories_pass_the_thorough_check_too(history: Json) -> None:
    assert document_problems(history, TODAY) == []


@MANY
@given(broken_histories())
def test_a_broken_history_is_refused_naming_its_path(case: tuple[Json, str]) -> None:
    history, path = case
    with pytest.raises(HistoryProblems) as refused:
        plan_history(json.dumps(history), system_today=TODAY)
    assert any(problem.startswith(path) for problem in refused.value.problems), (
        refused.value.problems
    )
    assert document_problems(history, TODAY)


@MANY
@given(histories)
def test_unknown_fields_are_ignored_with_a_warning_and_change_nothing(history: Json) -> None:
    plain = plan_json(plan_history(json.dumps(history), system_today=TODAY))
    extended = {**history, "source_system": "x", "client": {**history.get("client", {}), "id": 7}}
    for entry in extended.get("assessments", []):
        entry["leg_pian"] = 4
    warnings: list[str] = []
    noted = plan_json(plan_history(json.dumps(extended), system_today=TODAY, warnings=warnings))
    assert noted == plain
    assert "source_system: unknown field, ignored" in warnings
    assert "client.id: unknown field, ignored" in warnings


@MANY
@given(histories)
def test_null_lists_read_as_empty(history: Json) -> None:
    nulled = {**history, **{key: None for key in ("screenings", "diary") if not history.get(key)}}
    assert plan_json(plan_history(json.dumps(nulled), system_today=TODAY)) == plan_json(
        plan_history(json.dumps(history), system_today=TODAY)
    )


_CONTROLS = st.sampled_from(
    [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)]
)


@MANY
@given(
    st.sampled_from(["diary", "assessments", "sessions", "screenings", "clearances"]),
    st.text(max_size=30),
    _CONTROLS,
    st.text(max_size=30),
)
def test_any_note_holding_a_control_character_is_refused_with_its_path(
    kind: str, before: str, control: str, after: str
) -> None:
    entry: dict[str, Any] = {"date": TODAY.isoformat(), "note": before + control + after}
    if kind == "clearances":
        entry["finding"] = "pregnancy"
    with pytest.raises(HistoryProblems) as refused:
        plan_history(json.dumps({kind: [entry]}), system_today=TODAY)
    assert f"{kind}[0].note: must not hold control characters" in refused.value.problems[0]


@MANY
@given(histories)
def test_no_focus_area_lies_over_a_region_to_avoid(history: Json) -> None:
    plan = plan_of(history)
    protocol = default_protocol()
    massage = plan["massage"]

    over = {area for region in massage["avoid_regions"] for area in protocol.areas_over[region]}
    assert not over & set(massage["focus_areas"])
    if massage["avoid_regions"] and over & area_candidates(history):
        assert "massage.avoid_focus_area" in {r["rule"] for r in massage["reasons"]}


def area_candidates(history: Json) -> set[str]:
    """The areas the plan starts from: the last session's, or the default."""
    sessions = history.get("sessions", [])
    default = set(default_protocol().rule("massage.focus_default").words("areas"))
    if not sessions:
        return default
    last = max(s["date"] for s in sessions)
    latest = [s for s in sessions if s["date"] == last][-1]
    return set(latest.get("areas") or ()) or default


@MANY
@given(histories)
def test_no_spinal_manipulation_is_offered_alongside_a_contraindication(history: Json) -> None:
    plan = plan_of(history)
    against = set(
        default_protocol().rule("complementary.spinal_manipulation").words("contraindications")
    )
    on_record = {f["code"] for f in plan["triage"]["findings"]} | current_codes(history)
    (manipulation,) = [c for c in plan["complementary"] if c["therapy"] == "spinal_manipulation"]

    if on_record & against:
        assert manipulation["stance"] in {"not_recommended", "on_hold"}
