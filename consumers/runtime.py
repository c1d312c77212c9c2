"""The one consumer runtime every worker goes through.

- Offsets are committed only after the handler's effect is committed (``NACK_ON_ERROR``:
  an error that escapes rewinds the partition, so nothing is lost).
- Idempotency is the services' job (``processed_messages`` in the effect's transaction).
- A message that cannot be decoded, or keeps failing after bounded retries, goes to
  ``<topic>.dlq`` with the reason in its headers; the partition moves on.
- Every log line of a handler carries the message's correlation, event and user ids.
"""

from __future__ import annotations

import asyncio
import json
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import structlog
from faststream import AckPolicy
from faststream._internal.middlewares import BaseMiddleware
from faststream.kafka import KafkaBroker
from faststream.message import StreamMessage
from pydantic import ValidationError

from infra.settings import Settings

log = structlog.get_logger(__name__)

_CONTEXT_HEADERS = ("correlation_id", "event_id", "user_id", "type")


class PermanentError(Exception):
    """A message that will never succeed as it is: dead-letter it without retrying."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3
    first_backoff_seconds: float = 0.2
    max_backoff_seconds: float = 2.0

    def backoff(self, attempt: int) -> float:
        return float(
            min(self.first_backoff_seconds * 2.0 ** (attempt - 1), self.max_backoff_seconds)
        )


def subscriber_options(consumer: str, settings: Settings) -> dict[str, Any]:
    """Options every subscriber must use; a test checks that none is left at FastStream's
    at-most-once default."""
    return {
        "group_id": consumer,
        "ack_policy": AckPolicy.NACK_ON_ERROR,
        "auto_offset_reset": "earliest",
        "session_timeout_ms": settings.kafka.session_timeout_ms,
        "heartbeat_interval_ms": settings.kafka.heartbeat_interval_ms,
        # An idle fetch waits this long before it returns; a short wait keeps hops snappy.
        "fetch_max_wait_ms": settings.kafka.fetch_max_wait_ms,
    }


def _is_permanent(exc: BaseException) -> bool:
    return isinstance(
        exc, ValidationError | PermanentError | json.JSONDecodeError | UnicodeDecodeError
    )


def runtime_middleware(
    consumer: str, broker: KafkaBroker, policy: RetryPolicy | None = None
) -> Callable[..., BaseMiddleware]:
    """The broker middleware of worker ``consumer`` (retries, DLQ, log context)."""
    retry = policy or RetryPolicy()

    class ConsumerRuntime(BaseMiddleware):
        async def consume_scope(
            self, call_next: Callable[[StreamMessage[Any]], Awaitable[Any]], msg: StreamMessage[Any]
        ) -> Any:
            headers = {k: v for k, v in (msg.headers or {}).items() if k in _CONTEXT_HEADERS}
            with structlog.contextvars.bound_contextvars(consumer=consumer, **headers):
                attempt = 0
                while True:
                    attempt += 1
                    try:
                        return await call_next(msg)
                    except asyncio.CancelledError:
                        raise
                    except Exception as exc:
                        if _is_permanent(exc) or attempt >= retry.attempts:
                            await dead_letter(broker, consumer, msg, exc, attempt)
                            return None
                        delay = retry.backoff(attempt)
                        log.warning(
                            "handler failed, retrying",
                            error=repr(exc),
                            attempt=attempt,
                            retry_in=delay,
                        )
                        await asyncio.sleep(delay)

    return ConsumerRuntime


async def dead_letter(
    broker: KafkaBroker,
    consumer: str,
    msg: StreamMessage[Any],
    exc: BaseException,
    attempts: int,
) -> None:
    """Publish the original bytes to ``<topic>.dlq``; if that fails the error propagates
    and the message is redelivered rather than lost."""
    record = msg.raw_message
    headers = {k: str(v) for k, v in (msg.headers or {}).items()}
    headers.update(
        {
            "dlq-original-topic": record.topic,
            "dlq-original-partition": str(record.partition),
            "dlq-original-offset": str(record.offset),
            "dlq-consumer": consumer,
            "dlq-attempts": str(attempts),
            "dlq-error-type": type(exc).__name__,
            # Validation messages may quote the payload: keep the type and location only.
            "dlq-error": _describe(exc)[:1000],
        }
    )
    await broker.publish(record.value, topic=f"{record.topic}.dlq", key=record.key, headers=headers)
    log.error(
        "message dead-lettered",
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        attempts=attempts,
        error_type=type(exc).__name__,
        traceback="".join(traceback.format_exception(exc, limit=5))
        if not _is_permanent(exc)
        else None,
    )


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['type']}" for e in exc.errors())
    return f"{type(exc).__name__}: {exc}"
