"""The JSON API, /healthz and the OpenAPI pages in the access matrix."""

from tests.web.matrix import Route, everyone

READ_ADA = everyone(200, other_therapist=404, other_clinic=404, other_client=404, anonymous=401)
TEAM_WRITES_ADA = everyone(
    201, other_therapist=404, other_clinic=404, client=403, other_client=404, anonymous=401
)
ANYONE_SIGNED_IN = everyone(200, anonymous=401)
ENTRIES = {
    "screenings": {"date": "{today}", "findings": []},
    "clearances": {"date": "{today}", "finding": "pregnancy", "by": "Dr Who"},
    "outcomes": {
        "date": "{today}",
        "finding": "bladder_change",
        "result": "excluded",
        "by": "Dr Who",
        "role": "GP",
    },
    "examinations": {"date": "{today}", "power": {"L5_left": 5}, "slr": {"left": "negative"}},
    "episodes": {"date": "{today}", "onset": "{today}"},
    "assessments": {"date": "{today}", "leg_pain": 5, "back_pain": 2},
    "sessions": {"date": "{today}", "techniques": ["swedish"], "areas": ["gluteals"]},
    "diary": {"date": "{today}", "leg_pain": 4},
}
HISTORY = {"schema": "sciatica-care/history@1", "today": "{today}", "screenings": []}

ROUTES = [
    Route("GET", "/healthz", everyone(200), via="api"),
    Route("GET", "/openapi.json", everyone(200), via="api"),
    Route("GET", "/docs", everyone(200), via="api"),
    Route("GET", "/api/v1/clients", ANYONE_SIGNED_IN, via="api"),
    Route(
        "POST",
        "/api/v1/clients",
        everyone(201, client=403, other_client=403, anonymous=401),
        via="api",
        json={"name": "New Person"},
    ),
    Route("GET", "/api/v1/clients/{ada}", READ_ADA, via="api"),
    Route("GET", "/api/v1/clients/{ada}/plan", READ_ADA, via="api"),
    Route("GET", "/api/v1/clients/{ada}/history", READ_ADA, via="api"),
    Route("POST", "/api/v1/plan", ANYONE_SIGNED_IN, via="api", json=HISTORY),
    *(Route("GET", f"/api/v1/clients/{{ada}}/{kind}", READ_ADA, via="api") for kind in ENTRIES),
    *(
        Route("POST", f"/api/v1/clients/{{ada}}/{kind}", TEAM_WRITES_ADA, via="api", json=body)
        for kind, body in ENTRIES.items()
        if kind != "diary"
    ),
    Route(
        "POST",
        "/api/v1/clients/{ada}/diary",
        everyone(201, other_therapist=404, other_clinic=404, other_client=404, anonymous=401),
        via="api",
        json=ENTRIES["diary"],
    ),
]
