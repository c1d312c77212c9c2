"""Operating the bus against the running system: replay, reprocess, dead letters, metrics."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import func, select, text, update

from consumers.parsing.parser import parse_cv
from infra.db.models import Analysis, Cv
from infra.redis import make_redis
from producers.dead_letters import (
    DeadLetter,
    NoSuchDeadLetterError,
    find_dead_letters,
    read_dead_letters,
    redrive,
    select_letters,
)
from producers.kafka_admin import group_offsets
from producers.replay import execute_replay, plan_replay
from schemas.cv import CvStatus
from schemas.events import CvParsed
from tests.support.api import new_user, upload, user_id_of, wait_for_status
from tests.support.documents import txt_cv
from tests.support.factories import make_parsed_cv
from tests.support.system import RunningSystem, wait_for

CHECKSUMMED = ("cvs", "analyses", "user_events", "processed_messages", "users")


async def _checksums(system: RunningSystem) -> dict[str, str]:
    result = {}
    async with system.db.sessions() as session:
        for table in CHECKSUMMED:
            result[table] = await session.scalar(
                text(
                    f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {table} t"
                )
            )
    return result


async def _caught_up(system: RunningSystem, group: str, topic: str) -> bool:
    rows = await group_offsets(system.settings.kafka, group, [topic])
    if all(row.lag == 0 for row in rows):
        return True
    _LAST_OFFSETS[group] = [(r.partition, r.committed, r.end) for r in rows]
    return False


_LAST_OFFSETS: dict[str, object] = {}


async def _quiet(system: RunningSystem) -> None:
    """Wait until the CV workers (and the notifications they cause) have consumed
    everything and the outbox is empty."""
    for group, topic in (
        ("parsing", "cv.uploaded"),
        ("scoring", "cv.parsed"),
        ("report", "cv.scored"),
        ("notifications", "user.registered"),
        ("notifications", "cv.scored"),
    ):
        try:
            await wait_for(partial(_caught_up, system, group, topic), timeout=30)
        except AssertionError:
            raise AssertionError(f"{group} did not catch up: {_LAST_OFFSETS}") from None

    async def outbox_empty() -> bool:
        async with system.db.sessions() as session:
            return await session.scalar(text("SELECT count(*) FROM outbox")) == 0

    await wait_for(outbox_empty, timeout=10, what="the outbox to drain")


async def test_replay_from_the_beginning_changes_nothing(system: RunningSystem) -> None:
    async with system.client() as client:
        headers = await new_user(client)
        for _ in range(3):
            cv_id = (await upload(client, headers, txt_cv(), "cv.txt")).json()["id"]
        await wait_for_status(client, headers, cv_id, "scored")
    await _quiet(system)
    before = await _checksums(system)

    redis = make_redis(system.settings.redis.url or "")
    try:
        for group, topic in (("parsing", "cv.uploaded"), ("report", "cv.scored")):
            plan = await plan_replay(
                system.settings.kafka, group=group, topic=topic, from_beginning=True
            )
            assert plan.total > 0
            result = await execute_replay(system.settings.kafka, redis, plan)
            assert sorted(p for ps in result.by_members.values() for p in ps) == [
                p.partition for p in plan.partitions
            ], "the running workers moved every partition themselves"
            # The group really went back: its committed offsets are the targets until it catches up.
    finally:
        await redis.aclose()
    await _quiet(system)
    assert await _checksums(system) == before


async def test_replay_with_reprocess_makes_a_new_analysis_version(system: RunningSystem) -> None:
    async with system.client() as client:
        headers = await new_user(client)
        await _quiet(system)
        since = datetime.now(UTC) - timedelta(milliseconds=50)
        cv_id = (await upload(client, headers, txt_cv(), "cv.txt")).json()["id"]
        await wait_for_status(client, headers, cv_id, "scored")
        await _quiet(system)

        plan = await plan_replay(
            system.settings.kafka, group="parsing", topic="cv.uploaded", since=since, reprocess=True
        )
        assert plan.total == 1
        redis = make_redis(system.settings.redis.url or "")
        try:
            await execute_replay(system.settings.kafka, redis, plan)
        finally:
            await redis.aclose()

        async def versions() -> list[int]:
            async with system.db.sessions() as session:
                found = list(
                    await session.scalars(
                        select(Analysis.version)
                        .where(Analysis.cv_id == uuid.UUID(cv_id))
                        .order_by(Analysis.version)
                    )
                )
                return found if len(found) == 2 else []

        assert await wait_for(versions, timeout=15, what="a second analysis version") == [1, 2]
        cv = (await client.get(f"/v1/cvs/{cv_id}", headers=headers)).json()
    assert cv["status"] == "scored"
    assert cv["analysis_version"] == 2


async def _scored_count(system: RunningSystem, cv_ids: list[uuid.UUID]) -> int:
    async with system.db.sessions() as session:
        return (
            await session.scalar(
                select(func.count())
                .select_from(Cv)
                .where(Cv.id.in_(cv_ids), Cv.status == CvStatus.SCORED)
            )
            or 0
        )


async def test_poison_message_is_dead_lettered_then_redriven_once_fixed(
    system: RunningSystem,
) -> None:
    """100 good messages and one that breaks the scoring handler (a corrupt row): the 100
    are scored, the poison waits in the DLQ, and after the fix a redrive scores it once."""
    async with system.client() as client:
        user_id = user_id_of(await new_user(client))
    parsed = parse_cv(txt_cv().decode()).model_dump(mode="json")
    ids = [uuid.uuid4() for _ in range(101)]
    poison = ids[50]
    async with system.db.transaction() as session:
        for cv_id in ids:
            make_parsed_cv(session, user_id, {"text": 42} if cv_id == poison else parsed, id=cv_id)
    events = [
        CvParsed(correlation_id="poison-test", user_id=user_id, cv_id=cv_id, language="pt")
        for cv_id in ids
    ]
    producer = AIOKafkaProducer(
        bootstrap_servers=system.settings.kafka.bootstrap_servers, acks="all"
    )
    await producer.start()
    try:
        await asyncio.gather(
            *[
                await producer.send(
                    "cv.parsed",
                    value=event.model_dump_json().encode(),
                    key=str(event.cv_id).encode(),
                    headers=[(k, v.encode()) for k, v in event.headers().items()],
                )
                for event in events
            ]
        )
    finally:
        await producer.stop()

    good = [cv_id for cv_id in ids if cv_id != poison]
    assert await wait_for(lambda: _count_equals(system, good, 100), timeout=60, what="100 scored")

    async def poison_letters() -> list[DeadLetter]:
        letters = await read_dead_letters(system.settings.kafka, system.db, "cv.parsed")
        return [x for x in letters if x.key == str(poison).encode()]

    [letter] = await wait_for(poison_letters, timeout=20, what="the poison message in the DLQ")
    assert letter.failure()["consumer"] == "scoring"
    assert letter.failure()["error-type"] == "ValidationError"
    assert letter.envelope()["event_id"] == str(events[50].event_id)
    assert not letter.redriven
    # Found where it is by partition:offset, and by its event id through the whole topic.
    kafka = system.settings.kafka
    assert await find_dead_letters(kafka, system.db, "cv.parsed", [letter.id]) == [letter]
    by_event = await find_dead_letters(kafka, system.db, "cv.parsed", [str(events[50].event_id)])
    assert by_event == [letter]
    past_the_end = f"{letter.partition}:{letter.offset + 10_000}"
    with pytest.raises(NoSuchDeadLetterError):
        await find_dead_letters(kafka, system.db, "cv.parsed", [letter.id, past_the_end])

    async with system.db.transaction() as session:  # the fix
        await session.execute(update(Cv).where(Cv.id == poison).values(parsed=parsed))
    sent = await redrive(system.settings.kafka, system.db, select_letters([letter], [letter.id]))
    assert [x.id for x in sent] == [letter.id]
    assert await wait_for(
        lambda: _count_equals(system, [poison], 1), timeout=20, what="the poison scored"
    )

    # A second redrive of the same letter sends nothing: it is recorded as redriven.
    again = await find_dead_letters(system.settings.kafka, system.db, "cv.parsed", [letter.id])
    assert again[0].redriven
    assert await redrive(system.settings.kafka, system.db, again) == []
    async with system.db.sessions() as session:
        analyses = await session.scalar(
            select(func.count()).select_from(Analysis).where(Analysis.cv_id.in_(ids))
        )
    assert analyses == 101


async def _count_equals(system: RunningSystem, ids: list[uuid.UUID], expected: int) -> bool:
    return await _scored_count(system, ids) == expected


async def test_metrics_are_exposed(system: RunningSystem) -> None:
    async with system.client() as client:
        headers = await new_user(client)
        cv_id = (await upload(client, headers, txt_cv(), "cv.txt")).json()["id"]
        await wait_for_status(client, headers, cv_id, "scored")
        body = (await client.get("/metrics")).text
    assert 'recoloca_messages_handled_total{consumer="parsing",topic="cv.uploaded"}' in body
    assert 'recoloca_messages_handled_total{consumer="scoring",topic="cv.parsed"}' in body
    assert 'route="/v1/cvs/{cv_id}"' in body, "latency is labelled by route template"
    assert f'route="/v1/cvs/{cv_id}"' not in body
    assert "recoloca_handler_duration_seconds_bucket" in body
    assert "recoloca_outbox_backlog" in body
    assert "recoloca_consumer_lag" in body


async def test_asyncapi_document_describes_the_bus(system: RunningSystem) -> None:
    async with system.client() as client:
        document = (await client.get("/asyncapi.json")).json()
        page = await client.get("/asyncapi")
    assert document["asyncapi"].startswith("3.")
    channels = json.dumps(document["channels"])
    for topic in ("cv.uploaded", "cv.parsed", "cv.scored", "cv.uploaded.retry.parsing"):
        assert topic in channels
    assert {"CvUploaded", "CvParsed", "CvScored", "CvFailed"} <= set(
        document["components"]["schemas"]
    )
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["topics", "list"], "cv.uploaded.retry.parsing"),
        (["groups"], "parsing"),
        (["workers"], "scoring: cv.parsed, cv.match-requested"),
        (["dlq", "list", "--topic", "cv.parsed"], "dead letter(s)"),
        (["dlq", "list", "--topic", "cv.parsed", "--state", "waiting"], "dead letter(s) (waiting)"),
        (["dlq", "list", "--topic", "cv.parsed", "--state", "lost"], "Invalid value"),
        (
            [
                "replay",
                "--topic",
                "cv.uploaded",
                "--group",
                "parsing",
                "--from-beginning",
                "--dry-run",
            ],
            "dry run: nothing changed.",
        ),
        (
            ["replay", "--topic", "cv.uploaded", "--group", "parsing", "--since", "yesterday"],
            "not a time",
        ),
    ],
)
def test_operator_commands_run(
    system: RunningSystem, args: list[str], expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from entrypoints.cli import app
    from infra.settings import get_settings

    monkeypatch.setenv(
        "RECOLOCA_KAFKA_BOOTSTRAP_SERVERS", system.settings.kafka.bootstrap_servers or ""
    )
    monkeypatch.setenv("RECOLOCA_DATABASE_URL", system.settings.database.url or "")
    get_settings.cache_clear()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        result = CliRunner().invoke(app, args)
    finally:
        get_settings.cache_clear()
        # The command logs to the runner's captured stream, which is closed afterwards.
        root.handlers[:] = handlers
        root.setLevel(level)
    assert expected in result.output
    assert result.exit_code == (2 if expected in ("not a time", "Invalid value") else 0), (
        result.output
    )
