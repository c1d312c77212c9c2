"""The real google-genai SDK against the local fake: refinement, and every way it falls
back on the offline analysis."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Callable

import pytest
from pydantic import SecretStr
from structlog.testing import capture_logs

from consumers.scoring.analyser import analyse
from consumers.scoring.providers import (
    GeminiProvider,
    OfflineProvider,
    ProviderResult,
    make_provider,
)
from consumers.scoring.text import CvLines
from infra.ai.circuit_breaker import BreakerState, CircuitBreaker
from infra.ai.gemini import GeminiClient
from infra.ai.prompts import PROMPT_VERSION
from infra.settings import GeminiSettings, Settings
from schemas.cv import ParsedCv
from tests.infra.ai.conftest import (
    API_KEY,
    ATTEMPTS,
    BREAKER_FAILURES,
    JOB_DESCRIPTION,
    MODEL,
    TIMEOUT_SECONDS,
)
from tests.support.fake_gemini import (
    INVENTED_EVIDENCE,
    FakeGemini,
    error_reply,
    invalid_reply,
    invented_evidence_reply,
    malformed_reply,
    slow_reply,
    valid_reply,
)

# The SDK subclasses aiohttp.ClientSession, which aiohttp deprecates.
pytestmark = pytest.mark.filterwarnings("ignore:Inheritance class:DeprecationWarning")


def assert_offline_fallback(result: ProviderResult, cv: ParsedCv, reason: str) -> None:
    assert result.fallback_reason == reason
    assert result.analysis == analyse(cv)
    assert result.analysis.provider == "offline"
    assert result.analysis.model is None
    assert result.prompt_version is None
    assert result.summary is None


async def test_success_refines_suggestions_and_nudges_the_score(
    fake_gemini: FakeGemini, gemini_client: GeminiClient, pt_cv: ParsedCv
) -> None:
    fake_gemini.script(valid_reply(delta=8))
    baseline = analyse(pt_cv)

    result = await GeminiProvider(gemini_client).analyse(pt_cv)

    analysis = result.analysis
    assert result.fallback_reason is None
    assert (analysis.provider, analysis.model) == ("gemini", MODEL)
    assert result.prompt_version == PROMPT_VERSION
    assert result.summary is not None
    assert result.summary.startswith("Currículo")
    assert result.latency_ms > 0
    # The refined suggestions, each quoting a real line of the CV (or nothing).
    assert analysis.suggestions != baseline.suggestions
    assert [s.category for s in analysis.suggestions] == ["impact", "action_verbs", "structure"]
    cv_lines = CvLines(pt_cv.text).lines
    quoted = [s.evidence for s in analysis.suggestions if s.evidence is not None]
    assert len(quoted) == 2
    assert all(line in cv_lines for line in quoted)
    # Impact moved by +8; the "contact" adjustment is not a judgement category: ignored.
    before = {item.category: item for item in baseline.breakdown}
    after = {item.category: item for item in analysis.breakdown}
    assert after["impact"].score == min(100, before["impact"].score + 8)
    assert {c: i.score for c, i in after.items() if c != "impact"} == {
        c: i.score for c, i in before.items() if c != "impact"
    }
    expected = int(sum(i.score * i.weight for i in analysis.breakdown) + 0.5)
    assert analysis.score == expected
    assert abs(analysis.score - baseline.score) <= 10
    # The facts are the offline analyser's.
    assert analysis.baseline_score == baseline.score
    changed = {"provider", "model", "score", "breakdown", "suggestions", "baseline_score"}
    assert analysis.model_dump(exclude=changed) == baseline.model_dump(exclude=changed)


async def test_request_uses_the_real_wire_format(
    fake_gemini: FakeGemini, gemini_client: GeminiClient, pt_cv: ParsedCv
) -> None:
    await GeminiProvider(gemini_client).analyse(pt_cv, JOB_DESCRIPTION)

    [request] = fake_gemini.requests
    assert request.method == "POST"
    assert request.path == f"/v1beta/models/{MODEL}:generateContent"
    assert request.headers["x-goog-api-key"] == API_KEY
    config = request.generation_config
    assert config["responseMimeType"] == "application/json"
    schema = config["responseSchema"]
    assert set(schema["properties"]) == {"summary", "suggestions", "adjustments"}
    delta = schema["properties"]["adjustments"]["items"]["properties"]["delta"]
    assert (delta["minimum"], delta["maximum"]) == (-10, 10)
    system = request.system_instruction
    assert system is not None
    assert "ATS" in system
    assert "Brazilian" in system
    assert "verbatim" in system
    assert "Never invent facts" in system
    assert "Brazilian Portuguese" in request.prompt
    assert pt_cv.text.strip() in request.prompt
    assert "dbt, Airflow" in request.prompt  # the job description
    assert "impact" in request.prompt  # the rubric's breakdown


async def test_malformed_json_falls_back_on_offline(
    fake_gemini: FakeGemini, gemini_client: GeminiClient, pt_cv: ParsedCv
) -> None:
    fake_gemini.script(malformed_reply())
    result = await GeminiProvider(gemini_client).analyse(pt_cv)
    assert_offline_fallback(result, pt_cv, "malformed_reply")


async def test_reply_breaking_the_contract_falls_back_on_offline(
    fake_gemini: FakeGemini, gemini_client: GeminiClient, pt_cv: ParsedCv
) -> None:
    fake_gemini.script(invalid_reply())  # a +40 adjustment
    result = await GeminiProvider(gemini_client).analyse(pt_cv)
    assert_offline_fallback(result, pt_cv, "invalid_reply")


async def test_invented_evidence_is_dropped(
    fake_gemini: FakeGemini, gemini_client: GeminiClient, pt_cv: ParsedCv
) -> None:
    fake_gemini.script(invented_evidence_reply())
    result = await GeminiProvider(gemini_client).analyse(pt_cv)

    assert result.analysis.provider == "gemini"
    assert result.dropped_suggestions == 1
    evidence = [s.evidence for s in result.analysis.suggestions]
    assert INVENTED_EVIDENCE not in evidence
    assert len(result.analysis.suggestions) == 2  # the real quote and the "missing" advice
    assert evidence[0] in CvLines(pt_cv.text).lines


async def test_baseline_suggestions_kept_when_no_refined_one_survives(
    fake_gemini: FakeGemini, gemini_client: GeminiClient, pt_cv: ParsedCv
) -> None:
    fake_gemini.script(invented_evidence_reply(keep_real=False))
    result = await GeminiProvider(gemini_client).analyse(pt_cv)

    assert result.analysis.provider == "gemini"
    assert result.dropped_suggestions == 1
    assert result.analysis.suggestions == analyse(pt_cv).suggestions


async def test_timeout_falls_back_within_the_bound(
    fake_gemini: FakeGemini, gemini_client: GeminiClient, pt_cv: ParsedCv
) -> None:
    fake_gemini.script(slow_reply(TIMEOUT_SECONDS * 6))
    started = time.monotonic()
    result = await GeminiProvider(gemini_client).analyse(pt_cv)
    elapsed = time.monotonic() - started

    assert_offline_fallback(result, pt_cv, "timeout")
    assert elapsed < TIMEOUT_SECONDS + 0.5
    assert len(fake_gemini.requests) == 1


async def test_rate_limit_then_success_is_retried(
    fake_gemini: FakeGemini, gemini_client: GeminiClient, pt_cv: ParsedCv
) -> None:
    fake_gemini.script(error_reply(429), valid_reply())
    result = await GeminiProvider(gemini_client).analyse(pt_cv)

    assert result.fallback_reason is None
    assert result.analysis.provider == "gemini"
    assert len(fake_gemini.requests) == 2


async def test_rate_limit_that_persists_falls_back(
    fake_gemini: FakeGemini, gemini_client: GeminiClient, pt_cv: ParsedCv
) -> None:
    fake_gemini.script(error_reply(429))
    result = await GeminiProvider(gemini_client).analyse(pt_cv)

    assert_offline_fallback(result, pt_cv, "rate_limited")
    assert len(fake_gemini.requests) == ATTEMPTS


async def test_client_error_is_not_retried(
    fake_gemini: FakeGemini, gemini_client: GeminiClient, pt_cv: ParsedCv
) -> None:
    fake_gemini.script(error_reply(400))
    result = await GeminiProvider(gemini_client).analyse(pt_cv)

    assert_offline_fallback(result, pt_cv, "client_error")
    assert len(fake_gemini.requests) == 1


async def test_server_errors_fall_back_then_open_the_breaker(
    fake_gemini: FakeGemini, gemini_client: GeminiClient, pt_cv: ParsedCv
) -> None:
    fake_gemini.script(error_reply(500))
    provider = GeminiProvider(gemini_client)

    for _ in range(BREAKER_FAILURES):
        result = await provider.analyse(pt_cv)
        assert_offline_fallback(result, pt_cv, "server_error")
    assert len(fake_gemini.requests) == BREAKER_FAILURES * ATTEMPTS
    assert gemini_client.breaker.state is BreakerState.OPEN

    result = await provider.analyse(pt_cv)
    assert_offline_fallback(result, pt_cv, "circuit_open")
    assert len(fake_gemini.requests) == BREAKER_FAILURES * ATTEMPTS


async def test_breaker_lets_a_trial_through_after_the_reset_time(
    fake_gemini: FakeGemini, gemini_settings: GeminiSettings, pt_cv: ParsedCv
) -> None:
    now = [0.0]
    breaker = CircuitBreaker(1, 30.0, clock=lambda: now[0])
    client = GeminiClient(gemini_settings, breaker=breaker)
    provider = GeminiProvider(client)
    try:
        fake_gemini.script(error_reply(503))
        assert (await provider.analyse(pt_cv)).fallback_reason == "server_error"
        fake_gemini.script(valid_reply())
        assert (await provider.analyse(pt_cv)).fallback_reason == "circuit_open"
        assert fake_gemini.requests == []

        now[0] += 30.0
        result = await provider.analyse(pt_cv)
        assert result.analysis.provider == "gemini"
        assert len(fake_gemini.requests) == 1
        assert breaker.state is BreakerState.CLOSED
    finally:
        await client.aclose()


async def test_neither_the_cv_nor_the_key_is_logged(
    fake_gemini: FakeGemini, gemini_client: GeminiClient, pt_cv: ParsedCv
) -> None:
    provider = GeminiProvider(gemini_client)
    with capture_logs() as logs:
        fake_gemini.script(valid_reply())
        await provider.analyse(pt_cv)
        fake_gemini.script(invented_evidence_reply())
        await provider.analyse(pt_cv)
        fake_gemini.script(invalid_reply())
        await provider.analyse(pt_cv)
    assert logs
    seen = repr(logs)
    assert API_KEY not in seen
    for line in CvLines(pt_cv.text).lines:
        assert line not in seen
    assert INVENTED_EVIDENCE not in seen


async def test_offline_provider_wraps_the_analyser(pt_cv: ParsedCv) -> None:
    result = await OfflineProvider().analyse(pt_cv, JOB_DESCRIPTION)
    assert result.analysis == analyse(pt_cv, JOB_DESCRIPTION)
    assert result.fallback_reason is None
    assert result.prompt_version is None


async def test_make_provider_chooses_gemini_only_with_a_key(
    monkeypatch: pytest.MonkeyPatch, fake_gemini: FakeGemini
) -> None:
    monkeypatch.delenv("RECOLOCA_GEMINI_API_KEY", raising=False)
    assert isinstance(make_provider(Settings()), OfflineProvider)

    monkeypatch.setenv("RECOLOCA_GEMINI_API_KEY", API_KEY)
    monkeypatch.setenv("RECOLOCA_GEMINI_BASE_URL", fake_gemini.base_url)
    monkeypatch.setenv("RECOLOCA_GEMINI_MODEL", MODEL)
    settings = Settings()
    assert settings.gemini.api_key == SecretStr(API_KEY)
    provider = make_provider(settings)
    try:
        assert isinstance(provider, GeminiProvider)
        assert API_KEY not in repr(settings)
    finally:
        await provider.aclose()


async def test_cancelled_call_frees_the_half_open_trial(
    fake_gemini: FakeGemini, gemini_settings: GeminiSettings, pt_cv: ParsedCv
) -> None:
    now = [0.0]
    breaker = CircuitBreaker(1, 30.0, clock=lambda: now[0])
    client = GeminiClient(gemini_settings, breaker=breaker)
    try:
        breaker.record_failure()
        now[0] += 30.0
        fake_gemini.script(slow_reply(TIMEOUT_SECONDS * 6))
        task = asyncio.create_task(client.refine(pt_cv, analyse(pt_cv), None))
        await wait_for(lambda: len(fake_gemini.requests) == 1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert breaker.state is BreakerState.HALF_OPEN
        assert breaker.allow()  # the trial slot is free again
    finally:
        await client.aclose()


async def wait_for(condition: Callable[[], bool], timeout: float = 2.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


async def test_unreachable_service_falls_back(
    gemini_settings: GeminiSettings, pt_cv: ParsedCv
) -> None:
    with socket.socket() as sock:  # a port nobody listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = gemini_settings.model_copy(update={"base_url": f"http://127.0.0.1:{port}"})
    client = GeminiClient(settings)
    try:
        result = await GeminiProvider(client).analyse(pt_cv)
    finally:
        await client.aclose()
    assert_offline_fallback(result, pt_cv, "transport_error")
