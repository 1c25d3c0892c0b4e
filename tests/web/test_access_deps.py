"""Every route with a `{client_id}` takes its client from one of the access dependencies."""

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from sciatica_care.web.access_deps import LOADERS, ClientWriter
from tests.web.world import World


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    """The callables a route depends on, at any depth."""
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _calls(sub)


def _client_routes(app: FastAPI) -> list[tuple[str, APIRoute]]:
    """Each route whose path has a `{client_id}`, by its path in the app."""
    found = []
    for context in iter_route_contexts(app.routes):
        route, path = context.original_route, context.path
        if isinstance(route, APIRoute) and path is not None and "{client_id" in path:
            found.append((path, route))
    return found


def _loads_its_client(call: Callable[..., Any]) -> bool:
    owner = getattr(call, "__self__", call)  # a ClientWriter, or its bound `writing`
    return call in LOADERS or isinstance(owner, ClientWriter)


def test_every_client_route_loads_its_client_through_an_access_dependency(world: World) -> None:
    routes = _client_routes(world.app)
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
    ((_, route),) = _client_routes(app)
    assert not any(_loads_its_client(call) for call in _calls(route.dependant))
