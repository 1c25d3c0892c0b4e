"""Pages for admins: the clinic's accounts and roles, care teams, audit log and API tokens.

Every route is for admins only (others get 403) and reaches only the admin's own clinic: an id of
another clinic's account, client or token answers 404.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from sciatica_care.db.models import User
from sciatica_care.services import clinic_admin
from sciatica_care.services.accounts import ROLES
from sciatica_care.services.errors import InputProblems
from sciatica_care.services.ids import parse_id
from sciatica_care.web.access_deps import AdminReader, AdminWriter
from sciatica_care.web.deps import Now, ReadDb, WriteDb
from sciatica_care.web.rendering import render, see_other

router = APIRouter(include_in_schema=False)
Field = Annotated[str, Form(max_length=1024)]
USER_FIELDS = ("email", "role", "name", "password", "client")


def by_field(problems: list[str], fields: tuple[str, ...]) -> dict[str, list[str]]:
    """Problems ("field: message") grouped by field; others under "form"."""
    grouped: dict[str, list[str]] = {}
    for problem in problems:
        head, _, message = problem.partition(": ")
        key = head if head in fields and message else "form"
        grouped.setdefault(key, []).append(message if key != "form" else problem)
    return grouped


def _id(value: str) -> int | None:
    """A form's id field as an integer, None when it is not one."""
    value = value.strip()
    return parse_id(value)


def _users_page(
    request: Request,
    db: Session,
    admin: User,
    *,
    values: dict[str, Any] | None = None,
    problems: dict[str, list[str]] | None = None,
    row_problems: dict[int, list[str]] | None = None,
    status: int = 200,
) -> Response:
    context = {
        "title": "Accounts",
        "nav": "admin",
        "tab": "users",
        "accounts": clinic_admin.clinic_accounts(db, admin=admin),
        "clients": clinic_admin.clinic_clients(db, admin=admin),
        "roles": ROLES,
        "staff_roles": clinic_admin.STAFF_ROLES,
        "values": values or {"email": "", "role": "therapist", "name": "", "client": ""},
        "problems": problems or {},
        "row_problems": row_problems or {},
    }
    return render(request, "admin/users.html", context, status=status)


@router.get("/admin")
def users(request: Request, user: AdminReader, db: ReadDb) -> Response:
    """The clinic's accounts and a form to add one."""
    return _users_page(request, db, user)


@router.post("/admin/users")
def add_user(
    request: Request,
    user: AdminWriter,
    db: WriteDb,
    now: Now,
    email: Field = "",
    role: Field = "",
    name: Field = "",
    password: Field = "",
    client: Field = "",
) -> Response:
    """Adds an account to the clinic."""
    client_id = _id(client)
    try:
        if client.strip() and client_id is None:
            raise InputProblems(["client: choose a client from the list"])
        clinic_admin.add_account(
            db,
            admin=user,
            email=email,
            role=role,
            name=name.strip() or None,
            password=password or None,
            client_id=client_id,
            now=now,
        )
    except InputProblems as error:
        values = {"email": email, "role": role, "name": name, "client": client}
        problems = by_field(error.problems, USER_FIELDS)
        return _users_page(request, db, user, values=values, problems=problems, status=422)
    return see_other("/admin")


@router.post("/admin/users/{user_id:id}/role")
def change_role(
    request: Request, user_id: int, user: AdminWriter, db: WriteDb, now: Now, role: Field = ""
) -> Response:
    """Makes a staff account an admin or a therapist."""
    try:
        clinic_admin.set_role(db, admin=user, user_id=user_id, role=role, now=now)
    except InputProblems as error:
        return _row_refused(request, db, user, user_id, error)
    return see_other("/admin")


@router.post("/admin/users/{user_id:id}/disable")
def disable_user(
    request: Request, user_id: int, user: AdminWriter, db: WriteDb, now: Now
) -> Response:
    """Stops an account signing in; its sessions end at once."""
    try:
        clinic_admin.disable(db, admin=user, user_id=user_id, now=now)
    except InputProblems as error:
        return _row_refused(request, db, user, user_id, error)
    return see_other("/admin")


@router.post("/admin/users/{user_id:id}/enable")
def enable_user(user_id: int, user: AdminWriter, db: WriteDb, now: Now) -> Response:
    """Lets a disabled account sign in again."""
    clinic_admin.enable(db, admin=user, user_id=user_id, now=now)
    return see_other("/admin")


def _row_refused(
    request: Request, db: Session, admin: User, user_id: int, error: InputProblems
) -> Response:
    """The accounts page again, the refusal shown in the account's row."""
    messages = [problem.partition(": ")[2] or problem for problem in error.problems]
    return _users_page(request, db, admin, row_problems={user_id: messages}, status=422)


def _teams_page(
    request: Request,
    db: Session,
    admin: User,
    *,
    values: dict[str, str] | None = None,
    problems: dict[str, list[str]] | None = None,
    status: int = 200,
) -> Response:
    context = {
        "title": "Care teams",
        "nav": "admin",
        "tab": "assignments",
        "teams": clinic_admin.care_teams(db, admin=admin),
        "therapists": clinic_admin.therapists(db, admin=admin),
        "values": values or {"client_id": "", "therapist_id": ""},
        "problems": problems or {},
    }
    return render(request, "admin/assignments.html", context, status=status)


@router.get("/admin/assignments")
def assignments(request: Request, user: AdminReader, db: ReadDb) -> Response:
    """Which therapists care for which clients, and forms to change it."""
    return _teams_page(request, db, user)


@router.post("/admin/assignments")
def change_assignment(
    request: Request,
    user: AdminWriter,
    db: WriteDb,
    now: Now,
    client_id: Field = "",
    therapist_id: Field = "",
    action: Field = "assign",
) -> Response:
    """Assigns a therapist to a client, or unassigns them."""
    client, therapist = _id(client_id), _id(therapist_id)
    problems = [] if client is not None else ["client_id: choose a client"]
    problems += [] if therapist is not None else ["therapist_id: choose a therapist"]
    problems += [] if action in ("assign", "unassign") else ["action: assign or unassign"]
    try:
        if problems or client is None or therapist is None:
            raise InputProblems(problems)
        clinic_admin.set_assignment(
            db,
            admin=user,
            client_id=client,
            therapist_id=therapist,
            assign=action == "assign",
            now=now,
        )
    except InputProblems as error:
        fields = ("client_id", "therapist_id", "action", "therapist")
        grouped = by_field(error.problems, fields)
        grouped.setdefault("therapist_id", []).extend(grouped.pop("therapist", []))
        values = {"client_id": client_id, "therapist_id": therapist_id}
        return _teams_page(request, db, user, values=values, problems=grouped, status=422)
    return see_other("/admin/assignments")


@router.get("/admin/audit")
def audit_log(request: Request, user: AdminReader, db: ReadDb, page: str = "1") -> Response:
    """The clinic's audit log, newest first, a page at a time."""
    wanted = min(parse_id(page) or 1, 1_000_000)
    found = clinic_admin.audit_page(db, admin=user, page=wanted)
    context = {"title": "Audit log", "nav": "admin", "tab": "audit", "log": found}
    return render(request, "admin/audit.html", context)


@router.get("/admin/tokens")
def tokens(request: Request, user: AdminReader, db: ReadDb, now: Now) -> Response:
    """The API tokens of the clinic's accounts, with when each stops working."""
    context = {
        "now": now,
        "title": "API tokens",
        "nav": "admin",
        "tab": "tokens",
        "tokens": clinic_admin.clinic_tokens(db, admin=user),
    }
    return render(request, "admin/tokens.html", context)


@router.post("/admin/tokens/{token_id:id}/revoke")
def revoke_token(token_id: int, user: AdminWriter, db: WriteDb, now: Now) -> Response:
    """Revokes an API token; it stops working at once."""
    clinic_admin.revoke_token(db, admin=user, token_id=token_id, now=now)
    return see_other("/admin/tokens")
