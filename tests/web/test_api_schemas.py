"""The JSON API's answers have shapes in OpenAPI, and the shapes of entries match their tables."""

import pytest

from sciatica_care.services.records import KINDS
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
