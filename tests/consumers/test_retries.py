"""Retries and dead letters of the shared consumer runtime, on the real broker.

A throwaway consumer uses the same runtime as every worker; its handler fails on purpose.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from typing import Any

from aiokafka import AIOKafkaProducer
from faststream.kafka import KafkaBroker
from pydantic import BaseModel

from consumers.routing import Route, build_router
from consumers.runtime import (
    DeadLettered,
    DeadLetterHook,
    ReprocessWindows,
    consumer_topics,
    runtime_middleware,
    subscriber_options,
)
from infra.kafka import ensure_topics
from infra.settings import Settings
from schemas.topics import Topic, retry_topic
from tests.support.kafka import read_topic
from tests.support.system import wait_for


def _settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "consumer": settings.consumer.model_copy(
                update={
                    "max_attempts": 3,
                    "retry_backoff_seconds": 0.2,
                    "retry_backoff_max_seconds": 1,
                }
            )
        }
    )


class _GivenUp(list[DeadLettered]):
    """A dead-letter hook that keeps what it is given."""

    async def __call__(self, letter: DeadLettered) -> None:
        self.append(letter)


async def _test_topic(settings: Settings, prefix: str) -> tuple[str, Topic]:
    """A consumer name of its own and its topic, with the topic's retries and dead letters."""
    name = f"{prefix}-{uuid.uuid4().hex[:6]}"
    topic = Topic(f"test.{name}", object, "id", "test topic")  # type: ignore[arg-type]
    await ensure_topics(settings.kafka, [topic.name, f"{topic.name}.retry.{name}", topic.dlq])
    return name, topic


async def _run_consumer(
    settings: Settings,
    name: str,
    topic: Topic,
    handle: Any,
    on_dead_letter: DeadLetterHook | None = None,
) -> KafkaBroker:
    broker = KafkaBroker(
        settings.kafka.bootstrap_servers or "", logger=None, allow_auto_create_topics=False
    )
    broker.add_middleware(
        runtime_middleware(
            name, broker, settings, ReprocessWindows(), on_dead_letter=on_dead_letter
        )
    )

    @broker.subscriber(*consumer_topics(name, topic), **subscriber_options(name, settings))
    async def handler(body: dict[str, Any]) -> None:
        await handle(body)

    await broker.start()
    return broker


async def test_failures_are_retried_off_the_partition_then_dead_lettered(
    settings: Settings,
) -> None:
    settings = _settings(settings)
    name, topic = await _test_topic(settings, "retry-test")

    attempts: Counter[str] = Counter()
    handled: list[tuple[str, float]] = []

    async def handle(body: dict[str, Any]) -> None:
        attempts[body["id"]] += 1
        if body["id"] == "flaky" and attempts["flaky"] < 3:
            raise TimeoutError("the mail server did not answer")
        if body["id"] == "broken":
            raise RuntimeError("bug in the handler")
        handled.append((body["id"], time.monotonic()))

    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka.bootstrap_servers, acks="all")
    await producer.start()
    # One partition for all, so "the partition keeps moving" is observable.
    for key in ("flaky", "broken", *(f"good-{i}" for i in range(5))):
        await producer.send_and_wait(
            topic.name,
            value=b'{"id": "%s"}' % key.encode(),
            key=b"k",
            partition=0,
            headers=[("event_id", str(uuid.uuid4()).encode())],
        )
    await producer.stop()

    given_up = _GivenUp()
    broker = await _run_consumer(settings, name, topic, handle, given_up)
    try:
        await wait_for(
            lambda: asyncio.sleep(0, result=any(k == "flaky" for k, _ in handled)),
            timeout=20,
            what="the flaky message to succeed on a retry",
        )
        letters = await wait_for(
            lambda: read_topic(settings, topic.dlq),
            timeout=20,
            what="the broken message's dead letter",
        )
        await wait_for(
            lambda: asyncio.sleep(0, result=bool(given_up)),
            timeout=10,
            what="the dead-letter hook",
        )
    finally:
        await broker.stop()

    order = [key for key, _ in handled]
    assert order.index("good-0") < order.index("flaky"), "good messages did not wait for the retry"
    assert attempts["flaky"] == 3
    assert attempts["broken"] == 3
    assert Counter(order) == Counter(["flaky", *(f"good-{i}" for i in range(5))])
    assert len(letters) == 1
    info = {k: v.decode() for k, v in letters[0].headers}
    assert info["dlq-original-topic"] == topic.name
    assert info["dlq-original-partition"] == "0"
    assert info["dlq-original-offset"] == "1"
    assert info["dlq-consumer"] == name
    assert info["dlq-attempts"] == "3"
    assert info["dlq-error-type"] == "RuntimeError"
    assert "bug in the handler" in info["dlq-error"]
    assert info["event_id"]  # the envelope travels with it
    assert letters[0].value == b'{"id": "broken"}'
    [letter] = given_up
    assert letter.msg.body == b'{"id": "broken"}'
    assert letter.attempts == 3
    assert letter.reason == "retries_exhausted"
    assert letter.error_type == "RuntimeError"


async def test_a_database_outage_holds_the_message_without_spending_its_attempts(
    settings: Settings,
) -> None:
    from sqlalchemy.exc import OperationalError

    settings = _settings(settings)  # 3 attempts: the outage below outlasts them
    name, topic = await _test_topic(settings, "away-test")
    outage = [
        ConnectionRefusedError(111, "Connect call failed"),  # the server down
        OperationalError("SELECT 1", {}, Exception("server closed the connection")),
        ConnectionRefusedError(111, "Connect call failed"),
        OperationalError("SELECT 1", {}, Exception("the database system is starting up")),
    ]
    tries: list[str] = []
    handled: list[str] = []

    async def handle(body: dict[str, Any]) -> None:
        tries.append(body["id"])
        if outage:
            raise outage.pop(0)
        handled.append(body["id"])

    for key in ("first", "second"):
        await _send(settings, topic.name, b'{"id": "%s"}' % key.encode())
    given_up = _GivenUp()
    broker = await _run_consumer(settings, name, topic, handle, given_up)
    try:
        await wait_for(
            lambda: asyncio.sleep(0, result=len(handled) == 2),
            timeout=40,
            what="both messages handled once the database is back",
        )
    finally:
        await broker.stop()
    # The first message was tried again and again, in its place; the second waited.
    assert tries == ["first"] * 5 + ["second"]
    assert handled == ["first", "second"]
    assert not given_up
    assert await read_topic(settings, f"{topic.name}.retry.{name}") == []
    assert await read_topic(settings, topic.dlq) == []


async def _send(settings: Settings, topic: str, value: bytes) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka.bootstrap_servers, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(topic, value=value, key=b"k")
    finally:
        await producer.stop()


class _Probe(BaseModel):
    id: str


async def test_a_retry_waiting_for_its_time_holds_only_its_own_partition(
    settings: Settings,
) -> None:
    """A worker reads all its topics through one consumer: a retry that is not due must
    not stop the others (nor its own source topic) until it is."""
    settings = settings.model_copy(
        update={
            "consumer": settings.consumer.model_copy(
                update={"retry_backoff_seconds": 3, "retry_backoff_max_seconds": 3}
            )
        }
    )
    name = f"hold-test-{uuid.uuid4().hex[:6]}"
    first = Topic(f"test.{name}.a", _Probe, "id", "test topic")  # type: ignore[arg-type]
    second = Topic(f"test.{name}.b", _Probe, "id", "test topic")  # type: ignore[arg-type]
    await ensure_topics(
        settings.kafka,
        [first.name, retry_topic(first.name, name), second.name, retry_topic(second.name, name)],
    )
    handled: list[tuple[str, float]] = []
    failed_at: list[float] = []

    async def on_first(event: _Probe) -> None:
        if not failed_at:
            failed_at.append(time.monotonic())
            raise TimeoutError("try again later")
        handled.append((event.id, time.monotonic()))

    async def on_second(event: _Probe) -> None:
        handled.append((event.id, time.monotonic()))

    routes = {first: Route(on_first, "first"), second: Route(on_second, "second")}
    broker = KafkaBroker(
        settings.kafka.bootstrap_servers or "", logger=None, allow_auto_create_topics=False
    )
    broker.add_middleware(runtime_middleware(name, broker, settings, ReprocessWindows()))
    broker.include_router(build_router(name, settings, routes))
    assert len(broker.subscribers) == 1, "one consumer per worker"
    await broker.start()
    try:
        await _send(settings, first.name, b'{"id": "retried"}')
        await wait_for(
            lambda: asyncio.sleep(0, result=bool(failed_at)), timeout=20, what="the failure"
        )
        # The retry is now held for 3 s; both source topics keep flowing meanwhile.
        await asyncio.sleep(0.5)
        await _send(settings, first.name, b'{"id": "first-later"}')
        await _send(settings, second.name, b'{"id": "second"}')
        await wait_for(
            lambda: asyncio.sleep(0, result=len(handled) == 3),
            timeout=20,
            what="all three messages",
        )
    finally:
        await broker.stop()
    at = dict(handled)
    assert at["first-later"] - failed_at[0] < 2.5, "the held retry stopped its source topic"
    assert at["second"] - failed_at[0] < 2.5, "the held retry stopped another topic"
    assert at["retried"] - failed_at[0] >= 2.9, "the retry ran before its time"
