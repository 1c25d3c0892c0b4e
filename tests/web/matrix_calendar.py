"""Calendar feeds and their links in the access matrix.

The feed needs no sign-in (the secret link is the credential): an unknown link answers 404 to
everyone, anonymous included. A client's link is made by the client's care team or the client
(anyone else finds no such client); a feed of one's own sessions is for the care team. No real
link is revoked here: the row names a link nobody has, so it proves revoking never hints;
`test_calendar_routes.py` proves who may revoke a real one.
"""

from tests.web.matrix import Route, everyone

ROUTES: list[Route] = [
    Route("GET", "/calendar/cal_nobody-has-this.ics", everyone(404), note="no sign-in needed"),
    Route(
        "POST",
        "/clients/{ada}/calendar-link",
        everyone(404, admin=200, therapist=200, client=200, anonymous=303),
        note="the new link is shown once (200), not redirected",
    ),
    Route("GET", "/calendar-links", everyone(200, anonymous=303)),
    Route(
        "POST",
        "/calendar-links",
        everyone(200, client=403, other_client=403, anonymous=303),
        note="a client's account has no feed of sessions; theirs is /clients/{id}/calendar-link",
    ),
    Route("POST", "/calendar-links/999999/revoke", everyone(404, anonymous=303)),
]
