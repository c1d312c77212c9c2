"""The embedded services are our children: stopped only while alive, never anything else."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from infra.embedded import EmbeddedPostgres, EmbeddedStack, ServerProcess, _unprivileged


@pytest.fixture
def services_dir(data_dir: Path, request: pytest.FixtureRequest) -> Path:
    path = data_dir / "embedded" / request.node.name
    path.mkdir(parents=True)
    path.parent.chmod(0o755)
    path.chmod(0o755)
    return path


def _wait_dead(pid: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while Path(f"/proc/{pid}").exists():
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        if state == "Z":
            return
        assert time.monotonic() < deadline, f"{pid} still alive"
        time.sleep(0.05)


def test_stopping_a_service_that_already_died_signals_nothing(services_dir: Path) -> None:
    stack = EmbeddedStack(services_dir)
    stack.start_redis()
    assert stack.redis is not None
    pid = stack.redis.pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    _wait_dead(pid)
    # Our own process group would be signalled by a pid of 0: a dead child has none.
    previous = signal.signal(signal.SIGTERM, lambda *_: pytest.fail("SIGTERM reached us"))
    try:
        stack.stop()
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert stack.redis.pid is None


def test_a_service_dies_with_its_parent(services_dir: Path) -> None:
    script = (
        "import sys, time; from infra.embedded import ServerProcess;"
        "s = ServerProcess('sleeper', ['sleep', '60']); s.start();"
        "print(s.pid, flush=True); time.sleep(60)"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    _wait_dead(child)


def test_a_server_left_running_by_a_killed_run_is_replaced(services_dir: Path) -> None:
    first = EmbeddedPostgres(services_dir / "postgres", services_dir / "pg.log")
    first.start()
    assert first.server is not None
    leftover = first.server.pid
    assert leftover is not None
    # As if the run that started it had died: nobody will stop it.
    first.server.process = None

    second = EmbeddedPostgres(services_dir / "postgres", services_dir / "pg.log")
    uri = second.start()
    try:
        _wait_dead(leftover)
        assert second.server is not None
        assert second.server.alive
        assert "recoloca" in uri
    finally:
        second.stop()
    assert not (services_dir / "postgres" / "postmaster.pid").exists()


def test_nothing_is_written_outside_the_data_directory(services_dir: Path) -> None:
    home = Path.home()
    before = set(home.iterdir()) if home.exists() else set()
    stack = EmbeddedStack(services_dir / "stack")
    try:
        stack.start_postgres()
        stack.start_redis()
        stack.start_kafka()
    finally:
        stack.stop()
    after = set(home.iterdir()) if home.exists() else set()
    assert after - before == set()
    if _unprivileged() is not None:
        owner = (services_dir / "stack" / "postgres").stat().st_uid
        assert owner == _unprivileged().uid  # type: ignore[union-attr]


def test_server_process_refuses_nothing_when_never_started() -> None:
    never = ServerProcess("never", ["true"])
    never.stop()
    assert never.pid is None
    assert not never.alive
