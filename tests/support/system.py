"""Starting the product for tests, and waiting on it without sleeping blindly."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import httpx
from pydantic import BaseModel, SecretStr
from sqlalchemy import func, select

from consumers.workers import WORKERS
from entrypoints.runner import API, RELAY, run_components
from infra.db.migrate import upgrade
from infra.db.models import Analysis, UserEvent
from infra.db.session import Database
from infra.embedded import EmbeddedStack, free_port
from infra.mail_sink import MailSink, start_mail_sink
from infra.settings import BillingSettings, Environment, RateLimitSettings, Settings

T = TypeVar("T")


def test_settings(stack: EmbeddedStack, data_dir: Path) -> Settings:
    """Settings pointing at the given URLs, or at embedded services started now."""
    base = Settings(env=Environment.TEST, data_dir=data_dir)
    database_url = os.environ.get("RECOLOCA_DATABASE_URL") or stack.start_postgres()
    redis_url = os.environ.get("RECOLOCA_REDIS_URL") or stack.start_redis()
    kafka = os.environ.get("RECOLOCA_KAFKA_BOOTSTRAP_SERVERS") or stack.start_kafka()
    sink = suite_mail_sink(data_dir)
    settings = base.model_copy(
        update={
            "database": base.database.model_copy(update={"url": database_url, "pool_size": 5}),
            "redis": base.redis.model_copy(update={"url": redis_url}),
            "kafka": base.kafka.model_copy(
                update={
                    "bootstrap_servers": kafka,
                    "session_timeout_ms": 2000,
                    "heartbeat_interval_ms": 500,
                }
            ),
            "api": base.api.model_copy(update={"port": free_port()}),
            "outbox": base.outbox.model_copy(update={"poll_seconds": 0.5}),
            "ratelimit": suite_limits(base.ratelimit),
            "billing": suite_plans(base.billing),
            "stripe": base.stripe.model_copy(
                update={"webhook_secret": SecretStr(SUITE_WEBHOOK_SECRET)}
            ),
            # Every mail of the suite lands in data_dir/mail.
            "smtp": base.smtp.model_copy(
                update={"host": sink.host, "port": sink.port, "backoff_seconds": 0.05}
            ),
        }
    )
    upgrade(database_url)
    return settings


_SINKS: dict[Path, MailSink] = {}


def suite_mail_sink(data_dir: Path) -> MailSink:
    """The suite's SMTP server (one per data directory, started on first use): it keeps
    each message as an .eml under ``data_dir/mail``; a daemon thread, gone with the process."""
    sink = _SINKS.get(data_dir)
    if sink is None:
        sink = _SINKS[data_dir] = start_mail_sink(data_dir / "mail")
    return sink


# Every test comes from one address and polls freely: the suite runs under budgets
# no test reaches. tests/integration/test_rate_limits.py runs the shipped ones.
_SUITE_BUDGET = "100000 per minute"


def suite_limits(limits: RateLimitSettings) -> RateLimitSettings:
    buckets = ("login_account", "login_ip", "registration", "password_reset", "uploads", "coach")
    return limits.model_copy(
        update={
            **dict.fromkeys(buckets, _SUITE_BUDGET),
            "general": _SUITE_BUDGET,
            "sse_streams": 50,
        }
    )


# Tests upload and chat far past the free plan; tests/integration/test_billing*.py run the
# shipped plans.
_SUITE_PLAN_LIMIT = 1_000_000
SUITE_WEBHOOK_SECRET = "whsec_suite_only_not_a_real_secret"


def suite_plans(billing: BillingSettings) -> BillingSettings:
    names = (
        "free_analyses_per_month",
        "free_coach_messages_per_day",
        "pro_analyses_per_month",
        "pro_coach_messages_per_day",
    )
    return billing.model_copy(update=dict.fromkeys(names, _SUITE_PLAN_LIMIT))


@dataclass
class RunningSystem:
    settings: Settings
    base_url: str
    db: Database
    stopping: asyncio.Event

    def client(self, **kwargs: object) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.base_url, timeout=10, **kwargs)  # type: ignore[arg-type]

    async def scorings(self, ids: list[str]) -> tuple[dict[uuid.UUID, int], int]:
        """Analyses per CV of ``ids``, and how many cv.scored events their users were sent."""
        async with self.db.sessions() as session:
            per_cv = dict(
                (
                    await session.execute(
                        select(Analysis.cv_id, func.count())
                        .where(Analysis.cv_id.in_([uuid.UUID(i) for i in ids]))
                        .group_by(Analysis.cv_id)
                    )
                ).all()
            )
            events = await session.scalar(
                select(func.count())
                .select_from(UserEvent)
                .where(UserEvent.type == "cv.scored", UserEvent.data["cv_id"].astext.in_(ids))
            )
        return per_cv, int(events or 0)


@asynccontextmanager
async def running_system(
    settings: Settings, components: list[str] | None = None
) -> AsyncIterator[RunningSystem]:
    stopping = asyncio.Event()
    task = asyncio.create_task(
        run_components(
            settings, components or [API, RELAY, *WORKERS], stopping, handle_signals=False
        )
    )
    base_url = f"http://{settings.api.host}:{settings.api.port}"
    assert settings.database.url is not None
    db = Database(settings.database.url, pool_size=2)
    try:
        async with httpx.AsyncClient(base_url=base_url) as client:

            async def ready() -> bool:
                if task.done():
                    task.result()
                try:
                    return (await client.get("/readyz")).status_code == 200
                except httpx.TransportError:
                    return False

            # Ready, not merely alive: the relay is active and every worker has its partitions.
            await wait_for(ready, timeout=60, what="the system to be ready")
        yield RunningSystem(settings=settings, base_url=base_url, db=db, stopping=stopping)
    finally:
        stopping.set()
        # Every worker may use its graceful time after a broker restart; on a loaded
        # 2-core machine that passed 30 s.
        await asyncio.wait_for(task, timeout=90)
        await db.dispose()


async def wait_for(
    probe: Callable[[], Awaitable[T | None]], *, timeout: float = 10, what: str = "a condition"
) -> T:
    """Poll ``probe`` until it returns something truthy; fail with the last value seen."""
    deadline = time.monotonic() + timeout
    last: T | None = None
    while time.monotonic() < deadline:
        last = await probe()
        if last:
            return last
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}; last seen: {last!r}")


async def isolated_settings(
    settings: Settings, data_dir: Path, **groups: dict[str, object]
) -> Settings:
    """Settings for a system of its own: a new database and API port, same Redis; ``groups``
    override setting groups (e.g. ``kafka={"bootstrap_servers": ...}``)."""
    from tests.support.databases import create_database

    assert settings.database.url is not None
    database_url = await create_database(settings.database.url, "isolated")
    await asyncio.to_thread(upgrade, database_url)
    update: dict[str, object] = {
        "data_dir": data_dir,
        "database": settings.database.model_copy(update={"url": database_url}),
        "api": settings.api.model_copy(update={"port": free_port()}),
    }
    for group, values in groups.items():
        # Over what is set above (the API's own port stays).
        base = update.get(group, getattr(settings, group))
        assert isinstance(base, BaseModel)
        update[group] = base.model_copy(update=values)
    return settings.model_copy(update=update)
