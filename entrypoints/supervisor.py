"""Runs the processes of ``recoloca dev`` and stops them together.

Each process is ``recoloca <command>`` with the parent's resolved settings in its
environment. The API processes share one listening socket, opened here, so the kernel
spreads connections over them. Children run in sessions of their own: Ctrl-C reaches
only this process, which asks each child to stop (SIGTERM, what Kubernetes sends) and
kills what is still running after the grace period. A child that dies after start-up is
started again; a child dies with this process whatever the cause (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import structlog

from entrypoints.processes import ProcessSpec, child_environment, plan_processes
from entrypoints.runner import API
from infra.errors import OperatorError
from infra.settings import Settings

log = structlog.get_logger(__name__)

_STOP_GRACE_SECONDS = 8.0
_READY_POLL_SECONDS = 0.1
_RESTART_BACKOFF_MAX = 5.0
_RECOLOCA = Path(sys.executable).with_name("recoloca")


@dataclass
class Child:
    spec: ProcessSpec
    health_port: int
    environment: dict[str, str]
    pass_fds: tuple[int, ...] = ()
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    started_at: float = field(default=0.0)

    @property
    def health_url(self) -> str:
        return f"http://127.0.0.1:{self.health_port}"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - our own command
            [str(_RECOLOCA), *self.spec.args],
            env=self.environment,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            pass_fds=self.pass_fds,
            preexec_fn=_child_setup(self.spec.niceness),
        )
        self.started_at = time.monotonic()

    @property
    def exit_code(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def signal(self, sig: signal.Signals) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(sig)


def _child_setup(niceness: int) -> Callable[[], None]:
    def setup() -> None:
        # In the child before exec; from the main thread (PDEATHSIG follows the forking thread).
        if sys.platform.startswith("linux"):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        if niceness:
            os.nice(niceness)

    return setup


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def listening_socket(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    # As uvicorn binds: a port in TIME_WAIT from our own last run is free.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


class Supervisor:
    def __init__(self, before: Settings, settings: Settings, cpus: int | None = None) -> None:
        self.settings = settings
        self.specs = plan_processes(settings.processes, cpus or os.cpu_count() or 1)
        self.stop_requested = threading.Event()
        base = child_environment(os.environ, before, settings)
        # One metrics port cannot serve several processes; health ports are given below.
        base.pop("RECOLOCA_METRICS_PORT", None)
        self._base_environment = base
        self.children: list[Child] = []

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        """Start every process; on exit stop them all (within the grace period)."""
        api_socket = listening_socket(self.settings.api.host, self.settings.api.port)
        try:
            ports = {spec.name: free_port() for spec in self.specs}
            peers = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
            for spec in self.specs:
                environment = dict(self._base_environment)
                environment["RECOLOCA_HEALTH_PORT"] = str(ports[spec.name])
                environment["RECOLOCA_HEALTH_HOST"] = "127.0.0.1"
                fds: tuple[int, ...] = ()
                if API in spec.components:
                    others = {name: url for name, url in peers.items() if name != spec.name}
                    environment["RECOLOCA_HEALTH_PEERS"] = json.dumps(others)
                    environment["RECOLOCA_API_FD"] = str(api_socket.fileno())
                    fds = (api_socket.fileno(),)
                self.children.append(Child(spec, ports[spec.name], environment, fds))
            for child in self.children:
                child.start()
            yield
        finally:
            self.stop()
            api_socket.close()

    def wait_ready(self) -> bool:
        """Until every process answers ready (True), or a stop is asked for (False). A
        process that exits before it is ready fails the start."""
        pending = list(self.children)
        with httpx.Client(timeout=1.0) as client:
            while pending:
                if self.stop_requested.wait(_READY_POLL_SECONDS):
                    return False
                for child in list(pending):
                    code = child.exit_code
                    if code is not None:
                        raise OperatorError(
                            f"the {child.spec.name} process stopped while starting (exit {code})"
                        )
                    with contextlib.suppress(httpx.HTTPError):
                        if client.get(f"{child.health_url}/readyz").status_code == 200:
                            pending.remove(child)
        return True

    def watch(self) -> None:
        """Until a stop is asked for: start again any process that dies."""
        while not self.stop_requested.wait(0.2):
            for child in self.children:
                code = child.exit_code
                if code is None:
                    continue
                # A child that keeps dying at once is retried less and less often.
                quick = time.monotonic() - child.started_at < 10
                child.restarts = child.restarts + 1 if quick else 1
                delay = min(0.5 * 2 ** (child.restarts - 1), _RESTART_BACKOFF_MAX)
                log.warning(
                    "process exited, starting it again",
                    process=child.spec.name,
                    exit_code=code,
                    restart_in=delay,
                )
                if self.stop_requested.wait(delay):
                    return
                child.start()

    def stop(self) -> None:
        for child in self.children:
            child.signal(signal.SIGTERM)
        deadline = time.monotonic() + _STOP_GRACE_SECONDS
        for child in self.children:
            if child.process is None:
                continue
            try:
                child.process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("process did not stop in time, killed", process=child.spec.name)
                child.process.kill()
                child.process.wait()
