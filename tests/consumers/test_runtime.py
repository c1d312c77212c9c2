"""The consumer runtime's guarantees, checked on every worker (present and future)."""

from __future__ import annotations

import json
import uuid

import pytest
from aiokafka import AIOKafkaProducer, ConsumerRecord
from faststream import AckPolicy
from sqlalchemy import func, select

from consumers.context import WorkerContext
from consumers.runtime import subscriber_options
from consumers.workers import WORKERS, build_worker
from infra.db.models import Analysis, Cv, ProcessedMessage, UserEvent
from infra.settings import Settings
from tests.support.api import new_user, upload, wait_for_status
from tests.support.documents import txt_cv
from tests.support.kafka import committed_offsets, end_offsets, read_topic
from tests.support.system import RunningSystem, wait_for


@pytest.mark.parametrize("worker", sorted(WORKERS))
def test_no_subscriber_commits_before_its_effect(worker: str) -> None:
    """FastStream's default is ack-first (auto-commit: at most once). None may use it."""
    assert "ack_policy" in subscriber_options("x", Settings())
    settings = Settings()
    settings = settings.model_copy(
        update={"kafka": settings.kafka.model_copy(update={"bootstrap_servers": "127.0.0.1:1"})}
    )
    ctx = WorkerContext.unconnected(settings)
    broker = build_worker(worker, ctx).broker
    assert broker.subscribers, f"worker {worker} subscribes to nothing"
    for subscriber in broker.subscribers:
        # The runtime commits after the effect; FastStream must not commit on its own.
        assert subscriber.ack_policy is AckPolicy.MANUAL
        connection_args = getattr(subscriber, "_connection_args")  # noqa: B009 - private in FastStream
        assert connection_args["enable_auto_commit"] is False
        assert connection_args["auto_offset_reset"] == "earliest"


async def _produce(
    settings: Settings,
    topic: str,
    records: list[tuple[bytes | None, bytes, list[tuple[str, bytes]]]],
) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka.bootstrap_servers, acks="all")
    await producer.start()
    try:
        for key, value, headers in records:
            await producer.send_and_wait(topic, value=value, key=key, headers=headers)
    finally:
        await producer.stop()


async def _consumed_everything(settings: Settings, group: str, topic: str) -> bool:
    committed = await committed_offsets(settings, group, topic)
    ends = await end_offsets(settings, topic)
    return all(committed.get(p, -1) >= end for p, end in ends.items() if end > 0)


async def test_the_same_upload_delivered_twice_has_one_effect(system: RunningSystem) -> None:
    async with system.client() as client:
        headers = await new_user(client)
        cv_id = (await upload(client, headers, txt_cv(), "cv.txt")).json()["id"]
        await wait_for_status(client, headers, cv_id, "scored")

    original = [
        r for r in await read_topic(system.settings, "cv.uploaded") if r.key == cv_id.encode()
    ]
    assert len(original) == 1
    record = original[0]
    # Redelivery, as after a consumer crash between its commit and its offset commit.
    await _produce(
        system.settings, "cv.uploaded", [(record.key, record.value, list(record.headers))] * 2
    )
    await wait_for(
        lambda: _consumed_everything(system.settings, "parsing", "cv.uploaded"),
        timeout=15,
        what="the parsing group to consume the duplicates",
    )

    event_id = uuid.UUID(json.loads(record.value)["event_id"])
    async with system.db.sessions() as session:
        analyses = await session.scalar(
            select(func.count()).select_from(Analysis).where(Analysis.cv_id == uuid.UUID(cv_id))
        )
        claims = await session.scalar(
            select(func.count())
            .select_from(ProcessedMessage)
            .where(ProcessedMessage.event_id == event_id)
        )
        user_events = (
            await session.scalars(
                select(UserEvent.type)
                .where(UserEvent.data["cv_id"].astext == cv_id)
                .order_by(UserEvent.id)
            )
        ).all()
    # Parsing scores an offline analysis itself: its one message out is cv.scored.
    scored = [r for r in await read_topic(system.settings, "cv.scored") if r.key == cv_id.encode()]
    assert analyses == 1
    assert claims == 1
    # The report worker follows cv.scored with report.ready, in its own time.
    assert [t for t in user_events if t.startswith("cv.")] == ["cv.parsed", "cv.scored"]
    assert len(scored) == 1


async def test_concurrent_duplicates_take_effect_once(system: RunningSystem) -> None:
    """Two workers handling the same message at the same moment: the idempotency key
    serialises them inside the effect's transaction."""
    import asyncio

    from consumers.parsing.service import handle_cv_uploaded
    from schemas.events import CvUploaded

    async with system.client() as client:
        headers = await new_user(client)
        cv_id = (await upload(client, headers, txt_cv(), "cv.txt")).json()["id"]
        await wait_for_status(client, headers, cv_id, "scored")
    async with system.db.sessions() as session:
        cv = await session.get(Cv, uuid.UUID(cv_id))
        assert cv is not None
    # A re-run request, so the service really parses again instead of skipping a parsed CV.
    event = CvUploaded(
        correlation_id="dup-test",
        user_id=cv.user_id,
        cv_id=cv.id,
        storage_key=cv.storage_key,
        file_kind=cv.file_kind,
        size_bytes=cv.size_bytes,
        reprocess=True,
    )
    ctx = WorkerContext.from_settings(system.settings)
    try:
        await asyncio.gather(*(handle_cv_uploaded(ctx, event) for _ in range(4)))
    finally:
        await ctx.close()
    async with system.db.sessions() as session:
        parsed_events = await session.scalar(
            select(func.count())
            .select_from(UserEvent)
            .where(UserEvent.data["cv_id"].astext == cv_id, UserEvent.type == "cv.parsed")
        )
    assert parsed_events == 2  # the original upload's, and exactly one for the re-run


async def test_undecodable_message_goes_to_the_dlq_and_the_partition_moves_on(
    system: RunningSystem,
) -> None:
    poison_key = f"poison-{uuid.uuid4()}".encode()
    await _produce(
        system.settings,
        "cv.uploaded",
        [(poison_key, b"{not json", [("type", b"cv.uploaded")]), (poison_key, b'{"cv_id": 1}', [])],
    )
    async with system.client() as client:
        headers = await new_user(client)
        cv_id = (await upload(client, headers, txt_cv(), "cv.txt")).json()["id"]
        await wait_for_status(client, headers, cv_id, "scored")

    async def dead_letters() -> list[ConsumerRecord[bytes, bytes]]:
        records = await read_topic(system.settings, "cv.uploaded.dlq")
        return (
            [r for r in records if r.key == poison_key]
            if len([r for r in records if r.key == poison_key]) == 2
            else []
        )

    letters = await wait_for(dead_letters, timeout=10, what="two dead letters")
    for letter in letters:
        info = {name: value.decode() for name, value in letter.headers}
        assert info["dlq-original-topic"] == "cv.uploaded"
        assert info["dlq-consumer"] == "parsing"
        assert info["dlq-attempts"] == "1"  # decoding errors are not retried
        assert int(info["dlq-original-offset"]) >= 0
        assert info["dlq-error-type"]
    assert letters[0].value == b"{not json"
