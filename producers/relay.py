"""The outbox relay: publishes committed outbox rows to Kafka, in order, at least once.

Woken by the NOTIFY each outbox write sends at commit; a slow poll is only the safety
net. One relay is active at a time (a Postgres advisory lock), which keeps per-key order.
If Kafka or Postgres is unreachable the rows wait in Postgres and go out when it is back.

The lock belongs to one connection, the one that also LISTENs. When that connection dies
(a restarted or failed-over server, a proxy's idle cut, a terminated backend) the lock is
gone and another relay may take it: this one then stops publishing, stands by, and leads
again on a new connection once it holds the lock, listening again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import asyncpg
import structlog
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from infra import metrics
from infra.db.repositories import outbox as outbox_repo
from infra.db.session import Database, database_unavailable, to_asyncpg_dsn
from infra.kafka import ensure_topics, make_producer
from infra.settings import Settings
from infra.storage import make_object_store
from producers.expiry import purge_expired_exports
from producers.grace import announce_grace_expiries
from producers.recovery import requeue_stalled

log = structlog.get_logger(__name__)

_LEADER_LOCK = 0x7265636F6C6F6361  # "recoloca"
_MAX_BACKOFF_SECONDS = 5.0
_GAUGE_SECONDS = 5.0
# How often the lead's connection is asked whether it still lives: a connection cut without
# a word (half-open TCP) is noticed only when used.
_LEAD_CHECK_SECONDS = 5.0


class _LeadLost(Exception):
    """The connection holding the relay's lock is gone, and the lock with it."""


class OutboxRelay:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self._wake = asyncio.Event()
        self._producer: AIOKafkaProducer | None = None
        self._storage = make_object_store(settings)
        self.published = 0

    async def run(
        self,
        stopping: asyncio.Event,
        on_active: Callable[[], None] | None = None,
        on_standby: Callable[[], None] | None = None,
    ) -> None:
        """Publish while leading, until ``stopping``; ``on_active`` and ``on_standby`` are
        called as the lead is taken and lost."""
        failures = 0

        def active() -> None:
            nonlocal failures
            failures = 0
            if on_active is not None:
                on_active()

        while not stopping.is_set():
            try:
                await self._lead(stopping, active)
                return
            except Exception as exc:
                if not _is_away(exc):
                    raise
                log.warning("outbox relay not leading, standing by", error=repr(exc))
                if on_standby is not None:
                    on_standby()
                await _sleep_unless(stopping, min(0.5 * 2**failures, _MAX_BACKOFF_SECONDS))
                failures += 1

    async def _lead(self, stopping: asyncio.Event, on_active: Callable[[], None] | None) -> None:
        listener = await asyncpg.connect(to_asyncpg_dsn(self.db.url))
        # Wakes the loop at once when the server closes the connection.
        listener.add_termination_listener(lambda _conn: self._wake.set())
        try:
            await self._become_leader(listener, stopping)
            if stopping.is_set():
                return
            await listener.add_listener(outbox_repo.NOTIFY_CHANNEL, self._on_notify)
            log.debug("outbox relay active")
            if on_active is not None:
                on_active()
            await self._loop(stopping, listener)
        finally:
            await self._close_producer()
            if listener.is_closed():
                listener.terminate()
            else:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(listener.close(), timeout=5)

    def _on_notify(self, *_args: object) -> None:
        self._wake.set()

    async def _become_leader(self, listener: asyncpg.Connection, stopping: asyncio.Event) -> None:
        while not await listener.fetchval("SELECT pg_try_advisory_lock($1)", _LEADER_LOCK):
            log.info("another outbox relay is active; standing by")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), timeout=5)
            if stopping.is_set():
                return

    @staticmethod
    async def _check_lead(listener: asyncpg.Connection) -> None:
        if listener.is_closed():
            raise _LeadLost("its connection closed")
        try:
            await asyncio.wait_for(listener.execute("SELECT 1"), timeout=_LEAD_CHECK_SECONDS)
        except Exception as exc:
            if not _is_away(exc):
                raise
            raise _LeadLost(repr(exc)) from exc

    async def _loop(self, stopping: asyncio.Event, listener: asyncpg.Connection) -> None:
        backoff = 0.1
        recovery_every = self.settings.outbox.recovery_seconds
        next_recovery = asyncio.get_running_loop().time() + recovery_every
        next_gauge = 0.0
        next_lead_check = asyncio.get_running_loop().time() + _LEAD_CHECK_SECONDS
        while not stopping.is_set():
            self._wake.clear()
            if listener.is_closed() or asyncio.get_running_loop().time() >= next_lead_check:
                # Before the batch: a relay that lost its lock must not publish beside the
                # one that took it.
                await self._check_lead(listener)
                next_lead_check = asyncio.get_running_loop().time() + _LEAD_CHECK_SECONDS
            try:
                sent = await self.publish_batch()
            except Exception as exc:
                if not (isinstance(exc, KafkaError) or _is_away(exc)):
                    raise
                log.warning("outbox kept, publishing later", error=repr(exc), retry_in=backoff)
                if not database_unavailable(exc):
                    await self._close_producer()
                await _sleep_unless(stopping, backoff)
                backoff = min(backoff * 2, _MAX_BACKOFF_SECONDS)
                continue
            backoff = 0.1
            if sent == self.settings.outbox.batch_size:
                continue
            now = asyncio.get_running_loop().time()
            if now >= next_gauge:
                next_gauge = now + _GAUGE_SECONDS
                await self._update_gauges()
            if now >= next_recovery:
                next_recovery = now + recovery_every
                await requeue_stalled(
                    self.db, older_than=timedelta(seconds=self.settings.outbox.stalled_seconds)
                )
                # The relay runs once per deployment (the leader): the sweeps live here.
                # A failed sweep is retried next round; it must never stop the relay.
                try:
                    await purge_expired_exports(self.db, self._storage)
                except Exception as exc:
                    log.warning("expired exports not purged", error=type(exc).__name__)
                try:
                    await announce_grace_expiries(
                        self.db, timedelta(days=self.settings.billing.grace_days)
                    )
                except Exception as exc:
                    log.warning("grace expiries not announced", error=type(exc).__name__)
                continue
            waiters = {
                asyncio.ensure_future(self._wake.wait()),
                asyncio.ensure_future(stopping.wait()),
            }
            _done, pending = await asyncio.wait(
                waiters,
                timeout=self.settings.outbox.poll_seconds,
                return_when=asyncio.FIRST_COMPLETED,
            )
            for task in pending:
                task.cancel()

    async def publish_batch(self) -> int:
        """Publish the oldest waiting rows; their delete commits only once Kafka acknowledged
        them."""
        async with self.db.transaction() as session:
            rows = await outbox_repo.take_batch(session, self.settings.outbox.batch_size)
            if not rows:
                return 0
            producer = await self._get_producer()
            futures = [
                await producer.send(
                    row.topic,
                    value=json.dumps(row.payload).encode(),
                    key=row.key.encode() if row.key else None,
                    headers=[("content-type", b"application/json")]
                    + [(name, str(value).encode()) for name, value in row.headers.items()],
                )
                for row in rows
            ]
            await asyncio.wait_for(asyncio.gather(*futures), timeout=15)
        self.published += len(rows)
        metrics.OUTBOX_PUBLISHED.inc(len(rows))
        log.debug("outbox published", count=len(rows))
        return len(rows)

    async def _update_gauges(self) -> None:
        async with self.db.sessions() as session:
            count, oldest = await outbox_repo.backlog(session)
        metrics.OUTBOX_BACKLOG.set(count)
        age = (datetime.now(UTC) - oldest).total_seconds() if oldest else 0.0
        metrics.OUTBOX_OLDEST_AGE.set(max(age, 0.0))

    async def _get_producer(self) -> AIOKafkaProducer:
        if self._producer is None:
            # A restarted broker may have forgotten its topics: declare them on every (re)connect.
            await asyncio.wait_for(ensure_topics(self.settings.kafka), timeout=10)
            producer = make_producer(self.settings.kafka)
            try:
                await asyncio.wait_for(producer.start(), timeout=10)
            except BaseException:
                await producer.stop()
                raise
            self._producer = producer
        return self._producer

    async def _close_producer(self) -> None:
        if self._producer is not None:
            producer, self._producer = self._producer, None
            with contextlib.suppress(Exception):
                await asyncio.wait_for(producer.stop(), timeout=5)


# What the lead's own (raw asyncpg) connection raises once the server closed it or is
# going away: a connection error (08), an operator's intervention (57: shutdown, not yet
# accepting), or a call on a connection already closed.
_CONNECTION_GONE = (
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.OperatorInterventionError,
    asyncpg.InterfaceError,
)


def _is_away(exc: BaseException) -> bool:
    """A lost lead, or Postgres or the network away: worth waiting out, unlike a bug."""
    return isinstance(exc, (_LeadLost, OSError, TimeoutError, *_CONNECTION_GONE)) or (
        database_unavailable(exc)
    )


async def _sleep_unless(stopping: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stopping.wait(), timeout=seconds)
