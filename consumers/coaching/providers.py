"""Reply providers behind one interface: text arrives in pieces, and the outcome says who
wrote it. The offline coach's reply is always computed first (it is microseconds): it
decides the mode, the language and what is refused, and it is the fallback of any other
provider, even mid-stream.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Protocol

from consumers.coaching import prompt, safety
from consumers.coaching.offline import CoachInput, CoachReply
from infra.ai.gemini_stream import GeminiStreamClient, StreamFailedError, StreamLimits
from infra.settings import Settings

_PIECE = re.compile(r"\S+\s*")
WORDS_PER_PIECE = 4


@dataclass(frozen=True)
class Piece:
    text: str
    # Drop what was streamed so far: a provider failed mid-reply and another starts over.
    reset: bool = False


@dataclass
class Outcome:
    provider: str = "offline"
    model: str | None = None
    fallback_reason: str | None = None
    # What the reply says in all (a reset forgets what came before it).
    text: str = ""
    first_token_ms: float | None = None
    extra_sources: list[str] = field(default_factory=list)


class CoachProvider(Protocol):
    def stream(
        self, data: CoachInput, offline: CoachReply, outcome: Outcome
    ) -> AsyncIterator[Piece]: ...

    async def aclose(self) -> None: ...


def pieces_of(text: str) -> list[str]:
    """The text in pieces of a few words, whitespace kept: joined, they are the text."""
    words = _PIECE.findall(text)
    lead = text[: len(text) - len(text.lstrip())]
    chunks = [
        "".join(words[i : i + WORDS_PER_PIECE]) for i in range(0, len(words), WORDS_PER_PIECE)
    ]
    if lead and chunks:
        chunks[0] = lead + chunks[0]
    return chunks


async def stream_offline(
    offline: CoachReply, outcome: Outcome, pause: float = 0.0
) -> AsyncIterator[Piece]:
    for chunk in pieces_of(offline.text):
        outcome.text += chunk
        yield Piece(chunk)
        if pause:
            await asyncio.sleep(pause)


class OfflineCoach:
    def __init__(self, pause_seconds: float = 0.0) -> None:
        self._pause = pause_seconds

    async def stream(
        self, data: CoachInput, offline: CoachReply, outcome: Outcome
    ) -> AsyncIterator[Piece]:
        outcome.provider, outcome.model = "offline", None
        async for piece in stream_offline(offline, outcome, self._pause):
            yield piece

    async def aclose(self) -> None:
        return None


# Requests the offline coach refuses are never sent to a model.
_REFUSED = {safety.INJECTION, safety.PROMPT_REQUEST, safety.FABRICATION}


class GeminiCoach:
    """Gemini's streamed reply; on any failure the offline coach's, even mid-stream (the
    deltas shown so far are reset and the reply still completes)."""

    def __init__(self, client: GeminiStreamClient, pause_seconds: float = 0.0) -> None:
        self._client = client
        self._pause = pause_seconds

    async def stream(
        self, data: CoachInput, offline: CoachReply, outcome: Outcome
    ) -> AsyncIterator[Piece]:
        if _REFUSED & set(offline.safety):
            outcome.provider, outcome.fallback_reason = "offline", "refused"
            async for piece in stream_offline(offline, outcome, self._pause):
                yield piece
            return
        outcome.provider, outcome.model = "gemini", self._client.model
        outcome.extra_sources.append(f"prompt:{prompt.PROMPT_VERSION}")
        try:
            async for text in self._client.stream(
                prompt.system_instruction(offline), prompt.contents(data, offline)
            ):
                outcome.text += text
                yield Piece(text)
            if outcome.text.strip():
                return
            failure = "empty_reply"
            started = False
        except StreamFailedError as exc:
            failure, started = exc.reason, exc.started
        outcome.provider, outcome.model = "offline", None
        outcome.fallback_reason = f"mid_stream_{failure}" if started else failure
        outcome.extra_sources.clear()
        reset = bool(outcome.text)
        outcome.text = ""
        async for piece in stream_offline(offline, outcome, self._pause):
            yield Piece(piece.text, reset=reset)
            reset = False

    async def aclose(self) -> None:
        await self._client.aclose()


def stream_limits(settings: Settings) -> StreamLimits:
    coach = settings.coach
    return StreamLimits(
        first_token_seconds=coach.gemini_first_token_seconds,
        idle_seconds=coach.gemini_idle_seconds,
        total_seconds=coach.gemini_total_seconds,
    )


def make_coach(settings: Settings) -> CoachProvider:
    """Gemini when an API key is configured (the offline coach behind it), else offline."""
    key = settings.gemini.api_key
    if key is None or not key.get_secret_value().strip():
        return OfflineCoach(settings.coach.offline_delta_seconds)
    client = GeminiStreamClient(settings.gemini, stream_limits(settings))
    return GeminiCoach(client, settings.coach.offline_delta_seconds)
