"""``make run`` as a newcomer uses it: start, misuse, break a service, Ctrl-C, start again."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx

from tests.support.dev_run import RECOLOCA, ROOT, DevRun, alive, children_of


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _wait_dead(pid: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while alive(pid):
        assert time.monotonic() < deadline, f"pid {pid} still alive"
        time.sleep(0.05)


def test_ctrl_c_after_redis_died_stops_everything_and_the_next_run_starts_clean(run_dir: Path):
    data = run_dir / "data"
    run = DevRun(data, argv=["make", "--no-print-directory", "run"]).start()
    run.wait_ready()
    assert run.process is not None
    tree = children_of(run.process.pid)
    redis = [pid for pid in tree if "redis-server" in _cmdline(pid)]
    postgres = [pid for pid in tree if _cmdline(pid).split(" ")[0].endswith("/postgres")]
    assert redis, f"embedded redis not found among {tree}"
    assert postgres, f"embedded postgres not found among {tree}"

    os.kill(redis[0], signal.SIGKILL)
    _wait_dead(redis[0])
    run.interrupt()

    assert "Recoloca stopped." in run.output, run.output
    assert "Terminated" not in run.output, run.output
    assert [pid for pid in tree if alive(pid)] == [], run.output
    assert not (data / "dev" / "postgres" / "postmaster.pid").exists()
    assert not (data / "dev" / "endpoints.json").exists()

    again = DevRun(data).start()
    again.wait_ready()
    assert again.interrupt() == 0, again.output
    assert "Traceback" not in again.output, again.output


def test_a_second_run_in_the_same_folder_refuses_and_touches_nothing(run_dir: Path):
    data = run_dir / "data"
    first = DevRun(data).start()
    first.wait_ready()
    endpoints = (data / "dev" / "endpoints.json").read_text()
    try:
        started = time.monotonic()
        second = DevRun(data).start()
        second.finish(timeout=20)
        took = time.monotonic() - started
        assert second.process is not None
        assert second.process.returncode != 0
        lines = second.output.strip().splitlines()
        assert 1 <= len(lines) <= 2, second.output
        assert "already running in this folder" in lines[0]
        print(f"second run refused in {took:.2f}s")
        # The first run is untouched: same services, still ready.
        assert (data / "dev" / "endpoints.json").read_text() == endpoints
        assert httpx.get(f"{first.base_url}/readyz", timeout=5).status_code == 200
    finally:
        assert first.interrupt() == 0, first.output


def test_a_busy_port_is_reported_in_one_line_before_anything_starts(run_dir: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = DevRun(run_dir / "data", port=port).start()
        run.finish(timeout=20)
    assert run.process is not None
    assert run.process.returncode != 0
    lines = run.output.strip().splitlines()
    assert 1 <= len(lines) <= 2, run.output
    assert f"port {port}" in lines[0]
    assert "RECOLOCA_API_PORT" in run.output
    assert not (run_dir / "data" / "dev" / "postgres").exists(), "services were started"


def _open_stream(base_url: str, token: str) -> socket.socket:
    host, port = base_url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    sock.sendall(
        f"GET /v1/events HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
        "Accept: text/event-stream\r\n\r\n".encode()
    )
    received = b""
    while b": connected" not in received:
        chunk = sock.recv(4096)
        assert chunk, f"stream closed early: {received!r}"
        received += chunk
    return sock


def test_ctrl_c_with_open_event_streams_stops_promptly_without_a_traceback(run_dir: Path):
    run = DevRun(run_dir / "data").start()
    run.wait_ready()
    # Four users with five streams each: a user may hold at most five.
    tokens = []
    with httpx.Client(base_url=run.base_url, timeout=10) as client:
        for index in range(4):
            account = {"email": f"streams-{index}@example.com", "password": "a long password"}
            assert client.post("/v1/auth/register", json=account).status_code == 201
            tokens.append(
                client.post(
                    "/v1/auth/token",
                    data={"username": account["email"], "password": account["password"]},
                ).json()["access_token"]
            )
    streams = [_open_stream(run.base_url, token) for token in tokens for _ in range(5)]
    started = time.monotonic()
    run.interrupt(timeout=30)
    took = time.monotonic() - started
    print(f"stopped with 20 open streams in {took:.2f}s")
    for sock in streams:
        rest = b""
        while chunk := sock.recv(4096):
            rest += chunk
        sock.close()
        assert b"server shutting down" in rest
    assert run.process is not None
    assert run.process.returncode == 0, run.output
    assert "Traceback" not in run.output, run.output
    assert "CancelledError" not in run.output, run.output
    assert took < 10, f"took {took:.1f}s to stop"
    # A start says where things are, then only what matters: here, the welcome mails of
    # the users it registered, and nothing that went wrong.
    lines = run.output.strip().splitlines()
    assert lines[0] == "Recoloca is running.", run.output
    assert lines[-1] == "Recoloca stopped.", run.output
    logged = [line for line in lines if re.match(r"\d{4}-\d\d-\d\dT", line)]
    assert len(lines) - len(logged) == 8, run.output
    assert all("[info" in line and "email sent" in line for line in logged), run.output


def _recoloca(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECOLOCA_")}
    env["RECOLOCA_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [str(RECOLOCA), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_operator_commands_without_a_running_system_say_what_to_do(run_dir: Path):
    for args in (
        ["topics", "list"],
        ["groups"],
        ["dlq", "list", "--topic", "cv.parsed"],
        ["migrate"],
        ["replay", "--topic", "cv.uploaded", "--group", "parsing", "--from-beginning"],
    ):
        done = _recoloca(run_dir, *args)
        assert done.returncode == 1, (args, done.stdout, done.stderr)
        lines = done.stderr.strip().splitlines()
        assert 1 <= len(lines) <= 2, (args, done.stderr)
        assert "make run" in done.stderr, (args, done.stderr)
        assert "RECOLOCA_" in done.stderr, (args, done.stderr)

    debug = _recoloca(run_dir, "--debug", "topics", "list")
    assert debug.returncode != 0
    assert "Traceback" in debug.stderr


def test_operator_errors_against_a_running_system_are_one_or_two_lines(run_dir: Path):
    run = DevRun(run_dir / "data").start()
    run.wait_ready()
    try:
        unknown = _recoloca(run_dir / "data", "dlq", "list", "--topic", "nope")
        assert unknown.returncode == 1
        assert 1 <= len(unknown.stderr.strip().splitlines()) <= 2, unknown.stderr
        assert "nope" in unknown.stderr
        assert "topics list" in unknown.stderr

        listed = _recoloca(run_dir / "data", "topics", "list")
        assert listed.returncode == 0, listed.stderr
        assert "cv.uploaded" in listed.stdout
        urls = json.loads((run_dir / "data" / "dev" / "endpoints.json").read_text())
        assert set(urls) == {"database", "redis", "kafka"}
    finally:
        assert run.interrupt() == 0, run.output


def test_the_banner_says_where_mail_goes(tmp_path: Path) -> None:
    from entrypoints.dev import banner
    from infra.settings import Settings, SmtpSettings

    outside = Settings(smtp=SmtpSettings(host="127.0.0.1", port=2525))
    line = next(x for x in banner(outside).splitlines() if x.lstrip().startswith("mail"))
    # An SMTP server of the operator's own, even on this machine, keeps nothing here.
    assert line.split() == ["mail", "127.0.0.1:2525"]
    kept = banner(outside, tmp_path / "mail")
    assert f"(kept in {(tmp_path / 'mail').resolve()})" in kept
