"""A local fake of the Gemini REST API, for running the real ``google-genai`` SDK in tests.

It serves ``POST /{version}/models/{model}:generateContent`` and
``:streamGenerateContent?alt=sse`` in the real wire format from a background thread
(uvicorn + starlette), records every request it receives, and answers with a script of
behaviours set per test: ``fake.script(error_reply(429), valid_reply())`` answers the
first request with a 429 and every later one with a valid reply (the last behaviour
repeats). A streamed reply is one ``data: {...}`` line per chunk (``stream_reply``).
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from infra.ai.prompts import CV_CLOSE, CV_OPEN
from tests.support.served_app import ServedApp

_BULLETS = "•-*–·"
_ERROR_STATUS = {
    400: "INVALID_ARGUMENT",
    403: "PERMISSION_DENIED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}
INVENTED_EVIDENCE = "Gerenciei uma equipe de 50 pessoas na NASA e reduzi custos em 90%"


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    body: dict[str, Any]

    @property
    def version(self) -> str:
        return self.path.split("/")[1]

    @property
    def model(self) -> str:
        return self.path.rsplit("/", 1)[-1].split(":", 1)[0]

    @property
    def prompt(self) -> str:
        """The text of every part of every content the request sent."""
        return "\n".join(
            part.get("text", "")
            for content in self.body.get("contents", [])
            for part in content.get("parts", [])
        )

    @property
    def system_instruction(self) -> str | None:
        instruction = self.body.get("systemInstruction")
        if instruction is None:
            return None
        return "\n".join(part.get("text", "") for part in instruction.get("parts", []))

    @property
    def generation_config(self) -> dict[str, Any]:
        config: dict[str, Any] = self.body.get("generationConfig", {})
        return config

    def cv_lines(self) -> list[str]:
        """The CV's non-blank lines, as quoted between the prompt's CV tags."""
        text = self.prompt
        start, end = text.find(CV_OPEN), text.rfind(CV_CLOSE)
        if start < 0 or end < start:
            return []
        body = text[start + len(CV_OPEN) : end]
        return [line.strip() for line in body.splitlines() if line.strip()]


@dataclass(frozen=True)
class Behaviour:
    """One answer: an HTTP status, and for 200 the model's text built from the request."""

    status: int = 200
    delay: float = 0.0
    reply: Callable[[RecordedRequest], str] | None = None
    # Streaming: the chunks' texts, the pause before each chunk after the first, and a
    # chunk that is not JSON sent after this many good ones.
    chunks: tuple[str, ...] = ()
    chunk_delay: float = 0.0
    malformed_after: int | None = None


def _bullet_lines(request: RecordedRequest) -> list[str]:
    lines = request.cv_lines()
    bullets = [line.lstrip(_BULLETS).strip() for line in lines if line[0] in _BULLETS]
    return bullets or lines


def refinement_body(
    request: RecordedRequest, *, delta: int = 5, evidence: list[str] | None = None
) -> dict[str, Any]:
    """A reply that follows the contract: pt-BR advice quoting real CV lines (or
    ``evidence`` when given), a summary and score adjustments."""
    quotes = evidence if evidence is not None else _bullet_lines(request)[:2]
    suggestions: list[dict[str, Any]] = [
        {
            "category": "impact" if i % 2 == 0 else "action_verbs",
            "severity": "high" if i == 0 else "medium",
            "message": f"Mostre o resultado mensurável desta experiência (item {i + 1}).",
            "evidence": quote,
            "example": f"{quote.rstrip('.')}, reduzindo em [X%] o tempo de entrega.",
        }
        for i, quote in enumerate(quotes)
    ]
    suggestions.append(
        {
            "category": "structure",
            "severity": "low",
            "message": "Inclua um resumo com seu cargo-alvo logo no início.",
            "evidence": None,
            "example": None,
        }
    )
    return {
        "summary": "Currículo claro e bem estruturado; faltam resultados quantificados.",
        "suggestions": suggestions,
        "adjustments": [
            {"category": "impact", "delta": delta, "reason": "Conquistas relevantes."},
            # Not a judgement category: the provider must ignore it.
            {"category": "contact", "delta": -10, "reason": "Falta o GitHub."},
        ],
    }


def valid_reply(delta: int = 5) -> Behaviour:
    return Behaviour(
        reply=lambda r: json.dumps(refinement_body(r, delta=delta), ensure_ascii=False)
    )


def malformed_reply() -> Behaviour:
    return Behaviour(reply=lambda r: '{"summary": "Bom currículo", "suggestions": [{"categ')


def invalid_reply() -> Behaviour:
    """Well-formed JSON that breaks the contract (a delta beyond ±10)."""

    def reply(request: RecordedRequest) -> str:
        body = refinement_body(request)
        body["adjustments"] = [{"category": "impact", "delta": 40, "reason": "Muito bom."}]
        return json.dumps(body, ensure_ascii=False)

    return Behaviour(reply=reply)


def invented_evidence_reply(*, keep_real: bool = True) -> Behaviour:
    """One suggestion quotes a line the CV does not have. With ``keep_real`` another quotes
    a real line (and one is about something missing); without it that is the only one."""

    def reply(request: RecordedRequest) -> str:
        quotes = [INVENTED_EVIDENCE]
        if keep_real:
            quotes.append(_bullet_lines(request)[0])
        body = refinement_body(request, evidence=quotes)
        if not keep_real:
            body["suggestions"] = body["suggestions"][:1]
        return json.dumps(body, ensure_ascii=False)

    return Behaviour(reply=reply)


def slow_reply(seconds: float) -> Behaviour:
    return Behaviour(delay=seconds, reply=valid_reply().reply)


def error_reply(status: int) -> Behaviour:
    return Behaviour(status=status)


COACH_CHUNKS = (
    "Olá! Vamos melhorar seu currículo. ",
    "O ponto mais fraco é impacto: ",
    "mostre o resultado de cada item.",
)


def stream_reply(
    chunks: tuple[str, ...] = COACH_CHUNKS,
    *,
    delay: float = 0.0,
    chunk_delay: float = 0.0,
    malformed_after: int | None = None,
) -> Behaviour:
    """A streamed reply: ``delay`` before the first chunk, ``chunk_delay`` between chunks."""
    return Behaviour(
        delay=delay, chunks=chunks, chunk_delay=chunk_delay, malformed_after=malformed_after
    )


@dataclass
class _State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: list[RecordedRequest] = field(default_factory=list)
    script: list[Behaviour] = field(default_factory=lambda: [valid_reply()])


class FakeGemini:
    def __init__(self) -> None:
        self._state = _State()
        self._served: ServedApp | None = None
        self._stopping: asyncio.Event | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._state.lock:
            return list(self._state.requests)

    def script(self, *behaviours: Behaviour) -> None:
        """Answer the next requests with ``behaviours`` in order; the last one repeats.
        Also forgets the requests recorded so far."""
        if not behaviours:
            raise ValueError("script at least one behaviour")
        with self._state.lock:
            self._state.script = list(behaviours)
            self._state.requests.clear()

    def _next(self, request: RecordedRequest) -> Behaviour:
        with self._state.lock:
            self._state.requests.append(request)
            script = self._state.script
            return script.pop(0) if len(script) > 1 else script[0]

    async def _generate(self, request: Request) -> Response:
        recorded = RecordedRequest(
            method=request.method,
            path=request.url.path,
            headers={k.lower(): v for k, v in request.headers.items()},
            body=json.loads(await request.body() or b"{}"),
        )
        if recorded.path.endswith(":streamGenerateContent"):
            return await self._stream(recorded)
        if not recorded.path.endswith(":generateContent"):
            return _error(404, "only :generateContent and :streamGenerateContent are faked")
        behaviour = self._next(recorded)
        if behaviour.delay:
            assert self._stopping is not None
            with suppress(TimeoutError):  # wakes early when the server stops
                await asyncio.wait_for(self._stopping.wait(), behaviour.delay)
        if behaviour.status != 200 or behaviour.reply is None:
            return _error(behaviour.status, "scripted failure")
        text = behaviour.reply(recorded)
        return JSONResponse(
            {
                "candidates": [
                    {
                        "content": {"role": "model", "parts": [{"text": text}]},
                        "finishReason": "STOP",
                        "index": 0,
                    }
                ],
                "usageMetadata": {
                    "promptTokenCount": len(recorded.prompt) // 4,
                    "candidatesTokenCount": len(text) // 4,
                    "totalTokenCount": (len(recorded.prompt) + len(text)) // 4,
                },
                "modelVersion": recorded.model,
            }
        )

    async def _pause(self, seconds: float) -> None:
        assert self._stopping is not None
        with suppress(TimeoutError):  # wakes early when the server stops
            await asyncio.wait_for(self._stopping.wait(), seconds)

    async def _stream(self, recorded: RecordedRequest) -> Response:
        behaviour = self._next(recorded)
        if behaviour.status != 200:
            if behaviour.delay:
                await self._pause(behaviour.delay)
            return _error(behaviour.status, "scripted failure")

        async def body() -> Any:
            if behaviour.delay:
                await self._pause(behaviour.delay)
            for i, text in enumerate(behaviour.chunks):
                if i and behaviour.chunk_delay:
                    await self._pause(behaviour.chunk_delay)
                if behaviour.malformed_after is not None and i == behaviour.malformed_after:
                    yield b'data: {"candidates": [{"content": {"parts": [{"te\r\n\r\n'
                    return
                last = i == len(behaviour.chunks) - 1
                candidate: dict[str, Any] = {
                    "content": {"role": "model", "parts": [{"text": text}]},
                    "index": 0,
                }
                if last:
                    candidate["finishReason"] = "STOP"
                chunk = {"candidates": [candidate], "modelVersion": recorded.model}
                yield f"data: {json.dumps(chunk, ensure_ascii=False)}\r\n\r\n".encode()

        return StreamingResponse(body(), media_type="text/event-stream")

    def start(self, timeout: float = 10.0) -> None:
        app = Starlette(
            routes=[Route("/{version}/models/{target}", self._generate, methods=["POST"])]
        )
        self._served = ServedApp(app, "Gemini", timeout=timeout, on_loop=self._on_server_loop)
        self.port = self._served.port

    def _on_server_loop(self) -> None:
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        if self._served is None:
            return
        if self._stopping is not None:
            self._served.call_soon(self._stopping.set)
        self._served.stop()
        self._served = None


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse(
        {
            "error": {
                "code": status,
                "message": message,
                "status": _ERROR_STATUS.get(status, "UNKNOWN"),
            }
        },
        status_code=status,
    )


@contextmanager
def running_fake_gemini() -> Iterator[FakeGemini]:
    fake = FakeGemini()
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()
