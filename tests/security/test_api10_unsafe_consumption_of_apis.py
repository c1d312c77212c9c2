"""OWASP API10:2023, unsafe consumption of APIs: what Gemini answers is untrusted input.
A reply that is malformed, breaks the contract, invents evidence or never comes is
validated away, and the user still gets an analysis built from their own CV."""

from __future__ import annotations

import pytest

from consumers.scoring.analyser import analyse
from consumers.scoring.providers import GeminiProvider
from consumers.scoring.text import CvLines
from infra.ai.gemini import GeminiClient
from schemas.cv import ParsedCv
from tests.infra.ai.conftest import TIMEOUT_SECONDS
from tests.support.fake_gemini import (
    Behaviour,
    FakeGemini,
    error_reply,
    invalid_reply,
    invented_evidence_reply,
    malformed_reply,
    slow_reply,
)

pytestmark = pytest.mark.filterwarnings("ignore:Inheritance class:DeprecationWarning")


@pytest.mark.parametrize(
    "behaviour",
    [
        malformed_reply(),
        invalid_reply(),
        invented_evidence_reply(keep_real=False),
        invented_evidence_reply(),
        error_reply(500),
        slow_reply(TIMEOUT_SECONDS + 2),
    ],
    ids=["malformed", "breaks-contract", "only-invented", "some-invented", "500", "too-slow"],
)
async def test_whatever_gemini_answers_every_quote_comes_from_the_cv(
    fake_gemini: FakeGemini, gemini_client: GeminiClient, pt_cv: ParsedCv, behaviour: Behaviour
) -> None:
    fake_gemini.script(behaviour)
    result = await GeminiProvider(gemini_client).analyse(pt_cv)

    offline = analyse(pt_cv)
    assert abs(result.analysis.score - offline.score) <= 10
    lines = CvLines(pt_cv.text).lines
    for suggestion in result.analysis.suggestions:
        assert suggestion.evidence is None or suggestion.evidence in lines
