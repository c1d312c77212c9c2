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

from consumers.coaching.offline import CoachInput, CoachReply
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


def make_coach(settings: Settings) -> CoachProvider:
    """Gemini when an API key is configured (the offline coach behind it), else offline."""
    return OfflineCoach(settings.coach.offline_delta_seconds)
