"""Every dependency of every route is a coroutine: FastAPI runs a plain ``def`` in a
worker thread, a thread hop per dependency per request."""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Iterator

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from api.app import create_app
from infra.settings import Settings


def _sync_calls(dependant: Dependant) -> set[str]:
    found: set[str] = set()
    for sub in dependant.dependencies:
        call = sub.call
        if call is not None:
            target = call if inspect.isfunction(call) else type(call).__call__
            if not (inspect.iscoroutinefunction(target) or inspect.isasyncgenfunction(target)):
                found.add(getattr(call, "__qualname__", repr(call)))
        found |= _sync_calls(sub)
    return found


def _api_routes(routes: Iterable[object]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        # An included router keeps its own routes (FastAPI resolves them lazily).
        included = getattr(route, "original_router", None) or getattr(route, "router", None)
        if included is not None and hasattr(included, "routes"):
            yield from _api_routes(included.routes)


def test_no_route_waits_on_a_thread_for_its_dependencies(settings: Settings) -> None:
    app = create_app(settings)
    routes = list(_api_routes(app.routes))
    assert len(routes) > 50
    sync = {name for route in routes for name in _sync_calls(route.dependant)}
    assert sync == set()
