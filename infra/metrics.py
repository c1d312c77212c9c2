"""Prometheus metrics of every process (one registry per process)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from prometheus_client import Counter, Gauge, Histogram
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HTTP_REQUEST_SECONDS = Histogram(
    "recoloca_http_request_duration_seconds",
    "HTTP request latency by route.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
MESSAGES_HANDLED = Counter(
    "recoloca_messages_handled_total", "Messages handled successfully.", ["consumer", "topic"]
)
MESSAGES_FAILED = Counter(
    "recoloca_messages_failed_total", "Handler failures (each attempt).", ["consumer", "topic"]
)
MESSAGES_RETRIED = Counter(
    "recoloca_messages_retried_total", "Messages sent to a retry topic.", ["consumer", "topic"]
)
MESSAGES_DEAD_LETTERED = Counter(
    "recoloca_messages_dead_lettered_total", "Messages sent to a DLQ.", ["consumer", "topic"]
)
HANDLER_SECONDS = Histogram(
    "recoloca_handler_duration_seconds",
    "Time spent in a handler, success or failure.",
    ["consumer"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10),
)
CONSUMER_LAG = Gauge(
    "recoloca_consumer_lag",
    "Messages between a group's position and the end of the partition.",
    ["group", "topic", "partition"],
)
OUTBOX_BACKLOG = Gauge("recoloca_outbox_backlog", "Outbox messages waiting for publication.")
OUTBOX_OLDEST_AGE = Gauge(
    "recoloca_outbox_oldest_age_seconds", "Age of the oldest unpublished outbox message."
)
OUTBOX_PUBLISHED = Counter("recoloca_outbox_published_total", "Outbox messages published.")


class HttpMetricsMiddleware:
    """Latency by route template (``/v1/cvs/{cv_id}``), never by raw path."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            HTTP_REQUEST_SECONDS.labels(
                scope["method"], route_template(scope), str(status)
            ).observe(time.perf_counter() - started)


def route_template(scope: Scope) -> str:
    """The route's path template. Routing sets it for API routes; a request answered
    before routing (a 413 from the size limit) or by a plain route (``/docs``) is matched
    here. Only paths no route knows are ``unmatched``, which keeps the label bounded."""
    route = scope.get("route")
    if route is not None and getattr(route, "path", None):
        return str(route.path)
    app = scope.get("app")
    return _match(getattr(getattr(app, "router", None), "routes", ()), scope) or "unmatched"


def _match(routes: Iterable[Any], scope: Scope) -> str | None:
    partial = None
    for candidate in routes:
        match, _ = candidate.matches(scope)
        if match is Match.NONE:
            continue
        # FastAPI keeps included routers as nodes of their own: look inside.
        nested = getattr(candidate, "effective_candidates", None)
        if callable(nested):
            found = _match(nested(), scope)
            if found:
                return found
            continue
        path = getattr(candidate, "path", None)
        if path and match is Match.FULL:
            return str(path)
        partial = partial or path  # the path exists, not for this method (405)
    return partial
