"""One Kafka consumer per worker: every topic the worker reads, and their retries, arrive
through a single subscriber and are handed to the route of their topic.

A consumer per topic made a group of nine members for notifications alone: each join
rebalanced all of them, and every idle member polled the broker ten times a second.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from faststream.kafka import KafkaRouter
from faststream.kafka.annotations import KafkaMessage

from consumers.runtime import consumer_topics, subscriber_options
from infra.settings import Settings
from schemas.topics import CONSUMER_GROUPS, Topic


@dataclass(frozen=True)
class Route:
    # Called with the message decoded as its topic's event type.
    handle: Callable[[Any], Awaitable[object]]
    description: str


Routes = Mapping[Topic, Route]


def check_routes(consumer: str, routes: Routes) -> None:
    """A worker routes exactly the topics the catalogue says its group reads."""
    expected = {topic.name for topic in CONSUMER_GROUPS[consumer]}
    routed = {topic.name for topic in routes}
    if routed != expected:
        raise ValueError(f"worker {consumer!r} routes {sorted(routed)}, reads {sorted(expected)}")


def build_router(consumer: str, settings: Settings, routes: Routes) -> KafkaRouter:
    by_name: dict[str, tuple[Topic, Route]] = {
        name: (topic, route)
        for topic, route in routes.items()
        for name in consumer_topics(consumer, topic)
    }
    router = KafkaRouter()

    # The body is decoded here, by the topic's own model, not by FastStream's signature
    # (a validation error still reaches the runtime, which dead-letters it at once).
    @router.subscriber(*by_name, **subscriber_options(consumer, settings))
    async def dispatch(msg: KafkaMessage) -> None:
        record = msg.raw_message
        assert not isinstance(record, tuple), "a worker never subscribes in batches"
        topic, route = by_name[record.topic]
        await route.handle(topic.event.model_validate_json(msg.body))

    return router
