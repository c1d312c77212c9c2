"""How a worker reads: one Kafka consumer for every topic the worker reads and their
retries, each message handed to the route of its topic.

A consumer per topic made a group of nine members for notifications alone: each join
rebalanced all of them. One member per process keeps a group's rebalances to the
processes that come and go. The broker's work grows with the partitions each fetch polls,
so the background workers poll less often than the hops a user waits on.
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


def build_router(
    consumer: str, settings: Settings, routes: Routes, *, background: bool = False
) -> KafkaRouter:
    """``background``: nobody waits on this worker's hop, so it polls less often."""
    kafka = settings.kafka
    by_name: dict[str, tuple[Topic, Route]] = {
        name: (topic, route)
        for topic, route in routes.items()
        for name in consumer_topics(consumer, topic)
    }
    wait = kafka.background_fetch_max_wait_ms if background else kafka.fetch_max_wait_ms
    router = KafkaRouter()

    # The body is decoded here, by the topic's own model, not by FastStream's signature
    # (a validation error still reaches the runtime, which dead-letters it at once).
    @router.subscriber(*by_name, **subscriber_options(consumer, settings, wait))
    async def dispatch(msg: KafkaMessage) -> None:
        record = msg.raw_message
        assert not isinstance(record, tuple), "a worker never subscribes in batches"
        topic, route = by_name[record.topic]
        await route.handle(topic.event.model_validate_json(msg.body))

    return router
