"""The upload's request id follows its consequences into every worker's log lines."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.api import new_user, upload, wait_for_status
from tests.support.documents import two_column_pdf
from tests.support.system import RunningSystem


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.events: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        # structlog hands the stdlib its event dict, context included, as the message.
        if isinstance(record.msg, dict):
            self.events.append({**record.msg, "logger": record.name})


@pytest.fixture
def captured() -> Iterator[_Capture]:
    handler = _Capture()
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield handler
    root.removeHandler(handler)
    root.setLevel(previous)


async def test_request_id_is_in_every_consumer_log_line(
    system: RunningSystem, captured: _Capture
) -> None:
    request_id = "trace-me-42"
    async with system.client() as client:
        headers = await new_user(client)
        response = await upload(client, headers, two_column_pdf(), request_id=request_id)
        cv_id = response.json()["id"]
        await wait_for_status(client, headers, cv_id, "scored")

    about_this_cv = [e for e in captured.events if e.get("cv_id") == cv_id]
    by_logger = {e["logger"] for e in about_this_cv}
    assert {
        "api.services.cvs",
        "consumers.parsing.service",
        "consumers.scoring.service",
    } <= by_logger
    for event in about_this_cv:
        assert event.get("correlation_id") == request_id, event
    worker_lines = [e for e in about_this_cv if e["logger"].startswith("consumers.")]
    # Parsing makes the offline analysis itself (the scoring module's lines are its own);
    # the report worker may or may not have logged yet: it follows cv.scored.
    assert "parsing" in {e["consumer"] for e in worker_lines}
    assert {e["consumer"] for e in worker_lines} <= {"parsing", "report"}
    assert all(e.get("event_id") and e.get("user_id") for e in worker_lines)
    # Personal data stays out of the logs.
    assert not any("joao.silva@example.com" in str(e) for e in captured.events)
