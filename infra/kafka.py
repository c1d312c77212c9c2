"""Kafka plumbing shared by the relay, the workers and the operator tools."""

from __future__ import annotations

import contextlib

import structlog
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from infra.errors import NotConfiguredError
from infra.settings import KafkaSettings
from schemas.topics import all_topic_names

log = structlog.get_logger(__name__)


def require_bootstrap(settings: KafkaSettings) -> str:
    if not settings.bootstrap_servers:
        raise NotConfiguredError("KAFKA_BOOTSTRAP_SERVERS")
    return settings.bootstrap_servers


def make_producer(settings: KafkaSettings) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        bootstrap_servers=require_bootstrap(settings),
        acks="all",
        enable_idempotence=settings.enable_idempotence,
        linger_ms=5,
        request_timeout_ms=10_000,
    )


async def ensure_topics(settings: KafkaSettings, names: list[str] | None = None) -> list[str]:
    """Create missing topics with the configured partitions; return those created.

    Topics are declared here rather than auto-created, which would give them one partition.
    """
    admin = AIOKafkaAdminClient(bootstrap_servers=require_bootstrap(settings))
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        wanted = [name for name in (names or all_topic_names()) if name not in existing]
        if wanted:
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(
                    [
                        NewTopic(
                            name,
                            num_partitions=settings.partitions,
                            replication_factor=settings.replication_factor,
                        )
                        for name in wanted
                    ]
                )
            log.debug("kafka topics created", topics=wanted)
        return wanted
    finally:
        await admin.close()


async def kafka_reachable(settings: KafkaSettings) -> None:
    """Raise unless the cluster answers a metadata request."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=require_bootstrap(settings), request_timeout_ms=3000
    )
    await admin.start()
    try:
        await admin.list_topics()
    finally:
        await admin.close()
