"""GET /api/v1/clients/{id}/fhir: the client's Bundle, the same as the command line makes."""

from fhir.resources.R4B import get_fhir_model_class

from sciatica_care.db.database import make_engine, session_factory, transaction
from sciatica_care.db.models import Client
from sciatica_care.engine import default_protocol
from sciatica_care.sharing.fhir import codes as fc
from sciatica_care.sharing.fhir.export import client_bundle, encode
from sciatica_care.sharing.fhir.importer import read_bundle
from tests.web.world import TODAY, World


def test_the_care_team_gets_the_clients_bundle_as_fhir_json(world: World) -> None:
    response = world.api("therapist").get(f"/api/v1/clients/{world.ada}/fhir")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/fhir+json"
    assert response.headers["cache-control"] == "no-store"
    bundle = response.json()
    get_fhir_model_class("Bundle").model_validate(bundle)
    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    assert kinds[0] == "Patient"
    assert kinds.count("CarePlan") == kinds.count("Provenance") == 1
    assert bundle["entry"][0]["resource"]["name"] == [{"text": "Ada Lovelace"}]
    scores = [
        r["valueQuantity"]
        for r in (entry["resource"] for entry in bundle["entry"])
        if fc.code_in(r.get("code"), fc.LOINC) == "72514-3"
    ]
    assert [s["value"] for s in scores] == [7, 3, 6, 3, 4, 3]


def test_the_route_gives_the_bytes_the_service_makes(world: World) -> None:
    got = world.api("client").get(f"/api/v1/clients/{world.ada}/fhir").content
    engine = make_engine(world.url)
    with transaction(session_factory(engine)) as db:
        ada = db.get_one(Client, world.ada)
        made = encode(client_bundle(db, client=ada, today=TODAY, protocol=default_protocol()))
    engine.dispose()
    assert got == made
    assert read_bundle(got).history["assessments"][0]["leg_pain"] == 7


def test_another_clinics_client_is_not_found(world: World) -> None:
    response = world.api("therapist").get(f"/api/v1/clients/{world.cleo}/fhir")
    assert response.status_code == 404
    assert "entry" not in response.text
