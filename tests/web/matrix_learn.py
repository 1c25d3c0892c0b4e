"""The Learn pages in the access matrix: open to everyone signed in."""

from tests.web.matrix import Route, everyone

ROUTES = [
    Route("GET", "/learn", everyone(200, anonymous=303)),
    Route("GET", "/learn/what-is-sciatica", everyone(200, anonymous=303)),
    Route("GET", "/learn/no-such-page", everyone(404, anonymous=303)),
]
