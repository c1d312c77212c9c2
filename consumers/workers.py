"""The catalogue of workers and how a worker's broker is assembled."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from faststream.kafka import KafkaBroker

from consumers.billing.handlers import routes as billing_routes
from consumers.coaching.handlers import dead_letter_hook as coaching_dead_letters
from consumers.coaching.handlers import routes as coaching_routes
from consumers.context import WorkerContext
from consumers.erasure.handlers import routes as erasure_routes
from consumers.export.handlers import routes as export_routes
from consumers.notifications.handlers import routes as notifications_routes
from consumers.parsing.handlers import routes as parsing_routes
from consumers.parsing.service import rehearse as parsing_rehearsal
from consumers.report.handlers import routes as report_routes
from consumers.routing import Routes, build_router, check_routes
from consumers.runtime import DeadLetterHook, ReprocessWindows, runtime_middleware
from consumers.scoring.handlers import routes as scoring_routes
from infra import metrics
from infra.kafka import require_bootstrap
from schemas.topics import CONSUMER_GROUPS, Topic, retry_topic


@dataclass(frozen=True)
class Worker:
    routes: Callable[[WorkerContext], Routes]
    topics: tuple[Topic, ...]
    # Records, where users see it, that a message was given up on (dead-lettered).
    dead_letter_hook: Callable[[WorkerContext], DeadLetterHook] | None = None
    # Done before the worker says it is ready, so its first message is as fast as the rest.
    warm_up: Callable[[WorkerContext], Awaitable[None]] | None = None
    # Nobody waits on its hop (a mail, a report): it polls the broker less often.
    background: bool = False


# A worker is its consumer group: its topics are the catalogue's (schemas/topics.py).
WORKERS: dict[str, Worker] = {
    "parsing": Worker(parsing_routes, CONSUMER_GROUPS["parsing"], warm_up=parsing_rehearsal),
    "scoring": Worker(scoring_routes, CONSUMER_GROUPS["scoring"]),
    "export": Worker(export_routes, CONSUMER_GROUPS["export"], background=True),
    "erasure": Worker(erasure_routes, CONSUMER_GROUPS["erasure"], background=True),
    "report": Worker(report_routes, CONSUMER_GROUPS["report"], background=True),
    "coaching": Worker(coaching_routes, CONSUMER_GROUPS["coaching"], coaching_dead_letters),
    "billing": Worker(billing_routes, CONSUMER_GROUPS["billing"], background=True),
    "notifications": Worker(
        notifications_routes, CONSUMER_GROUPS["notifications"], background=True
    ),
}


def retry_topics() -> list[str]:
    return [retry_topic(t.name, name) for name, worker in WORKERS.items() for t in worker.topics]


@dataclass
class WorkerApp:
    name: str
    broker: KafkaBroker
    windows: ReprocessWindows = field(default_factory=ReprocessWindows)
    # Set by the runtime when offsets cannot be committed: the worker must reconnect.
    reconnect: asyncio.Event = field(default_factory=asyncio.Event)


_METADATA_MAX_AGE_MS = 10_000


def build_worker(name: str, ctx: WorkerContext) -> WorkerApp:
    """One broker per worker: its consumer group, its runtime, its routes, nothing else."""
    if name not in WORKERS:
        raise KeyError(f"unknown worker {name!r}; known: {', '.join(WORKERS)}")
    kafka = ctx.settings.kafka
    broker = KafkaBroker(
        require_bootstrap(kafka),
        client_id=f"recoloca-{name}",
        enable_idempotence=kafka.enable_idempotence,
        acks="all",
        # Our topics are declared with their partitions; never let a typo create one.
        allow_auto_create_topics=False,
        # Handlers log their own outcome with context; FastStream's per-message lines halve throughput.
        logger=None,
        graceful_timeout=10.0,
        # How soon a consumer sees a topic it reads appear or change (5 minutes by default).
        # A group that was assigned while a topic was missing (a broker that restarted
        # empty, before the relay declared its topics again) reads nothing of it until then.
        metadata_max_age_ms=_METADATA_MAX_AGE_MS,
    )
    app = WorkerApp(name=name, broker=broker)
    worker = WORKERS[name]
    hook = worker.dead_letter_hook(ctx) if worker.dead_letter_hook is not None else None
    broker.add_middleware(
        runtime_middleware(name, broker, ctx.settings, app.windows, app.reconnect, hook)
    )
    routes = worker.routes(ctx)
    check_routes(name, routes)
    broker.include_router(build_router(name, ctx.settings, routes, background=worker.background))
    return app


async def report_lag(app: WorkerApp, stopping: asyncio.Event, every: float = 5.0) -> None:
    """Keep the lag gauge of this instance's partitions current."""
    while not stopping.is_set():
        for subscriber in app.broker.subscribers:
            consumer = getattr(subscriber, "consumer", None)
            if consumer is None:
                continue
            for tp in consumer.assignment():
                highwater = consumer.highwater(tp)
                if highwater is None:
                    continue
                with contextlib.suppress(Exception):
                    position = await consumer.position(tp)
                    metrics.CONSUMER_LAG.labels(app.name, tp.topic, str(tp.partition)).set(
                        max(highwater - position, 0)
                    )
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), timeout=every)


def group_joined(app: WorkerApp) -> bool:
    """Every subscriber of the worker has joined its group and received its assignment."""
    subscribers = list(app.broker.subscribers)
    return bool(subscribers) and all(
        _has_assignment(getattr(subscriber, "consumer", None)) for subscriber in subscribers
    )


def _has_assignment(consumer: object) -> bool:
    if consumer is None:
        return False
    if consumer.assignment():  # type: ignore[attr-defined]
        return True
    # aiokafka sets the subscription's assignment (possibly empty, when the group has more
    # members than partitions) once the group is synced; assignment() cannot tell
    # "not yet" from "nothing for this member".
    subscription = getattr(getattr(consumer, "_subscription", None), "subscription", None)
    return (
        subscription is not None
        and subscription.assignment is not None
        and not subscription._reassignment_in_progress
    )
