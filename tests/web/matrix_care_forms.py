"""The care team's forms in the access matrix: new client, screening, clearance, assessment,
session note and booking.

Only the care team of the client may use a client's forms; Ada's own account may read her record
but not write clinical records (403); anyone else finds nothing (404).
"""

from tests.web.matrix import Route, everyone

NEW_CLIENT = everyone(200, client=403, other_client=403, anonymous=303)
NEW_CLIENT_SAVED = everyone(303, client=403, other_client=403)
ADA_FORM = everyone(
    200, other_therapist=404, other_clinic=404, client=403, other_client=404, anonymous=303
)
ADA_SAVED = everyone(
    303, other_therapist=404, other_clinic=404, client=403, other_client=404, anonymous=303
)
FORMS = {
    "screening": {"none": "yes"},
    "clearance": {"finding": "pregnancy", "by": "Dr Who", "role": "GP", "date": "{today}"},
    "assessment": {"leg_pain": "5", "back_pain": "2", "odi_1": "2", "regions_pain": "buttock_left"},
    "session": {"techniques": "swedish", "areas": "gluteals", "pressure": "light", "minutes": "30"},
    "book": {"date": "{today}", "time": "{seat_time}"},
}

ROUTES = [
    Route("GET", "/clients/new", NEW_CLIENT),
    Route("POST", "/clients/new", NEW_CLIENT_SAVED, form={"name": "Matrix Person"}),
    *(Route("GET", f"/clients/{{ada}}/{slug}", ADA_FORM) for slug in FORMS),
    *(
        Route("POST", f"/clients/{{ada}}/{slug}", ADA_SAVED, form=form)
        for slug, form in FORMS.items()
    ),
]
