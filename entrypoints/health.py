"""``/healthz`` and ``/readyz`` for the processes without the API (the relay, workers).

What Kubernetes probes and what ``recoloca dev`` waits on. A few lines of HTTP on asyncio
streams: a web framework per worker process would cost more than the probes it answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import json

import structlog

from infra.readiness import Readiness
from infra.settings import HealthSettings

log = structlog.get_logger(__name__)

_HEAD_LIMIT = 8192
_READ_SECONDS = 5.0


def health_response(path: str, readiness: Readiness) -> tuple[int, dict[str, object]]:
    """The status and body for a probe of ``path``."""
    if path == "/healthz":
        return 200, {"status": "ok"}
    if path == "/readyz":
        checks = {name: "ok" if ok else "starting" for name, ok in readiness.snapshot().items()}
        ready = readiness.ready
        return (200 if ready else 503), {"ready": ready, "checks": checks}
    return 404, {"error": "not_found"}


def _http(status: int, body: dict[str, object]) -> bytes:
    payload = json.dumps(body).encode()
    reason = {200: "OK", 400: "Bad Request", 404: "Not Found", 503: "Service Unavailable"}[status]
    head = (
        f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(payload)}\r\nconnection: close\r\n\r\n"
    )
    return head.encode() + payload


async def serve_health(
    settings: HealthSettings, readiness: Readiness, stopping: asyncio.Event
) -> None:
    """Answer the probes on ``settings.port`` until ``stopping`` is set."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), _READ_SECONDS)
            method, path, *_ = head[:_HEAD_LIMIT].decode("latin-1").split(" ", 2)
            if method not in ("GET", "HEAD"):
                writer.write(_http(400, {"error": "method_not_allowed"}))
            else:
                status, body = health_response(path.split("?", 1)[0], readiness)
                writer.write(_http(status, body))
            await writer.drain()
        except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            pass
        except ConnectionError:
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    assert settings.port is not None
    server = await asyncio.start_server(answer, settings.host, settings.port, limit=_HEAD_LIMIT)
    log.debug("health endpoint listening", port=settings.port)
    try:
        await stopping.wait()
    finally:
        server.close()
        await server.wait_closed()
