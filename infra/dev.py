"""``recoloca dev``: the whole product in one process on embedded services."""

from __future__ import annotations

import asyncio
import contextlib

import structlog

from infra.db.migrate import upgrade
from infra.embedded import EmbeddedStack
from infra.runner import API, RELAY, run_components
from infra.settings import Settings

log = structlog.get_logger(__name__)


def with_embedded_services(settings: Settings, stack: EmbeddedStack) -> Settings:
    """Start what has no URL and return the settings pointing at it."""
    database, redis, kafka, outbox = (
        settings.database,
        settings.redis,
        settings.kafka,
        settings.outbox,
    )
    if not database.url:
        database = database.model_copy(update={"url": stack.start_postgres()})
    if not redis.url:
        redis = redis.model_copy(update={"url": stack.start_redis()})
    if not kafka.bootstrap_servers:
        kafka = kafka.model_copy(
            update={
                "bootstrap_servers": stack.start_kafka(),
                "enable_idempotence": False,
                "session_timeout_ms": 6000,
                "heartbeat_interval_ms": 1000,
            }
        )
        outbox = outbox.model_copy(update={"requeue_on_start": True})
    return settings.model_copy(
        update={"database": database, "redis": redis, "kafka": kafka, "outbox": outbox}
    )


def run_dev(settings: Settings) -> None:
    from consumers.workers import WORKERS

    stack = EmbeddedStack(settings.data_dir / "dev")
    try:
        settings = with_embedded_services(settings, stack)
        assert settings.database.url is not None
        upgrade(settings.database.url)
        log.info(
            "recoloca is starting",
            api=f"http://{settings.api.host}:{settings.api.port}",
            docs=f"http://{settings.api.host}:{settings.api.port}/docs",
        )
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(run_components(settings, [API, RELAY, *WORKERS]))
    finally:
        stack.stop()
        log.info("recoloca stopped")
