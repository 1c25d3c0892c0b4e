"""Every route with a `{client_id}` takes its client from one of the access dependencies, and
every admin route its user from the admin's."""

from collections.abc import Callable, Iterator
from typing import Any, get_args

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from sciatica_care.web.access_deps import LOADERS, AdminReader, AdminWriter, ClientWriter
from tests.web.world import World


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    """The callables a route depends on, at any depth."""
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _calls(sub)


def _routes(app: FastAPI, part: str) -> list[tuple[str, APIRoute]]:
    """Each route whose path has `part` in it, by its path in the app."""
    found = []
    for context in iter_route_contexts(app.routes):
        route, path = context.original_route, context.path
        if isinstance(route, APIRoute) and path is not None and part in path:
            found.append((path, route))
    return found


def _loads_its_client(call: Callable[..., Any]) -> bool:
    owner = getattr(call, "__self__", call)  # a ClientWriter, or its bound `writing`
    return call in LOADERS or isinstance(owner, ClientWriter)


def test_every_client_route_loads_its_client_through_an_access_dependency(world: World) -> None:
    routes = _routes(world.app, "{client_id")
    assert len(routes) > 20
    unchecked = [
        f"{sorted(route.methods or ())} {path}"
        for path, route in routes
        if not any(_loads_its_client(call) for call in _calls(route.dependant))
    ]
    assert unchecked == []


def test_the_walk_would_catch_a_route_without_one() -> None:
    from fastapi import APIRouter

    router = APIRouter()

    @router.get("/clients/{client_id}")
    def bare(client_id: int) -> int:
        return client_id

    app = FastAPI()
    app.include_router(router)
    ((_, route),) = _routes(app, "{client_id")
    assert not any(_loads_its_client(call) for call in _calls(route.dependant))


def test_every_admin_route_takes_its_user_from_the_admin_dependencies(world: World) -> None:
    guards = {get_args(alias)[1].dependency for alias in (AdminReader, AdminWriter)}
    routes = _routes(world.app, "/admin")
    assert len(routes) > 8
    unguarded = [
        f"{sorted(route.methods or ())} {path}"
        for path, route in routes
        if not guards & set(_calls(route.dependant))
    ]
    assert unguarded == []
