"""The access matrix: every route, every seat, the answer each must get.

Each area lists its routes in a `tests/web/matrix_<area>.py` module as `ROUTES: list[Route]`;
`test_access_matrix.py` runs every cell and checks that every route of the app is listed.
Paths and bodies name ids by placeholders: `{ada}`, `{ben}`, `{cleo}` (clients), `{user_<seat>}`
(the account in a seat, e.g. `{user_therapist}`), `{today}` (ISO date). Ada's therapist is
"therapist", her account "client"; Cleo belongs to the other clinic.
"""

from dataclasses import dataclass, field
from typing import Any

SEATS_AND_ANONYMOUS = (
    "admin",
    "therapist",
    "other_therapist",
    "other_clinic",
    "client",
    "other_client",
    "anonymous",
)


@dataclass(frozen=True)
class Route:
    """One route and what each seat gets from it.

    `expect` maps seat -> status; `via` is "page" (browser session, forms carry the CSRF token)
    or "api" (bearer token). Anonymous page requests expect 303 (to /login), API ones 401.
    `form` / `json` is the body of a POST, with "{ada}" and "{today}" filled in.
    """

    method: str
    path: str
    expect: dict[str, int]
    via: str = "page"
    form: dict[str, Any] | None = None
    json: Any = None
    note: str = ""
    extra_paths: tuple[str, ...] = field(default=())


def everyone(status: int, **overrides: int) -> dict[str, int]:
    """The same status for every seat, with exceptions; a seat that does not exist is an error."""
    unknown = sorted(set(overrides) - set(SEATS_AND_ANONYMOUS))
    if unknown:
        raise ValueError(f"no such seat: {', '.join(unknown)}")
    return {seat: overrides.get(seat, status) for seat in SEATS_AND_ANONYMOUS}
