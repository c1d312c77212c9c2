"""Each document is parsed in a child process that is killed at the deadline.

Parsing is CPU-bound pure Python (regexes, pypdf, lxml) and holds the interpreter lock,
so a thread cannot protect the worker's event loop from a pathological file, and nothing
inside the process can stop a regex once it runs. A separate process can be stopped:
the worker sends the file's bytes over a pipe, waits at most ``timeout_seconds`` for the
answer, and kills the child when none came. The child also runs under an address-space
limit, so a file that inflates in memory fails there instead of in the worker.

A child serves one document at a time and is reused until it is killed or dies; the
next document gets a fresh one.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import multiprocessing
import resource
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from multiprocessing.process import BaseProcess
from typing import Any

import structlog

from consumers.parsing.errors import FILE_TOO_COMPLEX, ParseError
from schemas.cv import ParsedCv
from schemas.files import FileKind

log = structlog.get_logger(__name__)

_TIMED_OUT = "the file took too long to read; export it again as a simpler PDF, DOCX or TXT"
# A child's start (the fork server's first one imports the parser) and its sample parse.
_START_SECONDS = 60.0
_CRASHED = "the file could not be read within the limits; export it again as a simpler file"


def _context() -> ForkServerContext:
    # Children fork from a clean server process that has only the parser imported: no
    # event loop, broker threads or sockets of the worker are copied into them.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["consumers.parsing.parser"])
    return context


def _serve(conn: Connection, memory_bytes: int) -> None:
    """The child's loop: one (bytes, kind) in, one outcome out, until the pipe closes."""
    from consumers.parsing.parser import parse_file
    from consumers.parsing.warmup import sample_pdf

    if memory_bytes > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    # What the fork server loaded is shared with it until written: a full collection
    # would touch (and copy) all of it, and take long. Never collect it here.
    gc.freeze()
    sample = None
    with contextlib.suppress(Exception):  # a cold child still parses, only slower
        sample = parse_file(sample_pdf(), FileKind.PDF).model_dump(mode="json")
    conn.send(("ready", sample))
    while True:
        try:
            data, kind = conn.recv()
        except (EOFError, OSError):
            return
        outcome: tuple[Any, ...]
        try:
            outcome = ("ok", parse_file(data, FileKind(kind)).model_dump(mode="json"))
        except ParseError as exc:
            outcome = ("error", exc.code, exc.reason)
        except MemoryError:
            outcome = ("crash", "MemoryError")
        except Exception as exc:  # reported to the worker, which fails the document once
            outcome = ("crash", type(exc).__name__)
        del data
        conn.send(outcome)


class SandboxUnavailableError(RuntimeError):
    """No parse child could be started: the machine, not the document, is at fault."""


@dataclass
class _Child:
    process: BaseProcess
    conn: Connection

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class ParseSandbox:
    """Parses documents in child processes with a hard time budget and memory limit."""

    def __init__(self, *, timeout_seconds: float, memory_bytes: int, processes: int = 1) -> None:
        self.timeout_seconds = timeout_seconds
        self.memory_bytes = memory_bytes
        self._processes = max(1, processes)
        self._slots = asyncio.Semaphore(self._processes)
        self._idle: list[_Child] = []
        # What a child made of the warm-up sample: a real parse for a worker's rehearsal.
        self.sample: ParsedCv | None = None

    async def parse(self, data: bytes, kind: FileKind) -> ParsedCv:
        """Parse one file; raises ``ParseError`` (``file_too_complex`` past the budget,
        on a crash or out of memory, else the parser's own code)."""
        async with self._slots:
            child = await self._child()
            started = time.perf_counter()
            try:
                outcome = await asyncio.to_thread(self._roundtrip, child, data, kind)
            except BaseException:
                # Cancelled (shutdown) or broken pipe: never leave a child parsing.
                await asyncio.to_thread(child.kill)
                raise
            if outcome is None or outcome[0] == "crash":
                await asyncio.to_thread(child.kill)
                elapsed = round(time.perf_counter() - started, 2)
                if outcome is None:
                    log.warning("parse exceeded its budget; child killed", seconds=elapsed)
                    raise ParseError(FILE_TOO_COMPLEX, _TIMED_OUT)
                log.warning("parser failed; child replaced", error=outcome[1], seconds=elapsed)
                raise ParseError(FILE_TOO_COMPLEX, _CRASHED)
            self._idle.append(child)
        if outcome[0] == "error":
            raise ParseError(outcome[1], outcome[2])
        return ParsedCv.model_validate(outcome[1])

    async def warm(self) -> None:
        """Start every child now, so the first documents do not wait for a process to
        start (the fork server's first start imports the parser)."""
        for _ in range(self._processes - len(self._idle)):
            self._idle.append(await asyncio.to_thread(self._spawn))

    async def _child(self) -> _Child:
        while self._idle:
            child = self._idle.pop()
            if child.process.is_alive():
                return child
            child.kill()  # died while idle (killed from outside): not this document's fault
        return await asyncio.to_thread(self._spawn)

    def _spawn(self) -> _Child:
        context = _context()
        parent, child_end = context.Pipe(duplex=True)
        process = context.Process(
            target=_serve, args=(child_end, self.memory_bytes), name="recoloca-parse", daemon=True
        )
        process.start()
        child_end.close()
        child = _Child(process, parent)
        # The child reads a sample first (see ``warmup``): wait for it here, so that no
        # document's budget pays for it. A child that cannot even do that is no
        # document's fault: the error is the worker's, and its message is retried.
        try:
            answer = parent.recv() if parent.poll(_START_SECONDS) else None
        except (EOFError, OSError):
            answer = None
        if not answer or answer[0] != "ready":
            child.kill()
            raise SandboxUnavailableError("a parse child did not start")
        if answer[1] is not None and self.sample is None:
            self.sample = ParsedCv.model_validate(answer[1])
        return child

    def _roundtrip(self, child: _Child, data: bytes, kind: FileKind) -> tuple[Any, ...] | None:
        """The child's answer, ``("crash", ...)`` when it died, None past the deadline."""
        try:
            child.conn.send((data, kind.value))
            if not child.conn.poll(self.timeout_seconds):
                return None
            answer: tuple[Any, ...] = child.conn.recv()
            return answer
        except (EOFError, OSError):
            return ("crash", "ChildDied")

    def close(self) -> None:
        """Stop the idle children (a child mid-parse is stopped by its caller)."""
        while self._idle:
            self._idle.pop().kill()
