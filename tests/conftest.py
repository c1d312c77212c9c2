"""Test services: real PostgreSQL, Redis and a Kafka-protocol broker, started once.

Each is the embedded one unless its URL is given (``RECOLOCA_DATABASE_URL``,
``RECOLOCA_REDIS_URL``, ``RECOLOCA_KAFKA_BOOTSTRAP_SERVERS``). Tests stay independent by
working on their own users and CVs, never by sharing state.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from infra.embedded import EmbeddedStack
from infra.logging import configure_logging
from infra.settings import Settings
from tests.support.system import RunningSystem, running_system, test_settings


@pytest.fixture(scope="session")
def data_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="recoloca-test-") as path:
        # As root, the embedded PostgreSQL runs unprivileged and must be able to enter it.
        Path(path).chmod(0o755)
        yield Path(path)


@pytest.fixture(scope="session")
def stack(data_dir: Path) -> Iterator[EmbeddedStack]:
    configure_logging(level=os.environ.get("RECOLOCA_LOG_LEVEL", "WARNING"))
    stack = EmbeddedStack(data_dir / "services")
    yield stack
    stack.stop()


@pytest.fixture(scope="session")
def settings(stack: EmbeddedStack, data_dir: Path) -> Settings:
    return test_settings(stack, data_dir)


@pytest.fixture(scope="session")
async def system(settings: Settings) -> AsyncIterator[RunningSystem]:
    """The whole product (API, relay, workers) running in the test process."""
    async with running_system(settings) as running:
        yield running
