"""Gemini streaming for the coach: ``generate_content_stream`` with bounded time.

- Before the first token, a failed attempt (429, 5xx, a timeout, a dropped connection) is
  retried with exponential backoff up to ``attempts``; after it nothing is retried, since
  the caller has already shown the text: it falls back instead.
- Three clocks: the first token within ``first_token_seconds`` of each attempt, each
  next chunk within ``idle_seconds``, the whole reply within ``total_seconds``.
- The analysis's circuit breaker: every failed reply counts (a malformed chunk too); a
  reply the caller stops early (a cancellation) gives no verdict.
- Failures are ``RefinementError`` subclasses with a ``reason`` (the same vocabulary as the
  analysis), raised with ``started`` set when text had already been yielded.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import structlog
from google import genai
from google.genai import errors, types

from infra.ai.circuit_breaker import CircuitBreaker
from infra.ai.gemini import (
    CircuitOpenError,
    MalformedReplyError,
    RateLimitedError,
    RefinementError,
    RefinementTimeoutError,
    TransportError,
    UnexpectedError,
    UpstreamServerError,
    api_error,
)
from infra.settings import GeminiSettings

log = structlog.get_logger(__name__)

_RETRYABLE = (RateLimitedError, RefinementTimeoutError, UpstreamServerError, TransportError)
_TEMPERATURE = 0.4
_MAX_OUTPUT_TOKENS = 2048


@dataclass(frozen=True)
class StreamLimits:
    first_token_seconds: float
    idle_seconds: float
    total_seconds: float


class StreamFailedError(RefinementError):
    """Wraps the failure of a stream; ``started`` says whether text had been yielded."""

    def __init__(self, cause: RefinementError, *, started: bool) -> None:
        super().__init__(str(cause))
        self.reason = cause.reason
        self.cause = cause
        self.started = started


class GeminiStreamClient:
    def __init__(
        self,
        settings: GeminiSettings,
        limits: StreamLimits,
        *,
        breaker: CircuitBreaker | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if settings.api_key is None:
            raise ValueError("GeminiStreamClient needs settings.api_key")
        self.model = settings.model
        self._settings = settings
        self._limits = limits
        self._clock = clock
        self.breaker = breaker or CircuitBreaker(
            settings.breaker_failures, settings.breaker_reset_seconds, clock=clock
        )
        self._client = genai.Client(
            vertexai=False,
            api_key=settings.api_key.get_secret_value(),
            http_options=types.HttpOptions(
                base_url=settings.base_url,
                api_version=settings.api_version,
                timeout=max(1, int(limits.total_seconds * 1000)),
                # Retries are ours, and only before the first token.
                retry_options=types.HttpRetryOptions(attempts=1),
            ),
        )

    async def stream(
        self, system_instruction: str, contents: list[types.Content]
    ) -> AsyncIterator[str]:
        """The reply's text, chunk by chunk; raises ``StreamFailedError``."""
        if not self.breaker.allow():
            raise StreamFailedError(CircuitOpenError(), started=False)
        config = types.GenerateContentConfig(
            system_instruction=system_instruction,
            temperature=_TEMPERATURE,
            max_output_tokens=_MAX_OUTPUT_TOKENS,
            candidate_count=1,
        )
        started_at = self._clock()
        started = False
        verdict = False
        iterator: AsyncIterator[types.GenerateContentResponse] | None = None
        try:
            iterator, first = await self._first_chunk(contents, config, started_at)
            if first:
                started = True
                yield first
            while True:
                left = self._limits.total_seconds - (self._clock() - started_at)
                try:
                    async with asyncio.timeout(max(0.0, min(self._limits.idle_seconds, left))):
                        chunk = await anext(iterator)
                except StopAsyncIteration:
                    break
                text = _text(chunk)
                if text:
                    started = True
                    yield text
            self.breaker.record_success()
            verdict = True
            log.info(
                "gemini coach reply",
                model=self.model,
                latency_ms=round((self._clock() - started_at) * 1000, 1),
            )
        except (asyncio.CancelledError, GeneratorExit):
            raise
        except Exception as exc:
            error = _mapped(exc)
            self.breaker.record_failure()
            verdict = True
            log.warning(
                "gemini coach stream failed",
                reason=error.reason,
                error_type=type(exc).__name__,
                started=started,
                model=self.model,
                breaker=self.breaker.state.value,
            )
            raise StreamFailedError(error, started=started) from exc
        finally:
            if not verdict:
                self.breaker.release()
            if iterator is not None and hasattr(iterator, "aclose"):
                await _close(iterator)

    async def _first_chunk(
        self, contents: list[types.Content], config: types.GenerateContentConfig, started_at: float
    ) -> tuple[AsyncIterator[types.GenerateContentResponse], str]:
        """Open the stream and read up to its first text, retrying what may pass."""
        delay = self._settings.backoff_seconds
        attempt = 1
        while True:
            iterator: AsyncIterator[types.GenerateContentResponse] | None = None
            try:
                async with asyncio.timeout(self._limits.first_token_seconds):
                    iterator = await self._client.aio.models.generate_content_stream(
                        model=self.model, contents=contents, config=config
                    )
                    async for chunk in iterator:
                        text = _text(chunk)
                        if text:
                            return iterator, text
                    return iterator, ""
            except (asyncio.CancelledError, GeneratorExit):
                raise
            except Exception as exc:
                if iterator is not None:
                    await _close(iterator)
                error = _mapped(exc)
                spent = self._clock() - started_at
                if (
                    not isinstance(error, _RETRYABLE)
                    or attempt >= self._settings.attempts
                    or spent + delay >= self._limits.total_seconds
                ):
                    raise error from exc
                log.info("gemini coach attempt failed, retrying", reason=error.reason)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self._settings.backoff_max_seconds)
                attempt += 1

    async def aclose(self) -> None:
        await self._client.aio.aclose()


async def _close(iterator: Any) -> None:
    closer = getattr(iterator, "aclose", None)
    if closer is not None:
        try:
            await closer()
        except Exception as exc:  # closing a broken stream must not hide its error
            log.debug("closing the gemini stream failed", error_type=type(exc).__name__)


def _text(chunk: types.GenerateContentResponse) -> str:
    if not chunk.candidates:
        return ""
    content = chunk.candidates[0].content
    if content is None or not content.parts:
        return ""
    return "".join(part.text or "" for part in content.parts if not part.thought)


def _mapped(exc: BaseException) -> RefinementError:
    if isinstance(exc, RefinementError):
        return exc
    if isinstance(exc, TimeoutError):
        return RefinementTimeoutError()
    if isinstance(exc, errors.APIError):
        return api_error(exc)
    if isinstance(exc, errors.UnknownApiResponseError | ValueError):
        return MalformedReplyError("unreadable chunk")
    if isinstance(exc, OSError):
        return TransportError(type(exc).__name__)
    name = type(exc).__module__
    if name.startswith(("aiohttp", "httpx", "httpcore")):
        return TransportError(type(exc).__name__)
    return UnexpectedError()
