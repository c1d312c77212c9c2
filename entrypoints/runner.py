"""Running the processes: the API, the outbox relay, the workers, or all of them at once.

Signals are handled here, once: SIGINT/SIGTERM set ``stopping`` and every component
winds down in order (stop taking work, finish or abandon the message in flight, close).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import signal
import socket
from collections.abc import Callable, Coroutine, Iterator
from datetime import timedelta
from typing import Any

import structlog
import uvicorn
from aiokafka.errors import KafkaError
from prometheus_client import start_http_server

from infra.db.session import Database
from infra.errors import NotConfiguredError, OperatorError
from infra.kafka import ensure_topics
from infra.readiness import Readiness
from infra.settings import Settings
from schemas.topics import all_topic_names

log = structlog.get_logger(__name__)

API = "api"
RELAY = "relay"


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: the runner owns the signals."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


async def serve_api(
    settings: Settings, stopping: asyncio.Event, readiness: Readiness | None = None
) -> None:
    from api.app import create_app
    from api.http_protocol import head_deadline_protocol

    config = uvicorn.Config(
        create_app(settings, readiness=readiness, stopping=stopping),
        host=settings.api.host,
        port=settings.api.port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=3,
        lifespan="on",
        http=head_deadline_protocol(settings.api.header_timeout_seconds),
        # The server's name and version help only someone looking for its known flaws.
        server_header=False,
        proxy_headers=True,
        forwarded_allow_ips=settings.api.forwarded_allow_ips,
    )
    server = _Server(config)
    # An inherited socket (`recoloca dev` shares one between its API processes).
    sockets = [socket.socket(fileno=settings.api.fd)] if settings.api.fd is not None else None
    serving = asyncio.create_task(server.serve(sockets=sockets))
    stop_wait = asyncio.create_task(stopping.wait())
    started = asyncio.create_task(_until(lambda: server.started or serving.done()))
    await asyncio.wait({serving, stop_wait, started}, return_when=asyncio.FIRST_COMPLETED)
    if server.started and readiness is not None:
        readiness.set(API, True)
        await asyncio.wait({serving, stop_wait}, return_when=asyncio.FIRST_COMPLETED)
    if readiness is not None:
        readiness.set(API, False)
    server.should_exit = True
    stop_wait.cancel()
    started.cancel()
    await serving
    if not server.started:
        raise OperatorError(
            f"the API could not listen on {settings.api.host}:{settings.api.port}",
            "choose another port with RECOLOCA_API_PORT",
        )


async def _until(condition: Callable[[], bool], every: float = 0.02) -> None:
    # Polled: neither uvicorn nor aiokafka signals "started" / "assigned" with an event.
    while not condition():  # noqa: ASYNC110
        await asyncio.sleep(every)


async def run_relay(
    settings: Settings, stopping: asyncio.Event, readiness: Readiness | None = None
) -> None:
    from producers.recovery import requeue_stalled
    from producers.relay import OutboxRelay

    db = Database(_require(settings.database.url, "DATABASE_URL"), pool_size=2)
    try:
        relay = OutboxRelay(db, settings)
        if settings.outbox.requeue_on_start:
            # A broker that forgot its messages (the embedded one, on restart): re-send what
            # was in flight. Consumers skip what they had already done.
            await requeue_stalled(db, older_than=timedelta(0))
        await relay.run(
            stopping,
            on_active=lambda: readiness.set(RELAY, True) if readiness else None,
            on_standby=lambda: readiness.set(RELAY, False) if readiness else None,
        )
    finally:
        if readiness is not None:
            readiness.set(RELAY, False)
        await db.dispose()


async def run_worker(
    name: str, settings: Settings, stopping: asyncio.Event, readiness: Readiness | None = None
) -> None:
    from consumers.context import WorkerContext
    from consumers.control import serve_commands
    from consumers.workers import WORKERS, build_worker, group_joined, report_lag, retry_topics

    ctx = WorkerContext.from_settings(settings)
    warm_up = WORKERS[name].warm_up
    if warm_up is not None:
        await warm_up(ctx)
    if settings.metrics.port:
        start_http_server(settings.metrics.port)
    backoff = 0.5
    try:
        while not stopping.is_set():
            app = build_worker(name, ctx)
            helpers: list[asyncio.Task[None]] = []
            try:
                await ensure_topics(settings.kafka, [*all_topic_names(), *retry_topics()])
                joined = functools.partial(group_joined, app)
                try:
                    # Bounded: a group that never settles must not keep the worker unready.
                    async with asyncio.timeout(settings.consumer.join_timeout_seconds):
                        await app.broker.start()
                        await _first(stopping.wait(), app.reconnect.wait(), _until(joined, 0.05))
                except TimeoutError:
                    log.warning("group not joined in time, worker starts over", worker=name)
                    continue  # after the finally below has stopped this attempt
                helpers = [
                    asyncio.create_task(
                        serve_commands(name, app.broker, ctx.redis, app.windows, stopping)
                    ),
                    asyncio.create_task(report_lag(app, stopping)),
                ]
                if group_joined(app) and readiness is not None:
                    readiness.set(name, True)
                log.debug("worker started", worker=name)
                backoff = 0.5
                await _first(stopping.wait(), app.reconnect.wait())
            except (KafkaError, OSError) as exc:
                # The broker is away: wait and try again rather than take the process down.
                log.warning("kafka unavailable, worker waits", worker=name, error=repr(exc))
                await _first(stopping.wait(), asyncio.sleep(backoff))
                backoff = min(backoff * 2, 5.0)
            finally:
                if readiness is not None:
                    readiness.set(name, False)
                # Stops fetching, waits for the handler in flight (bounded), leaves the group.
                await app.broker.stop()
                for helper in helpers:
                    helper.cancel()
                await asyncio.gather(*helpers, return_exceptions=True)
            if app.reconnect.is_set() and not stopping.is_set():
                log.warning("worker reconnecting", worker=name)
    finally:
        await ctx.close()
        log.debug("worker stopped", worker=name)


async def _first(*waits: Coroutine[Any, Any, object]) -> None:
    tasks = [asyncio.ensure_future(wait) for wait in waits]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()


async def run_components(
    settings: Settings,
    components: list[str],
    stopping: asyncio.Event | None = None,
    *,
    handle_signals: bool = True,
    readiness: Readiness | None = None,
) -> None:
    """Run the named components in this process until SIGINT/SIGTERM (or ``stopping``)."""
    from consumers.workers import WORKERS

    stopping = stopping or asyncio.Event()
    readiness = readiness or Readiness()
    for name in components:
        readiness.expect(name)
    loop = asyncio.get_running_loop()
    signals = (signal.SIGINT, signal.SIGTERM) if handle_signals else ()
    for sig in signals:
        loop.add_signal_handler(sig, stopping.set)

    def runner(name: str) -> Callable[[], Coroutine[Any, Any, None]]:
        assert stopping is not None
        if name == API:
            return lambda: serve_api(settings, stopping, readiness)
        if name == RELAY:
            return lambda: run_relay(settings, stopping, readiness)
        if name in WORKERS:
            return lambda: run_worker(name, settings, stopping, readiness)
        raise ValueError(f"unknown component {name!r}")

    tasks: dict[asyncio.Task[None], str] = {
        asyncio.create_task(runner(name)(), name=name): name for name in components
    }
    freezing = asyncio.create_task(_freeze_once_ready(readiness))
    if settings.health.port is not None:
        from entrypoints.health import serve_health

        probes = serve_health(settings.health, readiness, stopping)
        tasks[asyncio.create_task(probes, name="health")] = "health"
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        if any(task.exception() is not None for task in done):
            stopping.set()
        await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        freezing.cancel()
        for sig in signals:
            loop.remove_signal_handler(sig)
    failed = {tasks[t]: t.exception() for t in tasks if not t.cancelled() and t.exception()}
    for exc in failed.values():
        if isinstance(exc, OperatorError):
            raise exc
    for name, exc in failed.items():
        log.error("component failed", component=name, error=repr(exc))
    if failed:
        raise OperatorError(f"stopped after a failure in: {', '.join(failed)}")


async def _freeze_once_ready(readiness: Readiness) -> None:
    """Exempt what start-up made (modules, settings, warm-up) from garbage collection.

    A full collection walks every object the process holds: with the libraries loaded
    that is about half a second here, stopping the event loop each time. Frozen, the
    start-up's objects are never walked again; only what the process makes afterwards."""
    await readiness.wait_ready()
    gc.freeze()


def _require(value: str | None, name: str) -> str:
    if not value:
        raise NotConfiguredError(name)
    return value
