"""The catalogue of workers and how a worker's broker is assembled."""

from __future__ import annotations

from collections.abc import Callable

from faststream.kafka import KafkaBroker, KafkaRouter

from consumers.context import WorkerContext
from consumers.parsing.handlers import build_router as parsing_router
from consumers.runtime import runtime_middleware
from consumers.scoring.handlers import build_router as scoring_router
from infra.kafka import require_bootstrap

WORKERS: dict[str, Callable[[WorkerContext], KafkaRouter]] = {
    "parsing": parsing_router,
    "scoring": scoring_router,
}


def build_broker(name: str, ctx: WorkerContext) -> KafkaBroker:
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
    )
    broker.add_middleware(runtime_middleware(name, broker))
    broker.include_router(WORKERS[name](ctx))
    return broker
