"""Two ``recoloca worker parsing`` processes in one consumer group share the partitions:
a second one joins mid-burst, the first is killed later, and every CV is scored exactly
once."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import func, select

from entrypoints.processes import child_environment
from entrypoints.runner import API, RELAY
from infra.db.models import Analysis
from infra.embedded import KafkaBroker, free_port
from infra.settings import Settings, get_settings
from tests.support.api import new_user, upload
from tests.support.dev_run import RECOLOCA, ROOT
from tests.support.documents import txt_cv
from tests.support.system import isolated_settings, running_system, wait_for

OTHER_WORKERS = ["scoring", "report", "notifications"]


@contextmanager
def parsing_worker(settings: Settings, log: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """``recoloca worker parsing`` in a process of its own, seeing ``settings``; yields
    the process and its health address."""
    port = free_port()
    env = child_environment(os.environ, get_settings(), settings)
    env |= {
        "RECOLOCA_HEALTH_PORT": str(port),
        "RECOLOCA_LOG_JSON_FORMAT": "true",
        "PYTHONUNBUFFERED": "1",
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(RECOLOCA), "worker", "parsing"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process, f"http://127.0.0.1:{port}"
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


async def _ready(address: str, process: subprocess.Popen[bytes], log: Path) -> None:
    async def probe() -> bool:
        assert process.poll() is None, log.read_text(errors="replace")
        try:
            async with httpx.AsyncClient() as client:
                return (await client.get(f"{address}/readyz", timeout=2)).status_code == 200
        except httpx.TransportError:
            return False

    await wait_for(probe, timeout=90, what=f"the parsing worker at {address} to be ready")


def _parsed_by(log: Path) -> set[str]:
    parsed = set()
    for line in log.read_text(errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("event") == "cv parsed":
            parsed.add(entry["cv_id"])
    return parsed


async def test_a_second_parsing_process_shares_the_work_and_the_first_can_die(
    settings: Settings, tmp_path: Path
) -> None:
    broker = KafkaBroker()
    broker.start()
    own = await isolated_settings(
        settings, tmp_path, kafka={"bootstrap_servers": broker.bootstrap_servers}
    )
    first_log, second_log = tmp_path / "parsing-1.log", tmp_path / "parsing-2.log"
    try:
        with parsing_worker(own, first_log) as (first, first_address):
            await _ready(first_address, first, first_log)
            async with (
                running_system(own, [API, RELAY, *OTHER_WORKERS]) as system,
                system.client() as client,
            ):
                # Many users: their CVs spread over every partition of cv.uploaded.
                users = [await new_user(client) for _ in range(12)]
                ids: list[str] = []

                async def burst(count: int) -> None:
                    for n in range(count):
                        response = await upload(client, users[n % len(users)], txt_cv(), "cv.txt")
                        assert response.status_code == 202, response.text
                        ids.append(response.json()["id"])
                        await asyncio.sleep(0.02)

                await burst(40)
                with parsing_worker(own, second_log) as (second, second_address):
                    uploading = asyncio.create_task(burst(40))
                    await _ready(second_address, second, second_log)
                    await uploading
                    shared = len(ids)
                    await burst(20)
                    window = set(ids[shared:])

                    async def window_parsed() -> bool:
                        return window <= _parsed_by(first_log) | _parsed_by(second_log)

                    await wait_for(window_parsed, timeout=60, what="the shared uploads parsed")
                    while_both = _parsed_by(first_log), _parsed_by(second_log)
                    # The first dies without a goodbye: its partitions move to the second,
                    # which takes over from the last committed offsets.
                    first.kill()
                    first.wait()
                    alone = len(ids)
                    await burst(40)

                    async def all_scored() -> bool:
                        async with system.db.sessions() as session:
                            scored = await session.scalar(
                                select(func.count(func.distinct(Analysis.cv_id))).where(
                                    Analysis.cv_id.in_([uuid.UUID(i) for i in ids])
                                )
                            )
                        return scored == len(ids)

                    await wait_for(all_scored, timeout=120, what="all 140 CVs to be scored")

                per_cv, scored_events = await system.scorings(ids)
                listing = (
                    await client.get("/v1/cvs", params={"limit": 100}, headers=users[0])
                ).json()
    finally:
        broker.stop()

    assert len(ids) == 140
    assert set(per_cv) == {uuid.UUID(i) for i in ids}
    assert set(per_cv.values()) == {1}, "a CV was analysed more than once"
    assert scored_events == 140, "a user saw a CV scored twice or never"
    assert all(item["status"] == "scored" for item in listing["items"])
    # While both lived, both parsed: the second joined the group and took partitions.
    assert while_both[0] & window, first_log.read_text(errors="replace")
    assert while_both[1] & window, second_log.read_text(errors="replace")
    # After the first died, the second took every partition.
    assert set(ids[alone:]) <= _parsed_by(second_log)
