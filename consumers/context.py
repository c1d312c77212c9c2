"""What a worker's handlers need, built once per process and closed at exit."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
import weakref
from dataclasses import dataclass, field
from typing import Any

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from consumers.coaching.providers import CoachProvider, OfflineCoach, make_coach
from consumers.parsing.sandbox import ParseSandbox
from consumers.scoring.providers import AnalysisProvider, OfflineProvider, make_provider
from infra.db.session import Database
from infra.redis import make_redis, user_channel
from infra.settings import Settings
from infra.storage import LocalObjectStore, ObjectStore, make_object_store
from infra.stripe_gateway import StripeGateway, gateway_from
from infra.vault import Vault

log = structlog.get_logger(__name__)


@dataclass
class WorkerContext:
    settings: Settings
    db: Database
    redis: Redis
    storage: ObjectStore
    vault: Vault
    ai: AnalysisProvider = field(default_factory=OfflineProvider)
    coach: CoachProvider = field(default_factory=OfflineCoach)
    # None without a Stripe API key: billing then trusts the events' own order.
    stripe: StripeGateway | None = None
    # Created on first use: only the parsing worker starts child processes.
    _sandbox: ParseSandbox | None = field(default=None, init=False, repr=False)
    _cv_locks: weakref.WeakValueDictionary[uuid.UUID, asyncio.Lock] = field(
        default_factory=weakref.WeakValueDictionary, init=False, repr=False
    )

    def cv_lock(self, cv_id: uuid.UUID) -> asyncio.Lock:
        """One handler at a time per CV in this process: copies of a message that arrive
        together (a re-publication racing the original) run one after the other, so the
        second sees the first's effect instead of counting as another parse."""
        lock = self._cv_locks.get(cv_id)
        if lock is None:
            lock = self._cv_locks[cv_id] = asyncio.Lock()
        return lock

    @property
    def sandbox(self) -> ParseSandbox:
        if self._sandbox is None:
            limits = self.settings.parsing
            self._sandbox = ParseSandbox(
                timeout_seconds=limits.timeout_seconds,
                memory_bytes=limits.memory_mb * 1024 * 1024,
                processes=limits.processes,
            )
        return self._sandbox

    @classmethod
    def from_settings(cls, settings: Settings) -> WorkerContext:
        if not settings.database.url or not settings.redis.url:
            raise RuntimeError("RECOLOCA_DATABASE_URL and RECOLOCA_REDIS_URL must be set")
        return cls(
            settings=settings,
            db=Database.of(settings.database),
            redis=make_redis(settings.redis.url),
            storage=make_object_store(settings),
            vault=Vault(settings.crypto.master_keys()),
            ai=make_provider(settings),
            coach=make_coach(settings),
            stripe=gateway_from(settings.stripe),
        )

    @classmethod
    def unconnected(cls, settings: Settings) -> WorkerContext:
        """A context that never connects (documentation, wiring checks)."""
        return cls(
            settings=settings,
            db=Database("postgresql://nobody@127.0.0.1:1/none"),
            redis=make_redis("redis://127.0.0.1:1/0"),
            storage=LocalObjectStore(settings.data_dir / "files"),
            vault=Vault(settings.crypto.master_keys()),
        )

    async def wake_user_streams(self, user_id: uuid.UUID, data: dict[str, Any]) -> None:
        """Tell the user's open SSE streams to read the event log.

        Best effort: the log in Postgres is the record and streams re-read it periodically,
        so a lost wake-up only delays delivery.
        """
        try:
            await self.redis.publish(user_channel(user_id), str(data.get("id", "")))
        except RedisError as exc:
            log.warning("could not wake SSE streams", error=repr(exc))

    async def close(self) -> None:
        if self._sandbox is not None:
            self._sandbox.close()
        await self.ai.aclose()
        await self.coach.aclose()
        if self.stripe is not None:
            await self.stripe.aclose()
        with contextlib.suppress(Exception):
            await self.redis.aclose()
        await self.db.dispose()
