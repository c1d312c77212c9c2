"""Fault tests on real processes, a real broker and real Postgres: nothing lost, nothing doubled."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from entrypoints.runner import API, RELAY
from infra.db.models import Analysis, ProcessedMessage, UserEvent
from infra.embedded import KafkaBroker
from infra.settings import Settings
from producers.recovery import requeue_stalled
from tests.support.api import new_user, upload, wait_for_status
from tests.support.documents import txt_cv
from tests.support.kafka import committed_offsets, end_offsets, read_topic
from tests.support.system import RunningSystem, isolated_settings, running_system, wait_for

RECOLOCA = str(Path(sys.executable).parent / "recoloca")


def _worker_env(settings: Settings, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "RECOLOCA_ENV": "test",
        "RECOLOCA_DATA_DIR": str(settings.data_dir),
        "RECOLOCA_DATABASE_URL": settings.database.url or "",
        "RECOLOCA_REDIS_URL": settings.redis.url or "",
        "RECOLOCA_KAFKA_BOOTSTRAP_SERVERS": settings.kafka.bootstrap_servers or "",
        "RECOLOCA_KAFKA_SESSION_TIMEOUT_MS": "2000",
        "RECOLOCA_KAFKA_HEARTBEAT_INTERVAL_MS": "500",
        "RECOLOCA_LOG_LEVEL": "WARNING",
        **extra,
    }


async def _count(system: RunningSystem, statement: object) -> int:
    async with system.db.sessions() as session:
        return int(await session.scalar(statement) or 0)  # type: ignore[call-overload]


async def test_worker_killed_between_effect_and_offset_commit_has_one_effect(
    settings: Settings, tmp_path: Path
) -> None:
    broker = KafkaBroker()
    broker.start()
    own = await isolated_settings(
        settings, tmp_path, kafka={"bootstrap_servers": broker.bootstrap_servers}
    )
    try:
        # Everything but the parsing worker runs here; parsing runs as a real process.
        async with running_system(own, [API, RELAY, "scoring"]) as system:
            async with system.client() as client:
                headers = await new_user(client)
                cv_id = (await upload(client, headers, txt_cv(), "cv.txt")).json()["id"]

                doomed = await asyncio.create_subprocess_exec(
                    RECOLOCA,
                    "worker",
                    "parsing",
                    env=_worker_env(own, RECOLOCA_FAULT_KILL_AFTER_EFFECT="parsing"),
                )
                assert await asyncio.wait_for(doomed.wait(), timeout=30) == -signal.SIGKILL
                # The effect was committed before the crash...
                parsed = (
                    select(func.count())
                    .select_from(UserEvent)
                    .where(UserEvent.data["cv_id"].astext == cv_id, UserEvent.type == "cv.parsed")
                )
                assert await _count(system, parsed) == 1
                # ...but not the offset: the message will come again.
                committed = await committed_offsets(own, "parsing", "cv.uploaded")
                assert all(offset <= 0 for offset in committed.values())

                survivor = await asyncio.create_subprocess_exec(
                    RECOLOCA, "worker", "parsing", env=_worker_env(own)
                )
                try:
                    await wait_for_status(client, headers, cv_id, "scored", timeout=30)

                    async def consumed() -> bool:
                        committed = await committed_offsets(own, "parsing", "cv.uploaded")
                        ends = await end_offsets(own, "cv.uploaded")
                        return all(committed.get(p, -1) >= end for p, end in ends.items() if end)

                    await wait_for(consumed, timeout=30, what="the redelivery to be consumed")
                finally:
                    survivor.send_signal(signal.SIGTERM)
                    assert await asyncio.wait_for(survivor.wait(), timeout=15) == 0

            assert await _count(system, parsed) == 1
            assert (
                await _count(
                    system,
                    select(func.count())
                    .select_from(Analysis)
                    .where(Analysis.cv_id == uuid.UUID(cv_id)),
                )
                == 1
            )
            assert (
                await _count(
                    system,
                    select(func.count())
                    .select_from(ProcessedMessage)
                    .where(ProcessedMessage.consumer == "parsing"),
                )
                == 1
            )
            on_topic = [r for r in await read_topic(own, "cv.scored") if r.key == cv_id.encode()]
            assert len(on_topic) == 1
    finally:
        broker.stop()


async def test_broker_restart_during_a_burst_of_200_uploads(
    settings: Settings, tmp_path: Path
) -> None:
    broker = KafkaBroker()
    broker.start()
    own = await isolated_settings(
        settings,
        tmp_path,
        kafka={"bootstrap_servers": broker.bootstrap_servers},
        # In-flight messages die with the embedded broker: re-send stuck work quickly.
        outbox={"poll_seconds": 0.5, "recovery_seconds": 1.0, "stalled_seconds": 5.0},
        consumer={"commit_timeout_seconds": 5.0},
    )
    try:
        async with running_system(own) as system, system.client() as client:
            headers = await new_user(client)
            gate = asyncio.Semaphore(10)
            ids: list[str] = []

            async def one() -> None:
                async with gate:
                    response = await upload(client, headers, txt_cv(), "cv.txt")
                    assert response.status_code == 202, response.text
                    ids.append(response.json()["id"])

            first = [asyncio.create_task(one()) for _ in range(100)]
            await asyncio.sleep(0.3)  # the burst is under way
            await asyncio.to_thread(broker.stop)
            await asyncio.gather(*first)
            await asyncio.sleep(1)
            await asyncio.to_thread(broker.start)  # same port, empty memory
            await asyncio.gather(*(one() for _ in range(100)))
            assert len(ids) == 200

            async def all_scored() -> bool:
                listing = (
                    await client.get("/v1/cvs", params={"limit": 100}, headers=headers)
                ).json()
                rest = (
                    await client.get(
                        "/v1/cvs", params={"limit": 100, "offset": 100}, headers=headers
                    )
                ).json()
                return all(item["status"] == "scored" for item in listing["items"] + rest["items"])

            await wait_for(all_scored, timeout=180, what="all 200 CVs to be scored")

            per_cv, scored_events = await system.scorings(ids)
            assert len(per_cv) == 200
            assert set(per_cv.values()) == {1}, "a CV was scored twice"
            assert scored_events == 200
    finally:
        broker.stop()


async def test_a_file_that_kills_its_worker_is_failed_and_never_comes_back(
    settings: Settings, tmp_path: Path
) -> None:
    """The sandbox bounds a parse; this is the worker itself dying during one."""
    broker = KafkaBroker()
    broker.start()
    own = await isolated_settings(
        settings, tmp_path, kafka={"bootstrap_servers": broker.bootstrap_servers}
    )
    env = _worker_env(
        own, RECOLOCA_FAULT_KILL_DURING_PARSE="true", RECOLOCA_PARSING_MAX_ATTEMPTS="1"
    )
    try:
        async with running_system(own, [API, RELAY, "scoring"]) as system:
            async with system.client() as client:
                headers = await new_user(client)
                cv_id = (await upload(client, headers, txt_cv(), "cv.txt")).json()["id"]
                doomed = await asyncio.create_subprocess_exec(
                    RECOLOCA, "worker", "parsing", env=env
                )
                assert await asyncio.wait_for(doomed.wait(), timeout=30) == -signal.SIGKILL

                # Same fault still armed: the next delivery gives up before parsing.
                last = await asyncio.create_subprocess_exec(RECOLOCA, "worker", "parsing", env=env)
                try:
                    failed = await wait_for_status(client, headers, cv_id, "failed", timeout=40)
                finally:
                    last.send_signal(signal.SIGTERM)
                    assert await asyncio.wait_for(last.wait(), timeout=15) == 0
            assert failed["error"]["code"] == "file_too_complex"
            assert await requeue_stalled(system.db, older_than=timedelta(0)) == 0
    finally:
        broker.stop()
