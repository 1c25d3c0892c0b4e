"""The web app: FastAPI with server-rendered pages and a JSON API under /api/v1.

`create_app()` is the factory uvicorn calls (`sciatica serve`); everything it needs comes from the
settings (SCIATICA_DATABASE_URL, SCIATICA_HOME, SCIATICA_SECRET_KEY).
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import OperationalError
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.templating import Jinja2Templates
from starlette.types import Scope
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from sciatica_care.db.database import is_busy, make_engine, session_factory
from sciatica_care.db.files import private_folder
from sciatica_care.db.migrate import upgrade
from sciatica_care.domain.history_parser import HistoryProblems
from sciatica_care.engine import default_protocol
from sciatica_care.services.access import Forbidden, NotFound
from sciatica_care.services.errors import InputProblems, ServiceError
from sciatica_care.settings import Settings, get_settings
from sciatica_care.web import template_helpers
from sciatica_care.web.body_limit import BodyLimit, Refusals
from sciatica_care.web.deps import AppState, CsrfRejected, SignInRequired
from sciatica_care.web.headers import SecurityHeaders, answer_headers
from sciatica_care.web.response_cache import ResponseCache, route_reads, sqlite_version
from sciatica_care.web.security import Signer, secret_key
from sciatica_care.web.sign_in_first import SignInFirst

PACKAGE = Path(str(files("sciatica_care.web")))
# Requests of one worker that may write at once on PostgreSQL (one at a time on SQLite).
WRITERS_ON_POSTGRES = 8
# A write that waited past the busy timeout: how soon to try again, and what to say.
BUSY_RETRY_AFTER = 5
BUSY_MESSAGE = (
    "the database is busy with another change and nothing was saved: try again in a few seconds"
)


def create_app(settings: Settings | None = None) -> FastAPI:
    """A ready app on the configured database, migrated to the latest schema."""
    from sciatica_care.web.api import fhir as api_fhir
    from sciatica_care.web.api import routes as api
    from sciatica_care.web.pages import (
        account,
        admin,
        calendar,
        care,
        care_forms,
        care_sessions,
        client,
        csv,
        learn,
        report,
        threads,
    )

    settings = settings or get_settings()
    private_folder(settings.home)
    url = settings.database()
    writer_engine = make_engine(url, busy_ms=settings.sqlite_busy_ms)
    upgrade(writer_engine)
    reader_engine = make_engine(url, for_writing=False, busy_ms=settings.sqlite_busy_ms)
    clock = settings.clock()
    templates = Jinja2Templates(directory=PACKAGE / "templates")
    template_helpers.install(templates.env)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.sciatica.close()

    app = FastAPI(
        lifespan=lifespan,
        title="sciatica-care",
        summary="Safe, explainable massage-therapy care for people with sciatica.",
        version="1",
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.sciatica = AppState(
        settings=settings,
        readers=session_factory(reader_engine),
        writers=session_factory(writer_engine),
        protocol=default_protocol().with_emergency_number(settings.emergency_number),
        signer=Signer.from_key(secret_key(settings.secret_key, settings.home)),
        templates=templates,
        engines=(writer_engine, reader_engine),
        write_slots=asyncio.Semaphore(1 if url.startswith("sqlite") else WRITERS_ON_POSTGRES),
        clock=clock,
    )
    app.mount("/static", StaticFiles(directory=PACKAGE / "static"), name="static")
    routers = (
        api,
        account,
        care,
        care_forms,
        care_sessions,
        client,
        threads,
        learn,
        admin,
        api_fhir,
        calendar,
        report,
        csv,
    )
    for module in routers:
        app.include_router(module.router)
    _install_error_handlers(app)
    api.install_openapi(app)

    # The body bounded before any parsing, and a guarded write's sign-in checked before its body
    # is read at all (outside: see web/body_limit.py, web/sign_in_first.py).
    app.add_middleware(
        BodyLimit,
        limit=settings.max_body_bytes,
        larger={"/api/v1/plan": settings.max_history_bytes},
        refusals=Refusals(too_large=_too_large, too_deep=_too_deep),
    )
    app.add_middleware(
        SignInFirst, routes=app.routes, state=app.state.sciatica, refuse=_sign_in_answer
    )
    app.add_middleware(SecurityHeaders)
    if settings.response_cache:
        app.add_middleware(
            ResponseCache,
            version=sqlite_version(url),
            today=clock.today,
            reads=route_reads(app.routes),
            budget=settings.response_cache_bytes,
        )
    if settings.trusted_proxies:  # outermost: every layer sees the real client
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    return app


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _sign_in_answer(request: Request, detail: str | None = None) -> Response:
    """No valid session or token: 401 on the API, the sign-in page (and back) for pages."""
    if _is_api(request):
        return _problems(401, detail or "sign in required: send Authorization: Bearer <token>")
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target)}", status_code=303)


def _too_large(scope: Scope, limit: int) -> Response:
    message = f"the request body is larger than {limit} bytes"
    request = Request(scope)
    if _is_api(request):
        return _problems(413, message)
    return _page(request, 413, "Too much at once", f"{message}: send less and try again")


def _too_deep(scope: Scope, levels: int) -> Response:
    return _problems(422, "invalid input", [f"body: nested too deeply (at most {levels} levels)"])


def _problems(status: int, detail: str, problems: list[str] | None = None) -> JSONResponse:
    body: dict[str, object] = {"detail": detail}
    if problems is not None:
        body["problems"] = problems
    return JSONResponse(body, status_code=status)


def _page(request: Request, status: int, title: str, message: str) -> Response:
    templates: Jinja2Templates = request.app.state.sciatica.templates
    return templates.TemplateResponse(
        request, "error.html", {"title": title, "message": message}, status_code=status
    )


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, error: SignInRequired) -> Response:
        return _sign_in_answer(request, error.detail)

    @app.exception_handler(CsrfRejected)
    async def _csrf(request: Request, _error: CsrfRejected) -> Response:
        message = "the form expired or came from another site: reload the page and try again"
        if _is_api(request):
            return _problems(403, message)
        return _page(request, 403, "Please try again", message)

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, error: NotFound) -> Response:
        if _is_api(request):
            return _problems(404, str(error))
        return _page(request, 404, "Not found", "There is nothing here, or it is not yours to see.")

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, error: Forbidden) -> Response:
        if _is_api(request):
            return _problems(403, str(error))
        return _page(request, 403, "Not allowed", str(error))

    @app.exception_handler(InputProblems)
    async def _input(request: Request, error: InputProblems) -> Response:
        return _problems(422, "invalid input", error.problems)

    @app.exception_handler(HistoryProblems)
    async def _history(request: Request, error: HistoryProblems) -> Response:
        return _problems(422, "invalid history", error.problems)

    @app.exception_handler(ServiceError)
    async def _service(request: Request, error: ServiceError) -> Response:
        if _is_api(request):
            return _problems(409, str(error))
        return _page(request, 409, "That did not work", str(error))

    @app.exception_handler(OperationalError)
    async def _busy(request: Request, error: OperationalError) -> Response:
        if not is_busy(error):
            raise error
        response: Response
        if _is_api(request) or request.method != "POST":
            response = _problems(503, BUSY_MESSAGE)
        else:
            response = _busy_form(request, await request.form())
        response.headers["retry-after"] = str(BUSY_RETRY_AFTER)
        return response

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError) -> Response:
        problems = [
            f"{_path(item.get('loc', ()))}: {item.get('msg', 'invalid')}" for item in error.errors()
        ]
        return _problems(422, "invalid input", problems)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, error: HTTPException) -> Response:
        if _is_api(request) or error.status_code == 405:
            return _problems(error.status_code, str(error.detail))
        titles = {404: "Not found", 429: "Please wait"}
        title = titles.get(error.status_code, "Something went wrong")
        response = _page(request, error.status_code, title, str(error.detail))
        for name, value in (error.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(Exception)
    async def _server_error(request: Request, _error: Exception) -> Response:
        # Answered by Starlette's outermost middleware, past SecurityHeaders: set them here.
        message = "something went wrong on our side; please try again"
        if _is_api(request):
            response: Response = _problems(500, message)
        else:
            response = _page(request, 500, "Something went wrong", message)
        response.headers.update(answer_headers(request.url.path))
        return response


def _busy_form(request: Request, form: FormData) -> Response:
    """The busy page: every value of the refused form, typed as it was, ready to send again."""
    templates: Jinja2Templates = request.app.state.sciatica.templates
    fields = [(k, v) for k, v in form.multi_items() if isinstance(v, str) and k != "csrf_token"]
    context = {
        "title": "Not saved yet: please try again",
        "message": BUSY_MESSAGE,
        "action": request.url.path,
        "fields": fields,
        "csrf": form.get("csrf_token", ""),
    }
    return templates.TemplateResponse(request, "busy.html", context, status_code=503)


def _path(location: object) -> str:
    """A pydantic error location as a JSON path: ('body', 'items', 0, 'x') -> items[0].x."""
    parts = (
        [p for p in location if p not in ("body", "query", "path")]
        if isinstance(location, (tuple, list))
        else []
    )
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "body"
