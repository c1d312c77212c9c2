"""``recoloca dev`` (what ``make run`` runs) as a real child process, driven like a user at
a terminal: started in its own process group, interrupted with SIGINT to the group."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from infra.embedded import free_port

ROOT = Path(__file__).resolve().parents[2]
RECOLOCA = Path(sys.executable).parent / "recoloca"


def children_of(pid: int) -> set[int]:
    """Every live descendant of ``pid``."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@dataclass
class DevRun:
    data_dir: Path
    port: int = field(default_factory=free_port)
    argv: list[str] = field(default_factory=lambda: [str(RECOLOCA), "dev"])
    extra_env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None

    @property
    def log_file(self) -> Path:
        return self.data_dir.parent / f"{self.data_dir.name}-{self.port}.out"

    @property
    def output(self) -> str:
        return self.log_file.read_text(errors="replace") if self.log_file.exists() else ""

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RECOLOCA_")}
        env |= {
            "RECOLOCA_DATA_DIR": str(self.data_dir),
            "RECOLOCA_API_PORT": str(self.port),
            "RECOLOCA_OUTBOX_POLL_SECONDS": "0.5",
            "PYTHONUNBUFFERED": "1",
        }
        return env | self.extra_env

    def start(self) -> DevRun:
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        with self.log_file.open("ab") as out:
            self.process = subprocess.Popen(
                self.argv,
                cwd=ROOT,
                env=self.env(),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def wait_ready(self, timeout: float = 120) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"exited with {self.process.returncode}:\n{self.finish()}")
            try:
                answer = httpx.get(f"{self.base_url}/readyz", timeout=2)
                if answer.status_code == 200:
                    return
                last = answer.text
            except httpx.TransportError as exc:
                last = repr(exc)
            time.sleep(0.1)
        self.interrupt()
        raise AssertionError(f"not ready after {timeout}s ({last}):\n{self.output}")

    def interrupt(self, timeout: float = 30) -> int:
        """Ctrl-C at the terminal: SIGINT to the whole foreground process group."""
        assert self.process is not None
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
        self.finish(timeout)
        return self.process.returncode

    def finish(self, timeout: float = 30) -> str:
        assert self.process is not None
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            raise AssertionError(f"still running after {timeout}s:\n{self.output}") from None
        return self.output
