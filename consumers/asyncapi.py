"""The AsyncAPI document of the bus, generated from the workers' routes and message types."""

from __future__ import annotations

from functools import cache
from typing import Any

from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI
from faststream.specification.base import Specification

from consumers.context import WorkerContext
from consumers.routing import Route
from consumers.runtime import consumer_topics
from consumers.workers import WORKERS
from infra.settings import Settings
from schemas.topics import TOPICS, Topic


@cache
def specification() -> Specification:
    """Built from brokers that are never started: nothing connects."""
    settings = Settings()
    settings = settings.model_copy(
        update={"kafka": settings.kafka.model_copy(update={"bootstrap_servers": "kafka:9092"})}
    )
    ctx = WorkerContext.unconnected(settings)
    brokers: list[KafkaBroker] = []
    for name, worker in WORKERS.items():
        # A worker reads all its topics through one consumer; the document shows each
        # topic as its own channel, typed by its event.
        broker = KafkaBroker("kafka:9092", client_id=f"recoloca-{name}", logger=None)
        for topic, route in worker.routes(ctx).items():
            _document(broker, name, topic, route)
        brokers.append(broker)
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


def _document(broker: KafkaBroker, consumer: str, topic: Topic, route: Route) -> None:
    async def receives(event: Any) -> None:
        """Never called: it types the channel by the topic's event."""

    receives.__annotations__ = {"event": topic.event, "return": None}
    broker.subscriber(
        *consumer_topics(consumer, topic),
        group_id=consumer,
        title=f"{consumer}:{topic.name}",
        description=route.description,
    )(receives)


def specification_json() -> dict[str, Any]:
    document: dict[str, Any] = specification().to_jsonable()
    return document
