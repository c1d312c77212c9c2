"""The AsyncAPI document of the bus, generated from the real subscribers and message types."""

from __future__ import annotations

from functools import cache
from typing import Any

from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI
from faststream.specification.base import Specification

from consumers.context import WorkerContext
from consumers.workers import WORKERS, build_worker
from infra.settings import Settings
from schemas.topics import TOPICS


@cache
def specification() -> Specification:
    """Built from brokers that are never started: nothing connects."""
    settings = Settings()
    settings = settings.model_copy(
        update={"kafka": settings.kafka.model_copy(update={"bootstrap_servers": "kafka:9092"})}
    )
    ctx = WorkerContext.unconnected(settings)
    brokers: list[KafkaBroker] = [build_worker(name, ctx).broker for name in WORKERS]
    relay = KafkaBroker("kafka:9092", client_id="recoloca-relay", logger=None)
    for topic in TOPICS:
        # What the outbox relay publishes, typed by the event model.
        relay.publisher(
            topic.name,
            schema=topic.event,
            title=f"relay:{topic.name}",
            description=topic.description,
        )
    return AsyncAPI(
        *brokers,
        relay,
        title="Recoloca bus",
        version="1.0.0",
        description="Commands and events between the API, the outbox relay and the workers.",
    ).to_specification()


def specification_json() -> dict[str, Any]:
    document: dict[str, Any] = specification().to_jsonable()
    return document
