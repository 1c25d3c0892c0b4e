"""The admin pages in the access matrix: admins only, and only inside their own clinic.

Therapists and clients get 403 from the role check; South's admin ("other_clinic") passes it but
gets 404 for every id of North. Each write leaves the world as it was for the other cells: Kim
keeps the therapist role, enabling an active account changes nothing, Kim is already on Ada's care
team, and an admin cannot disable their own account (422). No world token is revoked: the revoke
row names a token nobody has, so it proves the role check; `test_admin_pages.py` proves that
another clinic's admin cannot revoke North's tokens.
"""

from tests.web.matrix import Route, everyone

ADMIN_PAGE = everyone(403, admin=200, other_clinic=200, anonymous=303)
ADMIN_WRITE = everyone(403, admin=303, other_clinic=404, anonymous=303)

ROUTES: list[Route] = [
    Route("GET", "/admin", ADMIN_PAGE),
    Route(
        "POST",
        "/admin/users",
        ADMIN_WRITE,
        form={
            "email": "ada.carer@example.org",
            "role": "client",
            "name": "",
            "password": "a long matrix password",
            "client": "{ada}",
        },
        note="a second account for Ada's record; South's admin cannot see Ada",
    ),
    Route("POST", "/admin/users/{user_therapist}/role", ADMIN_WRITE, form={"role": "therapist"}),
    Route(
        "POST",
        "/admin/users/{user_admin}/disable",
        {**ADMIN_WRITE, "admin": 422},
        note="an admin cannot disable their own account",
    ),
    Route("POST", "/admin/users/{user_therapist}/enable", ADMIN_WRITE),
    Route("GET", "/admin/assignments", ADMIN_PAGE),
    Route(
        "POST",
        "/admin/assignments",
        ADMIN_WRITE,
        form={"client_id": "{ada}", "therapist_id": "{user_therapist}", "action": "assign"},
    ),
    Route("GET", "/admin/audit", ADMIN_PAGE),
    Route("GET", "/admin/tokens", ADMIN_PAGE),
    Route(
        "POST",
        "/admin/tokens/999999/revoke",
        everyone(403, admin=404, other_clinic=404, anonymous=303),
        note="no such token: the role check answers first",
    ),
]
