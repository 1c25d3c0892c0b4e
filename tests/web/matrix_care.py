"""The care team's read pages in the access matrix.

The dashboard, the client list and a client's page need a care-team account (a client's account
gets 403 from the role check, whichever id it asks for: its own record has its own pages under
/me); a client's page answers 404 to any other care team, as if it did not exist.
"""

from tests.web.matrix import Route, everyone

CARE_TEAM_PAGE = everyone(200, client=403, other_client=403, anonymous=303)
CLIENT_PAGE = everyone(404, admin=200, therapist=200, client=403, other_client=403, anonymous=303)

ROUTES: list[Route] = [
    Route("GET", "/dashboard", CARE_TEAM_PAGE),
    Route("GET", "/clients", CARE_TEAM_PAGE, extra_paths=("/clients?q=ada&page=2",)),
    Route(
        "GET",
        "/clients/{ada}",
        CLIENT_PAGE,
        note="client accounts are refused by role; other therapists and clinics find nothing",
        extra_paths=("/clients/{ada}?events=all",),
    ),
]
