"""The client's own pages and the care team's side of a client's messages in the access matrix."""

from tests.web.matrix import Route, everyone

# Only a client account has a "me"; the care team is refused by role, anonymous sent to sign in.
CLIENTS_ONLY = everyone(403, client=200, other_client=200, anonymous=303)
CLIENTS_WRITE = everyone(403, client=303, other_client=303, anonymous=303)
CHECK_IN = {"leg_pain": "3", "back_pain": "2", "flare": "no", "signs": "none"}
TEAM_OF_ADA = {"other_therapist": 404, "other_clinic": 404, "client": 403, "other_client": 403}

ROUTES = [
    Route("GET", "/me", CLIENTS_ONLY),
    Route("POST", "/me/check-in", CLIENTS_WRITE, form=CHECK_IN),
    Route("GET", "/me/plan", CLIENTS_ONLY),
    Route("GET", "/me/progress", CLIENTS_ONLY),
    Route("GET", "/me/messages", CLIENTS_ONLY),
    Route("POST", "/me/messages", CLIENTS_WRITE, form={"kind": "message", "body": "Hello"}),
    Route(
        "GET",
        "/clients/{ada}/messages",
        everyone(200, anonymous=303, **TEAM_OF_ADA),
        note="clients use /me/messages; another therapist or clinic finds nothing",
    ),
    Route(
        "POST",
        "/clients/{ada}/messages",
        everyone(303, **TEAM_OF_ADA),
        form={"body": "See you on Tuesday."},
    ),
]
