"""``recoloca dev``: the whole product in one process on embedded services."""

from __future__ import annotations

import asyncio
import contextlib
import json
from pathlib import Path

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
                "session_timeout_ms": 4000,
                "heartbeat_interval_ms": 1000,
            }
        )
        outbox = outbox.model_copy(update={"requeue_on_start": True})
    return settings.model_copy(
        update={"database": database, "redis": redis, "kafka": kafka, "outbox": outbox}
    )


def _endpoints_file(settings: Settings) -> Path:
    return settings.data_dir / "dev" / "endpoints.json"


def attach_to_dev(settings: Settings) -> Settings:
    """Point unset URLs at a running ``recoloca dev`` of this directory, so the operator
    commands work against it (its embedded services listen on ports picked at start)."""
    path = _endpoints_file(settings)
    if not path.exists():
        return settings
    urls = json.loads(path.read_text())
    database, redis, kafka = settings.database, settings.redis, settings.kafka
    if not database.url:
        database = database.model_copy(update={"url": urls["database"]})
    if not redis.url:
        redis = redis.model_copy(update={"url": urls["redis"]})
    if not kafka.bootstrap_servers:
        kafka = kafka.model_copy(update={"bootstrap_servers": urls["kafka"]})
    return settings.model_copy(update={"database": database, "redis": redis, "kafka": kafka})


def run_dev(settings: Settings) -> None:
    from consumers.workers import WORKERS

    stack = EmbeddedStack(settings.data_dir / "dev")
    endpoints = _endpoints_file(settings)
    try:
        settings = with_embedded_services(settings, stack)
        assert settings.database.url is not None
        upgrade(settings.database.url)
        endpoints.write_text(
            json.dumps(
                {
                    "database": settings.database.url,
                    "redis": settings.redis.url,
                    "kafka": settings.kafka.bootstrap_servers,
                }
            )
        )
        log.info(
            "recoloca is starting",
            api=f"http://{settings.api.host}:{settings.api.port}",
            docs=f"http://{settings.api.host}:{settings.api.port}/docs",
        )
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(run_components(settings, [API, RELAY, *WORKERS]))
    finally:
        endpoints.unlink(missing_ok=True)
        stack.stop()
        log.info("recoloca stopped")
