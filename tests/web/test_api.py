"""The JSON API: the stateless plan, records by kind, pagination, problems by path, red flags."""

import importlib.util
import json
from types import ModuleType

import pytest

from sciatica_care.db.database import make_engine, session_factory, transaction
from sciatica_care.services import accounts
from tests.paths import EXAMPLE, shared_dir
from tests.web.world import NOW, TODAY, World


def _scenario(name: str) -> dict[str, object]:
    data: dict[str, object] = json.loads((shared_dir() / "scenarios" / name).read_text())
    return data


def test_the_stateless_plan_answers_the_public_scenarios(world: World) -> None:
    checker = _checker()
    api = world.api("therapist")
    for path in sorted((shared_dir() / "scenarios").glob("*.json")):
        scenario = _scenario(path.name)
        if "raw_input" in scenario:
            response = api.post("/api/v1/plan", content=str(scenario["raw_input"]))
        else:
            history = {**scenario["history"], "today": scenario["today"]}  # type: ignore[dict-item]
            response = api.post("/api/v1/plan", json=history)
        if scenario.get("expect_exit") == 2:
            assert response.status_code == 422, path.name
            problems = " ".join(response.json()["problems"])
            for mention in scenario.get("stderr_mentions", []):  # type: ignore[attr-defined]
                assert mention in problems, (path.name, mention)
            continue
        assert response.status_code == 200, response.text
        plan = response.json()
        for expect in scenario["expect"]:  # type: ignore[attr-defined]
            ok, got = checker.check(expect, plan)
            assert ok, (path.name, expect, got)


def _checker() -> ModuleType:
    """The scenarios' own checker (shared/scenarios/check.py)."""
    spec = importlib.util.spec_from_file_location("check", shared_dir() / "scenarios" / "check.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_stateless_plan_is_the_same_bytes_as_the_command_line(world: World) -> None:
    from sciatica_care.engine import plan_history, plan_json

    raw = EXAMPLE.read_bytes()
    expected = plan_json(plan_history(raw, system_today=TODAY))
    assert world.api("admin").post("/api/v1/plan", content=raw).content == expected


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (
            b'{"schema": "sciatica-care/history@1", "today": "2026-03-02", '
            b'"assessments": [{"date": "2026-03-01", "leg_pain": 11}]}',
            "assessments[0].leg_pain: must be an integer 0..10, got 11",
        ),
        (b"not json at all", "not valid JSON"),
        (b"\xff\xfe", "not valid JSON"),
        (b"[]", "must be"),
    ],
)
def test_a_bad_history_answers_422_with_every_problem_by_path(
    world: World, body: bytes, problem: str
) -> None:
    response = world.api("therapist").post("/api/v1/plan", content=body)
    assert response.status_code == 422
    assert any(problem in p for p in response.json()["problems"]), response.json()


def test_a_bad_entry_answers_422_naming_each_field(world: World) -> None:
    body = {"date": "someday", "leg_pain": 11, "leg_pian": 3}
    response = world.api("therapist").post(f"/api/v1/clients/{world.ada}/assessments", json=body)
    assert response.status_code == 422
    problems = response.json()["problems"]
    assert any(p.startswith("leg_pian:") for p in problems)
    assert response.status_code == 422


def test_a_body_that_is_not_an_object_is_a_422_not_a_500(world: World) -> None:
    api = world.api("therapist")
    for body in (b"[1]", b"nonsense", b""):
        response = api.post(f"/api/v1/clients/{world.ada}/diary", content=body)
        assert response.status_code == 422, body


def test_lists_are_paginated_with_a_link_to_the_next_page(world: World) -> None:
    api = world.api("therapist")
    first = api.get(f"/api/v1/clients/{world.ada}/assessments?limit=2").json()
    assert first["total"] >= 3
    assert len(first["items"]) == 2
    assert first["next"]
    second = api.get(first["next"]).json()
    assert second["offset"] == 2
    dates = [item["date"] for item in first["items"] + second["items"]]
    assert dates == sorted(dates, reverse=True)
    assert api.get(f"/api/v1/clients/{world.ada}/diary?limit=0").status_code == 422


def test_each_role_lists_only_the_clients_it_may_see(world: World) -> None:
    def names(seat: str) -> set[str]:
        items = world.api(seat).get("/api/v1/clients?limit=500").json()["items"]
        return {item["name"] for item in items}

    assert {"Ada Lovelace", "Ben Okri"} <= names("admin")
    assert "Cleo Hart" not in names("admin")
    assert names("therapist") >= {"Ada Lovelace"}
    assert "Ben Okri" not in names("therapist")
    assert names("client") == {"Ada Lovelace"}
    assert names("other_clinic") >= {"Cleo Hart"}
    assert not names("other_clinic") & {"Ada Lovelace", "Ben Okri"}


def test_a_sign_reported_at_check_in_is_answered_at_once_and_holds_massage(world: World) -> None:
    api = world.api("other_client")
    response = api.post(
        f"/api/v1/clients/{world.ben}/diary",
        json={"leg_pain": 6, "signs": ["bladder_change"]},
    )
    assert response.status_code == 201, response.text
    assert response.json()["alert"]["level"] == "emergency"
    plan = world.api("other_therapist").get(f"/api/v1/clients/{world.ben}/plan").json()
    assert plan["triage"]["level"] == "emergency"
    assert plan["massage"]["status"] == "on_hold"


def test_a_revoked_token_stops_working_at_once(world: World) -> None:
    engine = make_engine(world.url)
    with transaction(session_factory(engine)) as db:
        user = accounts.find_user(db, "kim@north.example")
        row, secret = accounts.create_api_token(
            db, user, label="short-lived", actor="test", now=NOW
        )
    api = world.client()
    api.headers["authorization"] = f"Bearer {secret}"
    assert api.get("/api/v1/clients").status_code == 200
    with transaction(session_factory(engine)) as db:
        accounts.revoke_api_token(db, row.id, actor="test", now=NOW)
    engine.dispose()
    assert api.get("/api/v1/clients").status_code == 401


def test_the_api_works_the_same_on_postgresql(pg_world: World) -> None:
    api = pg_world.api("therapist")
    created = api.post("/api/v1/clients", json={"name": "Dora Pg", "birth_year": 1980})
    assert created.status_code == 201
    client_id = created.json()["id"]
    assert api.post(f"/api/v1/clients/{client_id}/diary", json={"leg_pain": 5}).status_code == 201
    plan = api.get(f"/api/v1/clients/{client_id}/plan")
    assert plan.status_code == 200
    assert plan.json()["triage"]["level"] == "unscreened"
    assert pg_world.api("other_therapist").get(f"/api/v1/clients/{client_id}").status_code == 404


def test_openapi_describes_the_history_records(world: World) -> None:
    schema = world.client().get("/openapi.json").json()
    assert "Assessment" in schema["components"]["schemas"]
    assert "/api/v1/clients/{client_id}/diary" in schema["paths"]


def test_a_sign_given_with_a_back_dated_check_in_still_reaches_triage(world: World) -> None:
    from datetime import timedelta

    team = world.api("other_therapist")
    today = TODAY.isoformat()
    assert (
        team.post(
            f"/api/v1/clients/{world.ben}/screenings", json={"date": today, "findings": []}
        ).status_code
        == 201
    )
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    response = world.api("other_client").post(
        f"/api/v1/clients/{world.ben}/diary",
        json={"date": yesterday, "leg_pain": 5, "signs": ["saddle_numbness"]},
    )
    assert response.status_code == 201
    plan = team.get(f"/api/v1/clients/{world.ben}/plan").json()
    assert plan["triage"]["level"] == "emergency"


@pytest.mark.parametrize("finding", ["saddle_numbness", "progressive_weakness"])
def test_a_red_flag_can_never_be_cleared(world: World, finding: str) -> None:
    response = world.api("therapist").post(
        f"/api/v1/clients/{world.ada}/clearances", json={"finding": finding, "by": "Dr Quack"}
    )
    assert response.status_code == 422
    assert any("can never be cleared" in p for p in response.json()["problems"])


@pytest.mark.parametrize(
    "body",
    [
        {"date": "2026-02-30", "leg_pain": 3},
        {"date": "x"},
        {"techniques": ["swedish"], "override": [], "reason": "x"},
        {"techniques": ["swedish"], "override": "anticoagulants", "reason": {"a": 1}},
    ],
)
def test_odd_session_fields_are_422s_not_500s(world: World, body: dict[str, object]) -> None:
    response = world.api("therapist").post(f"/api/v1/clients/{world.ada}/sessions", json=body)
    assert response.status_code == 422, response.text


def test_unknown_fields_are_named_in_an_ascii_warnings_header(world: World) -> None:
    history = {"schema": "sciatica-care/history@1", "today": TODAY.isoformat(), "ünknown\r\nx": 1}
    response = world.api("therapist").post("/api/v1/plan", json=history)
    assert response.status_code == 200
    warning = response.headers["x-sciatica-warnings"]
    assert warning.isascii()
    assert "\\xfc" in warning or "\\u00fc" in warning


@pytest.mark.parametrize("name", ["Dee\nBEGIN:VEVENT", "Tab\there", "Bell\x07"])
def test_a_client_name_with_control_characters_is_refused(world: World, name: str) -> None:
    response = world.api("therapist").post("/api/v1/clients", json={"name": name})
    assert response.status_code == 422
    assert any("control characters" in p for p in response.json()["problems"])


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"name": "Bo", "birth_year": 1700}, "birth_year: must be a year 1850.."),
        ({"name": ""}, "name: must not be empty"),
        ({"name": "A" * 201}, "name: must be at most 200 characters"),
        ({"name": "Bo", "email": "bo"}, "email: must be an email address"),
    ],
)
def test_a_refused_client_is_named_by_its_json_path_not_a_cli_option(
    world: World, body: dict[str, object], problem: str
) -> None:
    response = world.api("therapist").post("/api/v1/clients", json=body)
    assert response.status_code == 422
    problems = response.json()["problems"]
    assert any(p.startswith(problem) for p in problems), problems
    assert not any("--" in p or "NAME" in p for p in problems), problems


@pytest.mark.parametrize("q", ["%", "_", "%a%"])
def test_a_wildcard_in_a_client_search_is_a_character_as_on_the_page(world: World, q: str) -> None:
    found = world.api("admin").get("/api/v1/clients", params={"q": q}).json()
    assert (found["items"], found["total"]) == ([], 0)


@pytest.mark.parametrize(
    ("kind", "body", "problem"),
    [
        ("diary", {"note": "x" * 10_001}, "note: must be at most 10000 characters"),
        ("assessments", {"note": "x" * 10_001}, "note: must be at most 10000 characters"),
        ("sessions", {"subjective": "x" * 10_001}, "subjective: must be text of at most 10000"),
        ("clearances", {"by": "x" * 201}, "by: must be at most 200 characters"),
        (
            "screenings",
            {"findings": [{"code": "diabetes", "note": "x" * 2_001}]},
            "findings[0].note: must be at most 2000 characters",
        ),
    ],
)
def test_free_text_over_its_limit_answers_422_naming_the_field(
    world: World, kind: str, body: dict[str, object], problem: str
) -> None:
    api = world.api("therapist")
    response = api.post(f"/api/v1/clients/{world.ada}/{kind}", json=body)
    assert response.status_code == 422
    assert any(p.startswith(problem) for p in response.json()["problems"]), response.json()


def test_a_history_with_a_megabyte_diary_note_is_refused_at_the_note(world: World) -> None:
    body = {
        "schema": "sciatica-care/history@1",
        "today": "2026-03-02",
        "diary": [{"date": "2026-03-01", "note": "pain " * 200_000}],
    }
    response = world.api("therapist").post("/api/v1/plan", json=body)
    assert response.status_code == 422
    assert (
        "diary[0].note: must be at most 10000 characters, got 1000000"
        in (response.json()["problems"])
    )
