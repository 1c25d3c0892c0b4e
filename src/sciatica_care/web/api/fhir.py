"""A client's records and current plan as a FHIR R4 Bundle: GET /api/v1/clients/{id}/fhir."""

from typing import Any

from fastapi import APIRouter, Response

from sciatica_care.sharing.fhir.export import client_bundle, encode
from sciatica_care.web.access_deps import ReadableClient
from sciatica_care.web.api.openapi import problem_responses
from sciatica_care.web.deps import ReadDb, State, Today

router = APIRouter(prefix="/api/v1", tags=["api"], responses=problem_responses(401))
FHIR_JSON = "application/fhir+json"
# The Bundle's outline for OpenAPI; each entry is a FHIR R4 resource with its fullUrl.
BUNDLE = {
    "type": "object",
    "title": "FhirBundle",
    "required": ["resourceType", "id", "type", "entry"],
    "properties": {
        "resourceType": {"const": "Bundle"},
        "id": {"type": "string"},
        "type": {"const": "collection"},
        "entry": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["fullUrl", "resource"],
                "properties": {"fullUrl": {"type": "string"}, "resource": {"type": "object"}},
            },
        },
    },
}
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "A FHIR R4 Bundle.", "content": {FHIR_JSON: {"schema": BUNDLE}}},
    **problem_responses(404),
}


@router.get("/clients/{client_id:id}/fhir", response_class=Response, responses=RESPONSES)
async def client_fhir(client: ReadableClient, db: ReadDb, state: State, today: Today) -> Response:
    """The client's records and current plan as a FHIR R4 Bundle (type collection)."""
    bundle = client_bundle(
        db,
        client=client,
        today=today,
        protocol=state.protocol,
        plans=state.plans,
        zone=state.settings.zone(),
    )
    # Health records: no browser or proxy may keep a copy.
    return Response(encode(bundle), media_type=FHIR_JSON, headers={"Cache-Control": "no-store"})
