"""Signing in and out and the start page in the access matrix."""

from tests.web.matrix import Route, everyone

ROUTES = [
    Route("GET", "/", everyone(303)),
    Route("GET", "/login", everyone(200)),
    Route("POST", "/login", everyone(403), note="no form cookie: the form's CSRF check refuses"),
    Route("POST", "/logout", everyone(303)),
    Route("GET", "/setup/not-a-link", everyone(404)),
    Route("POST", "/setup/not-a-link", everyone(404)),
]

ROUTES += [
    Route("GET", "/account/password", everyone(200, anonymous=303)),
    Route(
        "POST",
        "/account/password",
        everyone(422, anonymous=303),
        form={"current": "wrong", "new": "short", "again": "other"},
        note="a wrong current password is refused, naming the field",
    ),
]
