"""The JSON API under /api/v1, with bearer tokens (`sciatica token create`) or a browser session.

Entries are checked by the history@1 rules: bad input answers 422 with every problem and its path.
A client the caller may not read answers 404, exactly like one that does not exist.
"""

import json
from datetime import datetime
from typing import Annotated, Any

import msgspec
from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from sciatica_care.db.database import transaction
from sciatica_care.db.migrate import HEAD
from sciatica_care.db.models import Client, User
from sciatica_care.engine import PACKAGE, plan_history, plan_json
from sciatica_care.services import access
from sciatica_care.services.clients import add_client, assign_therapist, search_clients
from sciatica_care.services.errors import InputProblems
from sciatica_care.services.histories import history_document
from sciatica_care.services.ids import MAX_ID
from sciatica_care.services.planning import current_plan
from sciatica_care.services.records import KINDS, add_entry, entries_page
from sciatica_care.web.access_deps import CareTeamWriter, ReadableClient, client_writer
from sciatica_care.web.api.openapi import complete, problem_responses, request_name
from sciatica_care.web.api.schemas import PAGE, SAVED, ClientPage, ClientPublic, Health, Page
from sciatica_care.web.deps import (
    AppState,
    Now,
    ReadDb,
    Reader,
    State,
    Today,
    WriteDb,
    Writer,
    WriteSlot,
)

router = APIRouter()
# Every operation needs a bearer token or a browser session: each may answer 401.
api = APIRouter(prefix="/api/v1", tags=["api"], responses=problem_responses(401))
Limit = Annotated[int, Query(ge=1, le=500, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=MAX_ID, description="Items to skip.")]
JSON_MEDIA = "application/json"


def _described(status: int, schema: str, what: str) -> dict[int | str, dict[str, Any]]:
    """An answer sent as bytes, described in OpenAPI by one of the JSON Schemas it follows."""
    content = {JSON_MEDIA: {"schema": {"$ref": f"#/components/schemas/{schema}"}}}
    return {status: {"description": f"A {what} document.", "content": content}}


PLAN_RESPONSE = _described(200, "CarePlan", "plan@1")
CLIENT_PLAN_RESPONSES = {**PLAN_RESPONSE, **problem_responses(404)}
WARNINGS_HEADER = {
    "x-sciatica-warnings": {
        "description": "The document's unknown fields, ignored (ASCII, '; ' between them).",
        "schema": {"type": "string", "maxLength": 2000},
    }
}
STATELESS_PLAN_RESPONSES = {
    200: {**PLAN_RESPONSE[200], "headers": WARNINGS_HEADER},
    **problem_responses(413, 422),
}


class NewClient(BaseModel):
    """A client to add; a therapist who adds one is assigned to them (checked by the service)."""

    name: str
    birth_year: int | None = None
    sex: str | None = None
    email: str | None = None
    consent_to_share: bool = False


@router.get("/healthz", tags=["health"])
async def healthz(db: ReadDb) -> Health:
    """The app answers and its database is reachable."""
    db.execute(text("SELECT 1"))
    return Health(status="ok", database="ok", schema=HEAD)


def _next(request: Request, total: int, limit: int, offset: int) -> str | None:
    """The link to the page after this one, if there is one."""
    if offset + limit >= total:
        return None
    return str(request.url.include_query_params(limit=limit, offset=offset + limit))


@api.get("/clients", responses=problem_responses(422))
async def list_clients(
    request: Request,
    db: ReadDb,
    user: Reader,
    limit: Limit = 50,
    offset: Offset = 0,
    q: Annotated[str | None, Query(max_length=200, description="Part of a name.")] = None,
) -> ClientPage:
    """The clients you may see, by name."""
    clients, total = search_clients(db, user=user, query=q, limit=limit, offset=offset)
    items = [ClientPublic.of(c) for c in clients]
    following = _next(request, total, limit, offset)
    return ClientPage(items=items, total=total, limit=limit, offset=offset, next=following)


@api.post("/clients", status_code=201, responses=problem_responses(400, 403, 413, 422, 503))
def create_client(new: NewClient, user: CareTeamWriter, db: WriteDb, now: Now) -> ClientPublic:
    """Adds a client to your clinic (admins and therapists)."""
    client = add_client(
        db,
        name=new.name,
        birth_year=new.birth_year,
        sex=new.sex,
        email=new.email,
        consent_to_share=new.consent_to_share,
        clinic_id=user.clinic_id,
        actor=user.email,
        now=now,
    )
    if user.role == "therapist":
        assign_therapist(db, client=client, therapist_id=user.id, actor=user.email, now=now)
    return ClientPublic.of(client)


@api.get("/clients/{client_id:id}", responses=problem_responses(404))
async def get_client(client: ReadableClient) -> ClientPublic:
    """One client."""
    return ClientPublic.of(client)


def _entries_route(kind: str) -> None:
    page = PAGE[kind]

    async def list_entries(
        request: Request,
        client: ReadableClient,
        db: ReadDb,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[Any]:
        items, total = entries_page(db, client, kind, limit=limit, offset=offset)
        following = _next(request, total, limit, offset)
        return page.model_validate(
            {"items": items, "total": total, "limit": limit, "offset": offset, "next": following}
        )

    async def _body(request: Request) -> dict[str, Any]:
        raw = await request.body()  # bounded in size and depth by web.body_limit
        try:
            body = json.loads(raw or b"null")
        except (ValueError, UnicodeDecodeError) as error:
            raise InputProblems([f"body: not valid JSON: {error}"]) from None
        except RecursionError:  # a form-typed body skips the depth check: still a clear 422
            raise InputProblems(["body: not valid JSON: nested too deeply"]) from None
        if not isinstance(body, dict):
            raise InputProblems(["body: must be a JSON object"])
        return body

    def add(
        client_id: int, body: dict[str, Any], user: User, state: AppState, now: datetime
    ) -> Response:
        # One worker thread opens the transaction, stores and commits: the write lock is held
        # for the work alone, never across a hand-over between threads. The route's dependency
        # answered 404 or 403 before the body was read; this load holds for the write.
        with transaction(state.writers) as db:
            client = access.writable_client(db, user, client_id, kind)
            recorded = add_entry(
                db,
                client=client,
                kind=kind,
                body=body,
                protocol=state.protocol,
                actor=user.email,
                now=now,
                today=state.clock.date_of(now),
                therapist_id=user.id if user.role == "therapist" else None,
            )
            table = KINDS[kind].table.__table__
            row = recorded.row
            names = [column.key for column in table.c if column.key != "client_id"]
            saved = {key: getattr(row, key) for key in names}
        if recorded.alert is not None:
            alert = recorded.alert
            saved["alert"] = {"level": alert.level, "action": alert.action, "signs": alert.signs}
        return Response(msgspec.json.encode(saved), status_code=201, media_type=JSON_MEDIA)

    async def add_route(
        request: Request,
        user: Writer,
        client: Annotated[Client, Depends(client_writer(kind))],
        _slot: WriteSlot,
        state: State,
        now: Now,
    ) -> Response:
        body = await _body(request)
        return await run_in_threadpool(add, client.id, body, user, state, now)

    api.add_api_route(
        f"/clients/{{client_id:id}}/{kind}",
        list_entries,
        methods=["GET"],
        name=f"list_{kind}",
        summary=f"The client's {kind}, newest first",
        response_model=page,
        responses=problem_responses(404, 422),
    )
    api.add_api_route(
        f"/clients/{{client_id:id}}/{kind}",
        add_route,
        methods=["POST"],
        name=f"add_{kind}",
        status_code=201,
        summary=f"Add one of the client's {kind}",
        # Stored entries are encoded by msgspec (the fast path): the model only describes them.
        response_model=None,
        responses={
            201: {"model": SAVED[kind], "description": f"The stored {kind} entry."},
            **problem_responses(403, 404, 413, 422, 503),
        },
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    JSON_MEDIA: {"schema": {"$ref": f"#/components/schemas/{request_name(kind)}"}}
                },
            }
        },
    )


for _kind in KINDS:
    _entries_route(_kind)


@api.get("/clients/{client_id:id}/plan", responses=CLIENT_PLAN_RESPONSES)
async def client_plan(client: ReadableClient, db: ReadDb, state: State, today: Today) -> Response:
    """The client's care plan as of today (plan@1)."""
    plan = current_plan(db, client, today=today, protocol=state.protocol, plans=state.plans)
    return Response(plan_json(plan), media_type=JSON_MEDIA)


@api.get(
    "/clients/{client_id:id}/history",
    responses={**_described(200, "History", "history@1"), **problem_responses(404)},
)
async def client_history(client: ReadableClient, db: ReadDb) -> Response:
    """The client's records as a history@1 document."""
    return Response(msgspec.json.encode(history_document(db, client)), media_type=JSON_MEDIA)


@api.post(
    "/plan",
    responses=STATELESS_PLAN_RESPONSES,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {JSON_MEDIA: {"schema": {"$ref": "#/components/schemas/History"}}},
        }
    },
)
async def stateless_plan(request: Request, user: Reader, state: State, today: Today) -> Response:
    """The care plan for a history@1 document (stateless: nothing is stored)."""
    raw = await request.body()  # bounded by web.body_limit (SCIATICA_MAX_HISTORY_BYTES)
    warnings: list[str] = []
    plan = plan_history(raw, system_today=today, protocol=state.protocol, warnings=warnings)
    response = Response(plan_json(plan), media_type=JSON_MEDIA)
    if warnings:
        # A header carries ASCII on one line: unknown field names are escaped, never echoed raw.
        text = "; ".join(warnings).encode("ascii", "backslashreplace").decode("ascii")
        response.headers["x-sciatica-warnings"] = " ".join(text.split())[:2000]
    return response


router.include_router(api)


def install_openapi(app: FastAPI) -> None:
    """OpenAPI at /docs, with the history@1 record types as its request schemas."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        schemas.update(_schema_defs("history.schema.json", prefix=""))
        schemas.update(_schema_defs("plan.schema.json", prefix="Plan"))
        complete(schema, app.state.sciatica.protocol)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _schema_defs(name: str, *, prefix: str) -> dict[str, Any]:
    """The `$defs` of one of the package's JSON Schemas, as OpenAPI components.

    `prefix` keeps two schemas' names apart (both name a `Clearance`); a schema's root type
    (`CarePlan`) keeps its own name.
    """
    document = json.loads((PACKAGE / "schemas" / name).read_text())
    root = document["$ref"].removeprefix("#/$defs/")
    names = {key: key if key == root else prefix + key for key in document["$defs"]}
    text = json.dumps(document["$defs"])
    for key, renamed in names.items():
        text = text.replace(f'"#/$defs/{key}"', f'"#/components/schemas/{renamed}"')
    defs: dict[str, Any] = json.loads(text)
    return {names[key]: value for key, value in defs.items()}
