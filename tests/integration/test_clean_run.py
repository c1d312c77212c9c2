"""What a newcomer meets first: docs that load offline, honest readiness, tidy metrics."""

from __future__ import annotations

import asyncio
import logging
import re
from pathlib import Path

import httpx
import pytest
from aiokafka.admin import AIOKafkaAdminClient

from entrypoints.runner import API, run_components
from infra.embedded import KafkaBroker
from infra.readiness import Readiness
from infra.settings import Settings
from tests.support.api import new_user, send_oversized_upload
from tests.support.system import RunningSystem, isolated_settings, wait_for

_ASSET = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']|url\(\s*["']?([^"')]+)""")


def _references(html: str) -> list[str]:
    return [a or b for a, b in _ASSET.findall(html)]


async def test_docs_pages_load_everything_from_this_server(system: RunningSystem) -> None:
    async with system.client() as client:
        for page in ("/docs", "/asyncapi"):
            answer = await client.get(page)
            assert answer.status_code == 200, page
            references = _references(answer.text)
            external = [r for r in references if re.match(r"^(https?:)?//", r)]
            assert external == [], f"{page} loads from other hosts: {external}"
            for reference in references:
                if reference.startswith("/"):
                    asset = await client.get(reference)
                    assert asset.status_code == 200, (page, reference)
        # Swagger UI's own scripts and CSS are served, and its page points at our spec.
        docs = (await client.get("/docs")).text
        assert "/_assets/swagger-ui/swagger-ui-bundle.js" in docs
        assert '<script src="/docs/swagger-init.js">' in docs
        assert "/openapi.json" in (await client.get("/docs/swagger-init.js")).text
        # The AsyncAPI page is rendered here: every topic and message is readable without JS.
        bus = (await client.get("/asyncapi")).text
        for topic in ("cv.uploaded", "cv.parsed", "cv.scored", "cv.failed"):
            assert f"<code>{topic}</code>" in bus
        assert "CvUploaded" in bus
        assert "<script" not in bus


async def test_metrics_name_the_route_of_every_answered_request(system: RunningSystem) -> None:
    limit = system.settings.api.max_upload_bytes
    async with system.client() as client:
        headers = await new_user(client)
    status = await send_oversized_upload(
        system.settings.api.host,
        system.settings.api.port,
        headers["Authorization"],
        declared_length=limit * 5,
        max_bytes=limit * 3,
    )
    assert status == 413
    async with system.client() as client:
        assert (await client.get("/docs")).status_code == 200
        assert (await client.get("/openapi.json")).status_code == 200
        assert (await client.get("/no/such/page")).status_code == 404
        metrics = (await client.get("/metrics")).text
    lines = [line for line in metrics.splitlines() if line.startswith("recoloca_http_request")]
    assert any('route="/v1/cvs"' in line and 'status="413"' in line for line in lines)
    assert any('route="/docs"' in line for line in lines)
    assert any('route="/openapi.json"' in line for line in lines)
    assert any('route="unmatched"' in line and 'status="404"' in line for line in lines)
    assert not any('route="unmatched"' in line and 'status="413"' in line for line in lines)


async def test_readyz_is_503_while_a_component_of_the_process_is_starting(
    settings: Settings, data_dir: Path
) -> None:
    own = await isolated_settings(settings, data_dir / "readiness")
    readiness = Readiness()
    readiness.expect("parsing")  # a worker that has not joined its group yet
    stopping = asyncio.Event()
    task = asyncio.create_task(
        run_components(own, [API], stopping, handle_signals=False, readiness=readiness)
    )
    base = f"http://{own.api.host}:{own.api.port}"
    try:
        async with httpx.AsyncClient(base_url=base) as client:

            async def answered() -> httpx.Response | None:
                try:
                    return await client.get("/readyz")
                except httpx.TransportError:
                    return None

            starting = await wait_for(answered, timeout=20, what="/readyz to answer")
            assert starting.status_code == 503
            assert starting.json()["checks"]["parsing"] == "starting"
            assert (await client.get("/healthz")).status_code == 200

            readiness.set("parsing", True)
            assert (await client.get("/readyz")).status_code == 200
    finally:
        stopping.set()
        await asyncio.wait_for(task, timeout=30)


async def test_a_worker_is_ready_only_once_its_group_has_given_it_partitions(
    settings: Settings, data_dir: Path
) -> None:
    # A broker of its own: in the suite's group, this worker would take the suite's work.
    broker = KafkaBroker()
    broker.start()
    own = await isolated_settings(
        settings,
        data_dir / "worker-readiness",
        kafka={"bootstrap_servers": broker.bootstrap_servers},
    )
    readiness = Readiness()
    stopping = asyncio.Event()
    task = asyncio.create_task(
        run_components(own, ["parsing"], stopping, handle_signals=False, readiness=readiness)
    )
    try:
        await asyncio.sleep(0)  # let the task declare its components
        assert readiness.snapshot() == {"parsing": False}
        await asyncio.wait_for(readiness.wait_ready(), timeout=30)
        admin = AIOKafkaAdminClient(bootstrap_servers=own.kafka.bootstrap_servers)
        await admin.start()
        try:
            described = await admin.describe_consumer_groups(["parsing"])
        finally:
            await admin.close()
        group = described[0].groups[0]
        assert group[2] == "Stable", f"ready while the group rebalances: {described}"
        assert group[5], f"ready, but the group has no member: {described}"
    finally:
        stopping.set()
        await asyncio.wait_for(task, timeout=30)
        broker.stop()
    assert readiness.snapshot() == {"parsing": False}


async def test_a_worker_whose_group_does_not_settle_in_time_starts_over(
    settings: Settings, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    broker = KafkaBroker()
    broker.start()
    own = await isolated_settings(
        settings,
        data_dir / "worker-join-timeout",
        kafka={"bootstrap_servers": broker.bootstrap_servers},
        # Shorter than any join: the first attempts cannot make it.
        consumer={"join_timeout_seconds": 0.05},
    )
    readiness = Readiness()
    stopping = asyncio.Event()
    task = asyncio.create_task(
        run_components(own, ["billing"], stopping, handle_signals=False, readiness=readiness)
    )
    try:

        async def started_over() -> bool:
            return any("starts over" in r.getMessage() for r in caplog.records)

        with caplog.at_level(logging.WARNING):
            await wait_for(started_over, timeout=30, what="the worker to start over")
        assert readiness.snapshot() == {"billing": False}  # never ready while not joined
        # Given the time a join needs, the next attempt makes it.
        own.consumer.join_timeout_seconds = 60.0
        await asyncio.wait_for(readiness.wait_ready(), timeout=60)
    finally:
        stopping.set()
        await asyncio.wait_for(task, timeout=30)
        broker.stop()
