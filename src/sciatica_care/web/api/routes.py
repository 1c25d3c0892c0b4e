"""The JSON API under /api/v1, with bearer tokens (`sciatica token create`) or a browser session.

Entries are checked by the history@1 rules: bad input answers 422 with every problem and its path.
A client the caller may not read answers 404, exactly like one that does not exist.
"""

import json
from copy import deepcopy
from typing import Annotated, Any

import msgspec
from fastapi import APIRouter, FastAPI, Query, Request, Response
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, Field
from sqlalchemy import func, select, text
from starlette.concurrency import run_in_threadpool

from sciatica_care.db.database import transaction
from sciatica_care.db.migrate import HEAD
from sciatica_care.db.models import Client, User
from sciatica_care.domain.history_parser import HistoryProblems
from sciatica_care.engine import PACKAGE, plan_history, plan_json
from sciatica_care.services import access
from sciatica_care.services.clients import add_client, assign_therapist
from sciatica_care.services.errors import InputProblems
from sciatica_care.services.histories import history_document
from sciatica_care.services.ids import MAX_ID
from sciatica_care.services.planning import current_plan
from sciatica_care.services.records import KINDS, add_entry, entries_page
from sciatica_care.web.deps import (
    AppState,
    ReadDb,
    Reader,
    State,
    WriteDb,
    Writer,
    WriteSlot,
    now,
    today,
)

router = APIRouter()
api = APIRouter(prefix="/api/v1", tags=["api"])
MAX_BODY = 5_000_000
Limit = Annotated[int, Query(ge=1, le=500, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=MAX_ID, description="Items to skip.")]
JSON_MEDIA = "application/json"


class NewClient(BaseModel):
    """A client to add; a therapist who adds one is assigned to them."""

    name: str = Field(min_length=1, max_length=200)
    birth_year: int | None = None
    sex: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=320)
    consent_to_share: bool = False


@router.get("/healthz", tags=["health"])
async def healthz(db: ReadDb) -> dict[str, str]:
    """The app answers and its database is reachable."""
    db.execute(text("SELECT 1"))
    return {"status": "ok", "database": "ok", "schema": HEAD}


def _client_json(client: Any) -> dict[str, Any]:
    return {
        "id": client.id,
        "name": client.name,
        "birth_year": client.birth_year,
        "sex": client.sex,
        "email": client.email,
        "consent_to_share": client.consent_to_share,
        "created_at": client.created_at.isoformat(),
    }


def _page(request: Request, items: list[Any], total: int, limit: int, offset: int) -> Any:
    following = None
    if offset + limit < total:
        following = str(request.url.include_query_params(limit=limit, offset=offset + limit))
    return {"items": items, "total": total, "limit": limit, "offset": offset, "next": following}


@api.get("/clients")
async def list_clients(
    request: Request,
    db: ReadDb,
    user: Reader,
    limit: Limit = 50,
    offset: Offset = 0,
    q: Annotated[str | None, Query(max_length=200, description="Part of a name.")] = None,
) -> Any:
    """The clients you may see, by name."""
    query = access.visible_clients(user)
    if q:
        query = query.where(func.lower(Client.name).like(f"%{q.strip().lower()}%"))
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    clients = db.scalars(
        query.order_by(func.lower(Client.name), Client.id).limit(limit).offset(offset)
    )
    return _page(request, [_client_json(c) for c in clients], total, limit, offset)


@api.post("/clients", status_code=201)
def create_client(new: NewClient, db: WriteDb, user: Writer) -> Any:
    """Adds a client to your clinic (admins and therapists)."""
    access.require_role(user, "admin", "therapist")
    client = add_client(
        db,
        name=new.name,
        birth_year=new.birth_year,
        sex=new.sex,
        email=new.email,
        consent_to_share=new.consent_to_share,
        clinic_id=user.clinic_id,
        actor=user.email,
        now=now(),
    )
    if user.role == "therapist":
        assign_therapist(db, client=client, therapist_id=user.id, actor=user.email, now=now())
    return _client_json(client)


@api.get("/clients/{client_id:id}")
async def get_client(client_id: int, db: ReadDb, user: Reader) -> Any:
    """One client."""
    return _client_json(access.readable_client(db, user, client_id))


def _entries_route(kind: str) -> None:
    schema_name = {
        "screenings": "Screening",
        "clearances": "Clearance",
        "assessments": "Assessment",
        "sessions": "Session",
        "diary": "DiaryEntry",
    }[kind]

    async def list_entries(
        request: Request,
        client_id: int,
        db: ReadDb,
        user: Reader,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Any:
        client = access.readable_client(db, user, client_id)
        items, total = entries_page(db, client, kind, limit=limit, offset=offset)
        return _page(request, items, total, limit, offset)

    async def _body(request: Request) -> dict[str, Any]:
        raw = await request.body()
        if len(raw) > MAX_BODY:
            raise InputProblems([f"body: larger than {MAX_BODY} bytes"])
        try:
            body = json.loads(raw or b"null")
        except (ValueError, UnicodeDecodeError) as error:
            raise InputProblems([f"body: not valid JSON: {error}"]) from None
        if not isinstance(body, dict):
            raise InputProblems(["body: must be a JSON object"])
        return body

    def add(client_id: int, body: dict[str, Any], user: User, state: AppState) -> Response:
        # One worker thread opens the transaction, stores and commits: the write lock is held
        # for the work alone, never across a hand-over between threads.
        with transaction(state.writers) as db:
            client = access.writable_client(db, user, client_id, kind)
            recorded = add_entry(
                db,
                client=client,
                kind=kind,
                body=body,
                protocol=state.protocol,
                actor=user.email,
                now=now(),
                today=today(),
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
        request: Request, client_id: int, _slot: WriteSlot, user: Writer, state: State
    ) -> Response:
        body = await _body(request)
        return await run_in_threadpool(add, client_id, body, user, state)

    api.add_api_route(
        f"/clients/{{client_id:id}}/{kind}",
        list_entries,
        methods=["GET"],
        name=f"list_{kind}",
        summary=f"The client's {kind}, newest first",
    )
    api.add_api_route(
        f"/clients/{{client_id:id}}/{kind}",
        add_route,
        methods=["POST"],
        name=f"add_{kind}",
        status_code=201,
        summary=f"Add one of the client's {kind}",
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    JSON_MEDIA: {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}
                },
            }
        },
    )


for _kind in KINDS:
    _entries_route(_kind)


@api.get("/clients/{client_id:id}/plan")
async def client_plan(client_id: int, db: ReadDb, user: Reader, state: State) -> Response:
    """The client's care plan as of today (plan@1)."""
    client = access.readable_client(db, user, client_id)
    plan = current_plan(db, client, today=today(), protocol=state.protocol, plans=state.plans)
    return Response(plan_json(plan), media_type=JSON_MEDIA)


@api.get("/clients/{client_id:id}/history")
async def client_history(client_id: int, db: ReadDb, user: Reader) -> Response:
    """The client's records as a history@1 document."""
    client = access.readable_client(db, user, client_id)
    return Response(msgspec.json.encode(history_document(db, client)), media_type=JSON_MEDIA)


@api.post(
    "/plan",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {JSON_MEDIA: {"schema": {"$ref": "#/components/schemas/History"}}},
        }
    },
)
async def stateless_plan(request: Request, user: Reader, state: State) -> Response:
    """The care plan for a history@1 document (stateless: nothing is stored)."""
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise HistoryProblems([f"body: larger than {MAX_BODY} bytes"])
    warnings: list[str] = []
    plan = plan_history(raw, system_today=today(), protocol=state.protocol, warnings=warnings)
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
        history = json.loads((PACKAGE / "schemas" / "history.schema.json").read_text())
        defs = json.loads(json.dumps(history["$defs"]).replace("#/$defs/", "#/components/schemas/"))
        schema.setdefault("components", {}).setdefault("schemas", {}).update(deepcopy(defs))
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
