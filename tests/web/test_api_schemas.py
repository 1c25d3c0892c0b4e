"""The JSON API's answers have shapes in OpenAPI, and the shapes of entries match their tables."""

import re
from datetime import timedelta
from typing import Any

import jsonschema
import pytest

from sciatica_care.services.ids import ID_PATTERN
from sciatica_care.services.records import ACTIONS, KINDS
from sciatica_care.web.api.openapi import ID_MAX
from sciatica_care.web.api.schemas import ENTRY
from tests.web.world import World


def test_every_api_answer_has_a_schema_in_openapi(world: World) -> None:
    document = world.client().get("/openapi.json").json()
    shapeless = []
    for path, operations in document["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in operations.items():
            answers = {k: v for k, v in operation["responses"].items() if k in ("200", "201")}
            assert answers, f"{method} {path}"
            for status, answer in answers.items():
                contents = answer.get("content", {})
                if not contents or not all(c.get("schema") for c in contents.values()):
                    shapeless.append(f"{method.upper()} {path} {status}")
    assert shapeless == []


def test_every_schema_an_answer_refers_to_is_in_openapi(world: World) -> None:
    document = world.client().get("/openapi.json").json()
    text = str(document)
    names = set(document["components"]["schemas"])
    refs = {part.split("'")[0] for part in text.split("#/components/schemas/")[1:]}
    assert refs <= names


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_an_entry_shape_lists_its_table_columns_in_order(kind: str) -> None:
    columns = [c.key for c in KINDS[kind].table.__table__.c if c.key != "client_id"]
    assert list(ENTRY[kind].model_fields) == columns


def test_a_client_and_a_page_of_entries_keep_their_fields_and_order(world: World) -> None:
    api = world.api("therapist")
    client = api.get(f"/api/v1/clients/{world.ada}").json()
    assert list(client) == [
        "id",
        "name",
        "birth_year",
        "sex",
        "email",
        "consent_to_share",
        "created_at",
    ]
    page = api.get(f"/api/v1/clients/{world.ada}/assessments?limit=1").json()
    assert list(page) == ["items", "total", "limit", "offset", "next"]
    (item,) = page["items"]
    assert list(item) == [
        c.key for c in KINDS["assessments"].table.__table__.c if c.key != "client_id"
    ]
    assert isinstance(item["date"], str)
    assert api.get("/healthz").json().keys() == {"status", "database", "schema"}


def api_operations(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every operation of the JSON API, named `METHOD /path`."""
    return [
        (f"{method.upper()} {path}", operation)
        for path, operations in document["paths"].items()
        if path.startswith("/api/v1/")
        for method, operation in operations.items()
    ]


def test_every_error_an_operation_answers_is_documented_as_a_problem(world: World) -> None:
    document = world.client().get("/openapi.json").json()
    problem = {"$ref": "#/components/schemas/Problem"}
    for name, operation in api_operations(document):
        errors = {k: v for k, v in operation["responses"].items() if k.startswith("4")}
        assert "401" in errors, name
        for status, answer in errors.items():
            assert answer["content"] == {"application/json": {"schema": problem}}, (name, status)
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_an_operation_with_a_client_id_documents_404_and_a_write_documents_403(
    world: World,
) -> None:
    document = world.client().get("/openapi.json").json()
    for name, operation in api_operations(document):
        statuses = set(operation["responses"])
        assert ("404" in statuses) == ("{client_id}" in name), name
        assert ("403" in statuses) == name.startswith("POST /api/v1/clients"), name
        assert ("413" in statuses) == name.startswith("POST "), name


def test_the_answer_of_each_error_follows_the_documented_problem(world: World) -> None:
    document = world.client().get("/openapi.json").json()
    shape = document["components"]["schemas"]["Problem"]
    check = jsonschema.Draft202012Validator(shape)
    api = world.api("client")
    answers = {
        401: world.client().get("/api/v1/clients"),
        403: api.post("/api/v1/clients", json={"name": "Someone"}),
        404: api.get(f"/api/v1/clients/{world.cleo}"),
        422: api.get("/api/v1/clients?limit=0"),
    }
    for status, answer in answers.items():
        assert answer.status_code == status
        assert list(check.iter_errors(answer.json())) == []
    assert answers[422].json()["problems"] == ["limit: Input should be greater than or equal to 1"]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_an_entry_request_lists_what_the_service_accepts_and_needs_no_date(
    world: World, kind: str
) -> None:
    document = world.client().get("/openapi.json").json()
    operation = document["paths"][f"/api/v1/clients/{{client_id}}/{kind}"]["post"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = document["components"]["schemas"][ref.rsplit("/", 1)[1]]
    spec = KINDS[kind]
    assert set(body["properties"]) == {*spec.fields, *spec.texts, *ACTIONS.get(kind, ())}
    assert "date" not in body.get("required", [])
    assert "1900-01-01 to today" in body["properties"]["date"]["description"]
    assert body["additionalProperties"] is False


def test_an_entry_without_a_date_is_stored_for_today_and_its_date_bounds_hold(
    world: World,
) -> None:
    api = world.api("client")
    url = f"/api/v1/clients/{world.ada}/diary"
    saved = api.post(url, json={"leg_pain": 3})
    assert saved.status_code == 201
    assert saved.json()["date"] == world.today.isoformat()
    tomorrow = (world.today + timedelta(days=1)).isoformat()
    for day in ("1899-12-31", tomorrow):
        refused = api.post(url, json={"date": day, "leg_pain": 3})
        assert refused.status_code == 422
        assert [p.split(":")[0] for p in refused.json()["problems"]] == ["date"]


def test_a_history_document_states_the_dates_it_accepts(world: World) -> None:
    schemas = world.client().get("/openapi.json").json()["components"]["schemas"]
    assert "1900-01-01 to 9000-12-31" in schemas["History"]["properties"]["today"]["description"]
    for name in ("Screening", "Clearance", "Assessment", "Session", "DiaryEntry"):
        assert (
            "1900-01-01 to the plan's `today`" in schemas[name]["properties"]["date"]["description"]
        )


def test_the_fhir_bundle_is_documented_and_sent_as_fhir_json(world: World) -> None:
    document = world.client().get("/openapi.json").json()
    answer = document["paths"]["/api/v1/clients/{client_id}/fhir"]["get"]["responses"]["200"]
    assert list(answer["content"]) == ["application/fhir+json"]
    sent = world.api("therapist").get(f"/api/v1/clients/{world.ada}/fhir")
    assert sent.headers["content-type"] == "application/fhir+json"


def test_a_path_id_is_documented_with_the_range_the_path_convertor_routes(world: World) -> None:
    assert re.fullmatch(ID_PATTERN, str(ID_MAX))
    assert not re.fullmatch(ID_PATTERN, str(ID_MAX + 1))
    document = world.client().get("/openapi.json").json()
    (parameter,) = document["paths"]["/api/v1/clients/{client_id}"]["get"]["parameters"]
    assert (parameter["schema"]["minimum"], parameter["schema"]["maximum"]) == (0, ID_MAX)


def test_the_stateless_plan_documents_the_header_that_names_ignored_fields(world: World) -> None:
    document = world.client().get("/openapi.json").json()
    answer = document["paths"]["/api/v1/plan"]["post"]["responses"]["200"]
    sent = world.api("therapist").post(
        "/api/v1/plan", json={"schema": "sciatica-care/history@1", "mystery": 1}
    )
    assert sent.status_code == 200
    assert set(answer["headers"]) == {"x-sciatica-warnings"}
    assert "mystery" in sent.headers["x-sciatica-warnings"]


def test_a_new_client_states_what_each_field_is_held_to(world: World) -> None:
    new = world.client().get("/openapi.json").json()["components"]["schemas"]["NewClient"]
    assert new["required"] == ["name"]
    assert all(field.get("description") for field in new["properties"].values())
    refused = world.api("admin").post("/api/v1/clients", json={"name": " ", "birth_year": 1849})
    assert refused.status_code == 422
    assert "Not blank" in new["properties"]["name"]["description"]
    assert "From 1850" in new["properties"]["birth_year"]["description"]
    assert [p.split(":")[0] for p in refused.json()["problems"]] == ["name", "birth_year"]


def test_a_body_fastapi_cannot_read_answers_the_documented_400(world: World) -> None:
    document = world.client().get("/openapi.json").json()
    assert "400" in document["paths"]["/api/v1/clients"]["post"]["responses"]
    sent = world.api("admin").post(
        "/api/v1/clients", content=b"\x80 not UTF-8", headers={"content-type": "application/json"}
    )
    assert sent.status_code == 400
    assert set(sent.json()) == {"detail"}
