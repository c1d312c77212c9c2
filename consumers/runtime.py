"""The one consumer runtime every worker goes through.

- Offsets are committed by the runtime itself, only after the handler's effect is
  committed (FastStream's ``MANUAL`` policy); an error that escapes rewinds the partition
  to the message, so nothing is lost. A commit that cannot complete (the broker lost the
  group) asks the worker to reconnect; the message is then redelivered and skipped.
- Idempotency is the services' job: ``(consumer, idempotency_key)`` is claimed in the
  effect's transaction (see :func:`idempotency_key`).
- With the database away (refused or lost connections, no free connection in time), a
  message is not at fault and no other message could do better: the worker waits, then
  has the same message again, without spending an attempt. Otherwise an outage longer
  than the retries would dead-letter every message that arrived during it.
- Any other failing message never blocks its partition: it is re-published to the consumer's
  retry topic (``<topic>.retry.<consumer>``) with the attempt number and a not-before
  time, and the partition moves on; a retry that is not due pauses only its own
  partition. After ``max_attempts`` — or at once when it cannot be decoded — it goes
  to ``<topic>.dlq`` with the reason in its headers.
- Every log line of a handler carries the message's correlation, event and user ids.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import os
import signal
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import structlog
from aiokafka import TopicPartition
from aiokafka.errors import IllegalStateError, KafkaError
from faststream import AckPolicy
from faststream._internal.middlewares import BaseMiddleware
from faststream.kafka import KafkaBroker
from faststream.message import StreamMessage
from pydantic import ValidationError

from infra import metrics
from infra.db.session import database_unavailable
from infra.settings import Settings
from schemas.topics import Topic, retry_topic

log = structlog.get_logger(__name__)

_CONTEXT_HEADERS = ("correlation_id", "event_id", "user_id", "type")
RETRY_ATTEMPT = "retry-attempt"
RETRY_NOT_BEFORE = "retry-not-before"
RETRY_ORIGINAL_TOPIC = "retry-original-topic"
RETRY_ORIGINAL_PARTITION = "retry-original-partition"
RETRY_ORIGINAL_OFFSET = "retry-original-offset"
_RUNTIME_HEADERS = (
    RETRY_ATTEMPT,
    RETRY_NOT_BEFORE,
    RETRY_ORIGINAL_TOPIC,
    RETRY_ORIGINAL_PARTITION,
    RETRY_ORIGINAL_OFFSET,
)


class _DatabaseAway(Exception):
    """The handler failed because the database is away, not because of its message."""


# Waits between two tries of a message while the database is away: short, so that a
# stopping worker is not held and a database back is used at once.
_AWAY_WAIT_FIRST_SECONDS = 0.5
_AWAY_WAIT_MAX_SECONDS = 5.0


class PermanentError(Exception):
    """A message that will never succeed as it is: dead-letter it without retrying."""


# Why a message was given up on, as its worker's users may be told.
RETRIES_EXHAUSTED = "retries_exhausted"
UNPROCESSABLE = "unprocessable"


@dataclass(frozen=True)
class DeadLettered:
    """A message the runtime gave up on, once its dead letter is published."""

    msg: StreamMessage[Any]
    attempts: int
    error_type: str
    # ``retries_exhausted`` or ``unprocessable`` (it can never succeed as it is).
    reason: str


# Run after the dead letter is published. If it raises, the message is redelivered (and
# dead-lettered again): a hook must be idempotent.
DeadLetterHook = Callable[[DeadLettered], Awaitable[None]]


def consumer_topics(consumer: str, topic: Topic) -> tuple[str, str]:
    """The topics a consumer's subscriber reads for ``topic``: the topic and its retries."""
    return topic.name, retry_topic(topic.name, consumer)


def subscriber_options(
    consumer: str, settings: Settings, fetch_max_wait_ms: int | None = None
) -> dict[str, Any]:
    """Options every subscriber must use; a test checks that none is left at FastStream's
    at-most-once default."""
    if fetch_max_wait_ms is None:
        fetch_max_wait_ms = settings.kafka.fetch_max_wait_ms
    return {
        "group_id": consumer,
        "ack_policy": AckPolicy.MANUAL,
        "auto_offset_reset": "earliest",
        "session_timeout_ms": settings.kafka.session_timeout_ms,
        "heartbeat_interval_ms": settings.kafka.heartbeat_interval_ms,
        "fetch_max_wait_ms": fetch_max_wait_ms,
    }


@dataclass
class ReprocessWindows:
    """Offsets an operator asked to re-run for real (``recoloca replay --reprocess``):
    per (topic, partition), messages below ``until`` are handled as a new run."""

    windows: dict[tuple[str, int], tuple[int, int, str]] = field(default_factory=dict)

    def open(self, topic: str, partition: int, start: int, until: int, run_id: str) -> None:
        if until > start:
            self.windows[(topic, partition)] = (start, until, run_id)

    def run_for(self, topic: str, partition: int, offset: int) -> str | None:
        window = self.windows.get((topic, partition))
        if window is None:
            return None
        start, until, run_id = window
        if offset >= until:
            del self.windows[(topic, partition)]
            return None
        return run_id if offset >= start else None


_reprocess_run: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "reprocess_run", default=None
)


def reprocessing() -> bool:
    """True while handling a message an operator asked to re-run (not merely replay)."""
    return _reprocess_run.get() is not None


def idempotency_key(event_id: uuid.UUID) -> uuid.UUID:
    """The key a service claims for a message: its event id, or — during a reprocess run —
    a key derived from it and the run, so the run takes effect once, and only once."""
    run = _reprocess_run.get()
    return event_id if run is None else uuid.uuid5(event_id, f"reprocess:{run}")


def _is_permanent(exc: BaseException) -> bool:
    return isinstance(
        exc, ValidationError | PermanentError | json.JSONDecodeError | UnicodeDecodeError
    )


def runtime_middleware(
    consumer: str,
    broker: KafkaBroker,
    settings: Settings,
    windows: ReprocessWindows,
    reconnect: asyncio.Event | None = None,
    on_dead_letter: DeadLetterHook | None = None,
) -> Callable[..., BaseMiddleware]:
    """The broker middleware of worker ``consumer``; sets ``reconnect`` when it cannot commit
    and calls ``on_dead_letter`` for each message it gives up on."""
    policy = settings.consumer
    # Consecutive tries that found the database away (middlewares are made per message).
    away = [0]

    class ConsumerRuntime(BaseMiddleware):
        async def consume_scope(
            self,
            call_next: Callable[[StreamMessage[Any]], Awaitable[Any]],
            msg: StreamMessage[Any],
        ) -> Any:
            if _held_until_due(msg, policy.retry_backoff_max_seconds):
                return None
            try:
                result = await self._handle(call_next, msg)
            except asyncio.CancelledError:
                raise
            except _DatabaseAway as exc:
                wait = min(_AWAY_WAIT_FIRST_SECONDS * 2 ** away[0], _AWAY_WAIT_MAX_SECONDS)
                away[0] += 1
                log.warning(
                    "database unavailable, message kept",
                    consumer=consumer,
                    error=_describe(exc.__cause__ or exc),
                    retry_in=wait,
                )
                await asyncio.sleep(wait)
                # Back to this offset: the message comes again, its attempt not counted.
                # A rebalance meanwhile gave the partition away: its new reader starts at
                # the committed offset, before this message, all the same.
                with contextlib.suppress(IllegalStateError):
                    await msg.nack()
                return None
            except BaseException:
                # Not even a retry or a dead letter could be recorded: rewind and try again.
                await msg.nack()
                raise
            away[0] = 0
            await _commit(msg, policy.commit_timeout_seconds, reconnect)
            return result

        async def _handle(
            self,
            call_next: Callable[[StreamMessage[Any]], Awaitable[Any]],
            msg: StreamMessage[Any],
        ) -> Any:
            record = msg.raw_message
            headers = {k: str(v) for k, v in (msg.headers or {}).items()}
            source = headers.get(RETRY_ORIGINAL_TOPIC, record.topic)
            attempt = int(headers.get(RETRY_ATTEMPT, "1"))
            context = {k: headers[k] for k in _CONTEXT_HEADERS if k in headers}
            with structlog.contextvars.bound_contextvars(
                consumer=consumer, attempt=attempt, **context
            ):
                run = windows.run_for(record.topic, record.partition, record.offset)
                token = _reprocess_run.set(run)
                started = time.perf_counter()
                try:
                    result = await call_next(msg)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    if database_unavailable(exc):
                        raise _DatabaseAway from exc
                    metrics.MESSAGES_FAILED.labels(consumer, source).inc()
                    if _is_permanent(exc) or attempt >= policy.max_attempts:
                        await dead_letter(broker, consumer, source, msg, exc, attempt)
                        metrics.MESSAGES_DEAD_LETTERED.labels(consumer, source).inc()
                        if on_dead_letter is not None:
                            reason = UNPROCESSABLE if _is_permanent(exc) else RETRIES_EXHAUSTED
                            await on_dead_letter(
                                DeadLettered(msg, attempt, type(exc).__name__, reason)
                            )
                    else:
                        await schedule_retry(broker, consumer, source, msg, exc, attempt, settings)
                        metrics.MESSAGES_RETRIED.labels(consumer, source).inc()
                    return None
                finally:
                    _reprocess_run.reset(token)
                    metrics.HANDLER_SECONDS.labels(consumer).observe(time.perf_counter() - started)
                metrics.MESSAGES_HANDLED.labels(consumer, source).inc()
                if settings.fault.kill_after_effect == consumer:
                    # Fault injection: die between the effect's commit and the offset commit.
                    os.kill(os.getpid(), signal.SIGKILL)
                return result

    return ConsumerRuntime


async def _commit(msg: StreamMessage[Any], within: float, reconnect: asyncio.Event | None) -> None:
    try:
        await asyncio.wait_for(msg.ack(), within)
    except (TimeoutError, KafkaError) as exc:
        # The effect is committed and idempotent: redelivery after a reconnect is harmless.
        log.error("offset commit failed, reconnecting", error=repr(exc))
        if reconnect is not None:
            reconnect.set()


def _held_until_due(msg: StreamMessage[Any], longest: float) -> bool:
    """Put a retry that is not due yet back on its partition, and pause that partition
    until it is: the worker's other partitions, its sources included, move on."""
    not_before = (msg.headers or {}).get(RETRY_NOT_BEFORE)
    if not not_before:
        return False
    delay = min(float(not_before) - time.time(), longest)
    if delay <= 0:
        return False
    record = msg.raw_message
    consumer = msg.consumer  # type: ignore[attr-defined]
    partition = TopicPartition(record.topic, record.partition)
    consumer.seek(partition, record.offset)
    consumer.pause(partition)
    asyncio.get_running_loop().call_later(delay, _resume, consumer, partition)
    return True


def _resume(consumer: Any, partition: TopicPartition) -> None:
    # A rebalance may have taken the partition away (a new assignment is never paused),
    # or the worker stopped its consumer meanwhile.
    with contextlib.suppress(IllegalStateError, AssertionError):
        consumer.resume(partition)


def _forwarded_headers(msg: StreamMessage[Any]) -> dict[str, str]:
    return {
        k: str(v)
        for k, v in (msg.headers or {}).items()
        if k not in _RUNTIME_HEADERS and not k.startswith("dlq-")
    }


async def schedule_retry(
    broker: KafkaBroker,
    consumer: str,
    source: str,
    msg: StreamMessage[Any],
    exc: BaseException,
    attempt: int,
    settings: Settings,
) -> None:
    policy = settings.consumer
    delay = min(policy.retry_backoff_seconds * 2 ** (attempt - 1), policy.retry_backoff_max_seconds)
    record = msg.raw_message
    headers = (
        _forwarded_headers(msg)
        | _origin(msg)
        | {
            RETRY_ATTEMPT: str(attempt + 1),
            RETRY_NOT_BEFORE: f"{time.time() + delay:.3f}",
        }
    )
    await broker.publish(
        record.value, topic=retry_topic(source, consumer), key=record.key, headers=headers
    )
    log.warning("handler failed, retry scheduled", error=_describe(exc), retry_in=delay)


async def dead_letter(
    broker: KafkaBroker,
    consumer: str,
    source: str,
    msg: StreamMessage[Any],
    exc: BaseException,
    attempts: int,
) -> None:
    """Publish the original bytes to ``<topic>.dlq``; if that fails the error propagates
    and the message is redelivered rather than lost."""
    record = msg.raw_message
    origin = _origin(msg)
    headers = _forwarded_headers(msg) | {
        "dlq-original-topic": source,
        "dlq-original-partition": origin[RETRY_ORIGINAL_PARTITION],
        "dlq-original-offset": origin[RETRY_ORIGINAL_OFFSET],
        "dlq-received-from": record.topic,
        "dlq-consumer": consumer,
        "dlq-attempts": str(attempts),
        "dlq-error-type": type(exc).__name__,
        "dlq-error": _describe(exc)[:1000],
        "dlq-at": f"{time.time():.3f}",
    }
    await broker.publish(record.value, topic=f"{source}.dlq", key=record.key, headers=headers)
    log.error(
        "message dead-lettered",
        topic=source,
        partition=record.partition,
        offset=record.offset,
        error=_describe(exc),
        exc_info=not _is_permanent(exc),
    )


def _origin(msg: StreamMessage[Any]) -> dict[str, str]:
    """Where the message first arrived, kept across its retries."""
    headers = msg.headers or {}
    record = msg.raw_message
    return {
        RETRY_ORIGINAL_TOPIC: str(headers.get(RETRY_ORIGINAL_TOPIC, record.topic)),
        RETRY_ORIGINAL_PARTITION: str(headers.get(RETRY_ORIGINAL_PARTITION, record.partition)),
        RETRY_ORIGINAL_OFFSET: str(headers.get(RETRY_ORIGINAL_OFFSET, record.offset)),
    }


def _describe(exc: BaseException) -> str:
    # Validation messages may quote the payload: keep the type and location only.
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['type']}" for e in exc.errors())
    return f"{type(exc).__name__}: {exc}"
