"""A client's records and current plan as a FHIR R4 Bundle: GET /api/v1/clients/{id}/fhir."""

from fastapi import APIRouter, Response

from sciatica_care.services import access
from sciatica_care.sharing.fhir.export import client_bundle, encode
from sciatica_care.web.deps import ReadDb, Reader, State, today

router = APIRouter(prefix="/api/v1", tags=["api"])
FHIR_JSON = "application/fhir+json"


@router.get("/clients/{client_id:id}/fhir")
async def client_fhir(client_id: int, db: ReadDb, user: Reader, state: State) -> Response:
    """The client's records and current plan as a FHIR R4 Bundle (type collection)."""
    client = access.readable_client(db, user, client_id)
    on = today()
    bundle = client_bundle(
        db,
        client=client,
        today=on,
        protocol=state.protocol,
        plans=state.plans,
        zone=state.settings.zone(),
    )
    # Health records: no browser or proxy may keep a copy.
    return Response(encode(bundle), media_type=FHIR_JSON, headers={"Cache-Control": "no-store"})
