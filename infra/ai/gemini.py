"""Gemini adapter: ask the model to refine an offline analysis, as validated JSON.

One method, ``GeminiClient.refine``, bounded in time (the SDK's per-attempt timeout and
an asyncio deadline over the whole call, retries included), retried with exponential
backoff on 408/429/5xx by the SDK, and guarded by a circuit breaker (every failed
refinement counts, a malformed reply included: a model that keeps answering badly is not
worth paying for either; a cancelled call does not count). Every failure is
raised as a ``RefinementError`` whose ``reason`` says what went wrong, so the caller can
fall back on the offline analysis. Neither the CV text nor the API key is ever logged.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import structlog
from google import genai
from google.genai import errors, types
from pydantic import BaseModel, Field, ValidationError

from infra.ai.circuit_breaker import CircuitBreaker
from infra.ai.prompts import (
    MAX_ADJUSTMENT,
    MAX_SUGGESTIONS,
    PROMPT_VERSION,
    SYSTEM_INSTRUCTION,
    build_request,
)
from infra.settings import GeminiSettings
from schemas.cv import Analysis, ParsedCv, Severity

log = structlog.get_logger(__name__)

# Low temperature: the same CV should get much the same advice twice.
_TEMPERATURE = 0.2
# A cap on the reply: ample for 12 suggestions in JSON.
_MAX_OUTPUT_TOKENS = 8192


# -- the reply contract (sent as the response schema) -------------------------------------


class RefinedSuggestion(BaseModel):
    category: str = Field(description="One of the rubric categories listed in the request")
    severity: Severity
    message: str = Field(min_length=1, max_length=1000)
    evidence: str | None = Field(
        default=None, description="A line of the CV quoted verbatim, or null", max_length=600
    )
    example: str | None = Field(
        default=None, description="A rewritten example; placeholders for unknown figures"
    )


class CategoryAdjustment(BaseModel):
    category: str = Field(description="One of the adjustable categories listed in the request")
    delta: int = Field(ge=-MAX_ADJUSTMENT, le=MAX_ADJUSTMENT)
    reason: str = Field(max_length=500)


class Refinement(BaseModel):
    """What Gemini returns: advice in the CV's language and bounded score nudges."""

    summary: str = Field(min_length=1, max_length=1500)
    suggestions: list[RefinedSuggestion] = Field(max_length=MAX_SUGGESTIONS)
    adjustments: list[CategoryAdjustment] = Field(default_factory=list, max_length=8)


# -- errors ----------------------------------------------------------------------------


class RefinementError(Exception):
    """Refinement failed; ``reason`` is a short code fit for logs and metrics."""

    reason = "error"

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.reason)


class CircuitOpenError(RefinementError):
    reason = "circuit_open"


class RefinementTimeoutError(RefinementError):
    reason = "timeout"


class RateLimitedError(RefinementError):
    reason = "rate_limited"


class UpstreamServerError(RefinementError):
    reason = "server_error"


class UpstreamClientError(RefinementError):
    reason = "client_error"


class TransportError(RefinementError):
    reason = "transport_error"


class UnexpectedError(RefinementError):
    """Anything else the SDK or the transport raised (a bug, an unknown network error)."""

    reason = "unexpected_error"


class EmptyReplyError(RefinementError):
    reason = "empty_reply"


class MalformedReplyError(RefinementError):
    reason = "malformed_reply"


class InvalidReplyError(RefinementError):
    reason = "invalid_reply"


# -- the client --------------------------------------------------------------------------


class GeminiClient:
    def __init__(
        self,
        settings: GeminiSettings,
        *,
        breaker: CircuitBreaker | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if settings.api_key is None:
            raise ValueError("GeminiClient needs settings.api_key")
        self.model = settings.model
        self._timeout = settings.timeout_seconds
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
                timeout=max(1, int(settings.timeout_seconds * 1000)),
                retry_options=types.HttpRetryOptions(
                    attempts=settings.attempts,
                    initial_delay=settings.backoff_seconds,
                    max_delay=settings.backoff_max_seconds,
                    exp_base=2.0,
                    jitter=min(1.0, settings.backoff_seconds),
                    http_status_codes=[408, 429, 500, 502, 503, 504],
                ),
            ),
        )
        self._config = types.GenerateContentConfig(
            system_instruction=SYSTEM_INSTRUCTION,
            response_mime_type="application/json",
            response_schema=Refinement,
            temperature=_TEMPERATURE,
            max_output_tokens=_MAX_OUTPUT_TOKENS,
            candidate_count=1,
        )

    @property
    def prompt_version(self) -> str:
        return PROMPT_VERSION

    async def refine(
        self, cv: ParsedCv, baseline: Analysis, job_description: str | None
    ) -> Refinement:
        """Ask Gemini to refine ``baseline``; raise ``RefinementError`` on any failure."""
        if not self.breaker.allow():
            raise CircuitOpenError()
        started = self._clock()
        try:
            refinement = await self._refine(cv, baseline, job_description)
        except asyncio.CancelledError:
            self.breaker.release()  # no verdict on the service's health
            raise
        except Exception as exc:
            error = exc if isinstance(exc, RefinementError) else UnexpectedError()
            self.breaker.record_failure()
            # Only the reason and the exception type: messages may quote the reply.
            log.warning(
                "gemini refinement failed",
                reason=error.reason,
                error_type=type(exc).__name__,
                model=self.model,
                latency_ms=round((self._clock() - started) * 1000, 1),
                breaker=self.breaker.state.value,
            )
            if error is exc:
                raise
            raise error from exc
        self.breaker.record_success()
        log.info(
            "gemini refinement",
            model=self.model,
            prompt_version=PROMPT_VERSION,
            latency_ms=round((self._clock() - started) * 1000, 1),
            suggestions=len(refinement.suggestions),
            adjustments=len(refinement.adjustments),
        )
        return refinement

    async def _refine(
        self, cv: ParsedCv, baseline: Analysis, job_description: str | None
    ) -> Refinement:
        prompt = build_request(cv, baseline, job_description)
        try:
            async with asyncio.timeout(self._timeout):
                response = await self._client.aio.models.generate_content(
                    model=self.model, contents=prompt, config=self._config
                )
        except TimeoutError as exc:  # asyncio's deadline or aiohttp's per-attempt timeout
            raise RefinementTimeoutError() from exc
        except errors.APIError as exc:
            raise api_error(exc) from exc
        except OSError as exc:  # connection refused or reset (other transport errors: unexpected)
            raise TransportError(type(exc).__name__) from exc
        except errors.UnknownApiResponseError as exc:
            raise MalformedReplyError("unreadable HTTP body") from exc
        text = response.text
        if not text:
            raise EmptyReplyError(_finish_reason(response))
        try:
            return Refinement.model_validate_json(text)
        except ValidationError as exc:
            # The message quotes the reply (and so possibly the CV): keep only the kinds.
            kinds = sorted({str(e["type"]) for e in exc.errors()})
            if "json_invalid" in kinds:
                raise MalformedReplyError("reply is not JSON") from None
            raise InvalidReplyError(", ".join(kinds)) from None

    async def aclose(self) -> None:
        await self._client.aio.aclose()


def api_error(exc: errors.APIError) -> RefinementError:
    detail = f"HTTP {exc.code} {exc.status or ''}".strip()
    if exc.code == 429:
        return RateLimitedError(detail)
    if exc.code == 408:
        return RefinementTimeoutError(detail)
    if exc.code >= 500:
        return UpstreamServerError(detail)
    return UpstreamClientError(detail)


def _finish_reason(response: types.GenerateContentResponse) -> str:
    candidates = response.candidates or []
    if candidates and candidates[0].finish_reason is not None:
        return f"finish reason {candidates[0].finish_reason}"
    if response.prompt_feedback is not None and response.prompt_feedback.block_reason:
        return f"blocked: {response.prompt_feedback.block_reason}"
    return "no candidates"
