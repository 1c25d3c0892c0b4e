"""The CSV downloads in the access matrix.

A client's zip is for their own care team: a client account is refused by role (403, its own copy
is at /me/export.zip), any other care team finds nothing (404). /me/export.zip is for clients only.
"""

from tests.web.matrix import Route, everyone

ROUTES: list[Route] = [
    Route(
        "GET",
        "/clients/{ada}/export.zip",
        everyone(
            200,
            other_therapist=404,
            other_clinic=404,
            client=403,
            other_client=403,
            anonymous=303,
        ),
        note="client accounts are refused by role; other therapists and clinics find nothing",
    ),
    Route("GET", "/me/export.zip", everyone(403, client=200, other_client=200, anonymous=303)),
]
