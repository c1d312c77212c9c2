"""The coach's streaming client: the real google-genai SDK against the local fake."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from google.genai import types

from infra.ai.gemini_stream import GeminiStreamClient, StreamFailedError, StreamLimits
from infra.settings import GeminiSettings
from tests.infra.ai.conftest import API_KEY, BREAKER_FAILURES
from tests.support.fake_gemini import COACH_CHUNKS, FakeGemini, error_reply, stream_reply

LIMITS = StreamLimits(first_token_seconds=0.4, idle_seconds=0.4, total_seconds=5.0)
CONTENTS = [types.Content(role="user", parts=[types.Part(text="Como melhorar meu CV?")])]


@pytest.fixture
async def client(gemini_settings: GeminiSettings) -> AsyncIterator[GeminiStreamClient]:
    streaming = GeminiStreamClient(gemini_settings, LIMITS)
    yield streaming
    await streaming.aclose()


async def _collect(client: GeminiStreamClient, into: list[str]) -> None:
    async for text in client.stream("You are a coach.", CONTENTS):
        into.append(text)


async def test_streams_chunk_by_chunk(client: GeminiStreamClient, fake_gemini: FakeGemini) -> None:
    fake_gemini.script(stream_reply())
    received: list[str] = []
    await _collect(client, received)
    assert received == list(COACH_CHUNKS)
    [request] = fake_gemini.requests
    assert request.path.endswith(":streamGenerateContent")
    assert request.version == "v1beta"
    assert request.headers["x-goog-api-key"] == API_KEY
    assert request.system_instruction == "You are a coach."
    assert "Como melhorar meu CV?" in request.prompt


async def test_429_then_success_is_retried_before_the_first_token(
    client: GeminiStreamClient, fake_gemini: FakeGemini
) -> None:
    fake_gemini.script(error_reply(429), stream_reply())
    received: list[str] = []
    await _collect(client, received)
    assert "".join(received) == "".join(COACH_CHUNKS)
    assert len(fake_gemini.requests) == 2


async def test_a_client_error_is_not_retried(
    client: GeminiStreamClient, fake_gemini: FakeGemini
) -> None:
    fake_gemini.script(error_reply(400))
    with pytest.raises(StreamFailedError) as caught:
        await _collect(client, [])
    assert caught.value.reason == "client_error"
    assert len(fake_gemini.requests) == 1


async def test_timeout_before_the_first_chunk(
    client: GeminiStreamClient, fake_gemini: FakeGemini
) -> None:
    fake_gemini.script(stream_reply(delay=3))
    received: list[str] = []
    with pytest.raises(StreamFailedError) as caught:
        await _collect(client, received)
    assert caught.value.reason == "timeout"
    assert caught.value.started is False
    assert received == []
    assert len(fake_gemini.requests) == 3, "each attempt before the first token is retried"


async def test_a_slow_first_attempt_then_a_fast_one(
    client: GeminiStreamClient, fake_gemini: FakeGemini
) -> None:
    fake_gemini.script(stream_reply(delay=3), stream_reply())
    received: list[str] = []
    await _collect(client, received)
    assert received == list(COACH_CHUNKS)


async def test_timeout_after_the_first_chunk_is_not_retried(
    client: GeminiStreamClient, fake_gemini: FakeGemini
) -> None:
    fake_gemini.script(stream_reply(chunk_delay=3))
    received: list[str] = []
    with pytest.raises(StreamFailedError) as caught:
        await _collect(client, received)
    assert caught.value.reason == "timeout"
    assert caught.value.started is True
    assert received == [COACH_CHUNKS[0]]
    assert len(fake_gemini.requests) == 1


async def test_a_malformed_chunk(client: GeminiStreamClient, fake_gemini: FakeGemini) -> None:
    fake_gemini.script(stream_reply(malformed_after=1))
    received: list[str] = []
    with pytest.raises(StreamFailedError) as caught:
        await _collect(client, received)
    assert caught.value.reason == "malformed_reply"
    assert caught.value.started is True
    assert received == [COACH_CHUNKS[0]]


async def test_the_breaker_opens_after_failures_and_a_stopped_stream_is_no_verdict(
    client: GeminiStreamClient, fake_gemini: FakeGemini
) -> None:
    fake_gemini.script(stream_reply())
    async for _ in client.stream("s", CONTENTS):
        break  # the caller stops early (a cancellation)
    assert client.breaker.consecutive_failures == 0
    fake_gemini.script(error_reply(400))
    for _ in range(BREAKER_FAILURES):
        with pytest.raises(StreamFailedError):
            await _collect(client, [])
    fake_gemini.script(stream_reply())
    with pytest.raises(StreamFailedError) as caught:
        await _collect(client, [])
    assert caught.value.reason == "circuit_open"
    assert fake_gemini.requests == []
