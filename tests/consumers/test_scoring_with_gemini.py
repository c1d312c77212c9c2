"""The scoring service with the Gemini provider (real SDK, local fake endpoint)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from consumers.context import WorkerContext
from consumers.parsing.parser import parse_cv
from consumers.scoring.providers import GeminiProvider
from consumers.scoring.service import handle_cv_parsed
from infra.ai.gemini import GeminiClient
from infra.ai.prompts import PROMPT_VERSION
from infra.db.models import Analysis, Cv
from infra.personal_data import analysis_body
from infra.settings import GeminiSettings
from infra.vault import Vault
from schemas.events import CvParsed
from tests.infra.ai.conftest import PT_CV_TEXT
from tests.support.api import new_user, user_id_of
from tests.support.factories import make_parsed_cv
from tests.support.fake_gemini import FakeGemini, error_reply, running_fake_gemini, valid_reply
from tests.support.system import RunningSystem


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeGemini]:
    with running_fake_gemini() as server:
        yield server


async def _parsed_cv(system: RunningSystem) -> CvParsed:
    """A parsed CV written directly (no command on the bus, so only this test scores it)."""
    async with system.client() as client:
        user_id = user_id_of(await new_user(client))
    async with system.db.transaction() as session:
        cv = make_parsed_cv(session, user_id, parse_cv(PT_CV_TEXT).model_dump(mode="json"))
    return CvParsed(correlation_id="gemini-test", user_id=user_id, cv_id=cv.id, language="pt")


async def _context(system: RunningSystem, fake: FakeGemini) -> WorkerContext:
    ctx = WorkerContext.from_settings(system.settings)
    await ctx.ai.aclose()
    ctx.ai = GeminiProvider(
        GeminiClient(
            GeminiSettings(
                api_key=SecretStr("test-key"),
                model="gemini-test",
                base_url=fake.base_url,
                timeout_seconds=1,
                attempts=2,
                backoff_seconds=0.01,
                backoff_max_seconds=0.02,
            )
        )
    )
    return ctx


async def _analyses(system: RunningSystem, cv_id: uuid.UUID) -> list[Analysis]:
    async with system.db.sessions() as session:
        return list((await session.scalars(select(Analysis).where(Analysis.cv_id == cv_id))).all())


async def _body(system: RunningSystem, analysis: Analysis, user_id: uuid.UUID) -> dict[str, Any]:
    """The whole analysis, its sealed part opened with the user's key."""
    vault = Vault(system.settings.crypto.master_keys())
    async with system.db.sessions() as session:
        return analysis_body(await vault.key(session, user_id), analysis)


async def test_gemini_refines_once_and_a_redelivery_makes_no_second_call(
    system: RunningSystem, fake: FakeGemini
) -> None:
    fake.script(valid_reply())
    event = await _parsed_cv(system)
    ctx = await _context(system, fake)
    try:
        await handle_cv_parsed(ctx, event)
        calls = len(fake.requests)
        await handle_cv_parsed(ctx, event)  # the same message again
    finally:
        await ctx.close()

    assert calls == 1
    assert len(fake.requests) == calls, "a redelivered message must not call the AI again"
    [saved] = await _analyses(system, event.cv_id)
    assert event.user_id is not None
    body = await _body(system, saved, event.user_id)
    assert saved.provider == body["provider"] == "gemini"
    assert body["model"] == "gemini-test"
    assert body["prompt_version"] == PROMPT_VERSION
    assert body["latency_ms"] > 0
    assert abs(body["score"] - body["baseline_score"]) <= 10
    for suggestion in body["suggestions"]:
        assert suggestion["evidence"] is None or suggestion["evidence"] in PT_CV_TEXT


async def test_gemini_failure_still_scores_offline(system: RunningSystem, fake: FakeGemini) -> None:
    fake.script(error_reply(500))
    event = await _parsed_cv(system)
    ctx = await _context(system, fake)
    try:
        await handle_cv_parsed(ctx, event)
    finally:
        await ctx.close()
    [saved] = await _analyses(system, event.cv_id)
    assert saved.body["provider"] == "offline"
    assert saved.body["fallback_reason"] == "server_error"
    async with system.db.sessions() as session:
        status = await session.scalar(select(Cv.status).where(Cv.id == event.cv_id))
        count = await session.scalar(
            select(func.count()).select_from(Analysis).where(Analysis.cv_id == event.cv_id)
        )
    assert status == "scored"
    assert count == 1
