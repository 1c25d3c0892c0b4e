"""The app's routes as one flat table: each FastAPI route with its full path and its matcher.

FastAPI keeps included routers nested; the middlewares that decide before routing (sign-in
first, the response cache) read this table instead, so a route added anywhere is in it.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import BaseRoute, compile_path


@dataclass(frozen=True, slots=True)
class Routed:
    """One route of the app: its full path, the methods it answers and what it depends on."""

    path: str
    methods: frozenset[str]
    route: APIRoute
    pattern: re.Pattern[str]

    def matches(self, method: str, path: str) -> bool:
        """Whether this route answers `method` at `path`."""
        return method in self.methods and self.pattern.match(path) is not None


def api_routes(routes: Sequence[BaseRoute]) -> list[Routed]:
    """Every FastAPI route of a route table, included routers flattened."""
    table = []
    for context in iter_route_contexts(routes):
        route, path = context.original_route, context.path
        if isinstance(route, APIRoute) and path:
            pattern, _, _ = compile_path(path)
            table.append(Routed(path, frozenset(route.methods or ()), route, pattern))
    return table


def dependants(dependant: Dependant) -> list[Dependant]:
    """A route's dependant and every dependency under it."""
    found, waiting = [], [dependant]
    while waiting:
        current = waiting.pop()
        found.append(current)
        waiting += current.dependencies
    return found
