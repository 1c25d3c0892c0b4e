"""The FHIR export route in the access matrix: Ada's care team and Ada herself may read it."""

from tests.web.matrix import Route, everyone

READ_ADA = everyone(200, other_therapist=404, other_clinic=404, other_client=404, anonymous=401)

ROUTES = [
    Route("GET", "/api/v1/clients/{ada}/fhir", READ_ADA, via="api"),
    Route(
        "GET",
        "/api/v1/clients/{cleo}/fhir",
        everyone(404, other_clinic=200, anonymous=401),
        via="api",
        note="another clinic's client",
    ),
]
