"""The report for the doctor in the access matrix.

Only the client's care team downloads it: the client's own account gets 403 from the role check,
everyone who may not read the client gets 404, as if it did not exist.
"""

from tests.web.matrix import Route, everyone

REPORT = everyone(404, admin=200, therapist=200, client=403, anonymous=303)

ROUTES: list[Route] = [
    Route("GET", "/clients/{ada}/report.pdf", REPORT, note="a client account gets 403"),
]
