"""``recoloca dev``: the whole product in one process on embedded services.

One run per data directory: a lock (held by the running process, released by the kernel
when it dies, whatever the cause) keeps a second run from touching the first one's
services. The operator commands find a run's services through ``endpoints.json``.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import signal
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import structlog

from infra.errors import OperatorError
from infra.settings import Settings

if TYPE_CHECKING:
    from infra.embedded import EmbeddedStack
    from infra.mail_sink import MailSink

log = structlog.get_logger(__name__)


class AlreadyRunningError(OperatorError):
    def __init__(self, data_dir: Path, holder: str) -> None:
        super().__init__(
            f"recoloca is already running in this folder ({holder}, data in {data_dir})",
            "stop it first (Ctrl-C in its terminal), or set RECOLOCA_DATA_DIR to run another",
        )


class PortInUseError(OperatorError):
    def __init__(self, host: str, port: int) -> None:
        super().__init__(
            f"port {port} on {host} is already in use by another program",
            f"stop that program, or choose another port: RECOLOCA_API_PORT={port + 1} make run",
        )


def with_embedded_services(settings: Settings, stack: EmbeddedStack) -> Settings:
    """Start what has no URL and return the settings pointing at it."""
    database, redis, kafka, outbox = (
        settings.database,
        settings.redis,
        settings.kafka,
        settings.outbox,
    )
    if not database.url:
        database = database.model_copy(update={"url": stack.start_postgres()})
    if not redis.url:
        redis = redis.model_copy(update={"url": stack.start_redis()})
    if not kafka.bootstrap_servers:
        kafka = kafka.model_copy(
            update={
                "bootstrap_servers": stack.start_kafka(),
                "enable_idempotence": False,
                "session_timeout_ms": 4000,
                "heartbeat_interval_ms": 1000,
            }
        )
        outbox = outbox.model_copy(update={"requeue_on_start": True})
    return settings.model_copy(
        update={"database": database, "redis": redis, "kafka": kafka, "outbox": outbox}
    )


def with_mail_sink(settings: Settings) -> tuple[Settings, MailSink | None]:
    """Without RECOLOCA_SMTP_HOST, mail goes to a local sink that keeps each message as an
    .eml file under RECOLOCA_DATA_DIR/mail/ (``recoloca notifications sent`` lists them)."""
    if settings.smtp.host:
        return settings, None
    from infra.mail_sink import start_mail_sink

    sink = start_mail_sink(settings.data_dir / "mail")
    smtp = settings.smtp.model_copy(
        update={"host": sink.host, "port": sink.port, "starttls": False, "username": None}
    )
    return settings.model_copy(update={"smtp": smtp}), sink


def _dev_dir(settings: Settings) -> Path:
    return settings.data_dir / "dev"


def _endpoints_file(settings: Settings) -> Path:
    return _dev_dir(settings) / "endpoints.json"


def attach_to_dev(settings: Settings) -> Settings:
    """Point unset URLs at a running ``recoloca dev`` of this directory, so the operator
    commands work against it (its embedded services listen on ports picked at start)."""
    path = _endpoints_file(settings)
    if not path.exists():
        return settings
    urls = json.loads(path.read_text())
    database, redis, kafka = settings.database, settings.redis, settings.kafka
    if not database.url and urls.get("database"):
        database = database.model_copy(update={"url": urls["database"]})
    if not redis.url and urls.get("redis"):
        redis = redis.model_copy(update={"url": urls["redis"]})
    if not kafka.bootstrap_servers and urls.get("kafka"):
        kafka = kafka.model_copy(update={"bootstrap_servers": urls["kafka"]})
    return settings.model_copy(update={"database": database, "redis": redis, "kafka": kafka})


@contextmanager
def run_lock(data_dir: Path) -> Iterator[None]:
    """Hold the data directory for this process, or refuse at once if another holds it."""
    dev_dir = data_dir / "dev"
    dev_dir.mkdir(parents=True, exist_ok=True)
    path = dev_dir / "run.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "another process"
            raise AlreadyRunningError(data_dir.resolve(), holder) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # closing releases the lock


def check_port_free(host: str, port: int) -> None:
    with socket.socket() as sock:
        # As uvicorn binds: a port in TIME_WAIT from our own last run is free.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUseError(host, port) from None
            raise OperatorError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def banner(settings: Settings, mail_kept_in: Path | None = None) -> str:
    base = f"http://{settings.api.host}:{settings.api.port}"
    return "\n".join(
        [
            "Recoloca is running.",
            f"  API       {base}",
            f"  API docs  {base}/docs",
            f"  bus docs  {base}/asyncapi",
            f"  data      {settings.data_dir.resolve()}",
            f"  mail      {settings.smtp.host}:{settings.smtp.port}"
            + (f" (kept in {mail_kept_in.resolve()})" if mail_kept_in else ""),
            "Press Ctrl-C to stop.",
        ]
    )


def run_dev(settings: Settings) -> None:
    with run_lock(settings.data_dir):
        check_port_free(settings.api.host, settings.api.port)
        # Loaded only now, so that a refusal above is immediate.
        from entrypoints.supervisor import Supervisor
        from infra.db.migrate import upgrade
        from infra.embedded import EmbeddedStack

        stack = EmbeddedStack(_dev_dir(settings))
        endpoints = _endpoints_file(settings)
        sink: MailSink | None = None
        requested = settings
        try:
            settings = with_embedded_services(settings, stack)
            settings, sink = with_mail_sink(settings)
            assert settings.database.url is not None
            upgrade(settings.database.url)
            endpoints.write_text(
                json.dumps(
                    {
                        "database": settings.database.url,
                        "redis": settings.redis.url,
                        "kafka": settings.kafka.bootstrap_servers,
                    }
                )
            )
            kept_in = settings.data_dir / "mail" if sink is not None else None
            supervisor = Supervisor(requested, settings)
            with _stop_on_signals(supervisor.stop_requested), supervisor.running():
                if supervisor.wait_ready():
                    print(banner(settings, kept_in), file=sys.stderr, flush=True)
                    supervisor.watch()
        finally:
            endpoints.unlink(missing_ok=True)
            if sink is not None:
                sink.stop()
            stack.stop()
            print("Recoloca stopped.", file=sys.stderr, flush=True)


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    for sig in previous:
        signal.signal(sig, lambda *_: stop.set())
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
