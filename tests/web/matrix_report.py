"""The report for the doctor in the access matrix.

Only the client's care team downloads it: client accounts get 403 from the role check (whichever
id they ask for), any other care team gets 404, as if the client did not exist.
"""

from tests.web.matrix import Route, everyone

REPORT = everyone(404, admin=200, therapist=200, client=403, other_client=403, anonymous=303)

ROUTES: list[Route] = [
    Route("GET", "/clients/{ada}/report.pdf", REPORT, note="client accounts get 403"),
]
