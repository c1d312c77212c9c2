"""Warm-ups: what a process rehearses before it says it is ready leaves nothing behind."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.services import cvs as cvs_service
from consumers.context import WorkerContext
from consumers.parsing import service as parsing_service
from consumers.parsing.parser import parse_file
from consumers.parsing.warmup import sample_pdf
from consumers.scoring import service as scoring_service
from infra.db import rehearsal
from infra.db.models import Analysis, Cv, OutboxMessage, UsageRecord, User, UserEvent, UserKey
from infra.db.session import Database, warm_quietly
from infra.vault import Vault
from schemas.files import FileKind
from tests.support.system import RunningSystem


@pytest.fixture
async def ctx(system: RunningSystem) -> AsyncIterator[WorkerContext]:
    context = WorkerContext.from_settings(system.settings)
    yield context
    await context.close()


@pytest.fixture
def rehearsed(monkeypatch: pytest.MonkeyPatch) -> list[Cv]:
    """The CVs the rehearsals made (so the test can look for what they left)."""
    made: list[Cv] = []

    async def spied(session: AsyncSession) -> Cv:
        cv = await rehearsal.rehearsal_cv(session)
        made.append(cv)
        return cv

    monkeypatch.setattr(parsing_service, "rehearsal_cv", spied)
    monkeypatch.setattr(cvs_service, "rehearsal_cv", spied)
    return made


async def _left_behind(db: Database, cv: Cv) -> dict[str, int]:
    counts = {
        "users": select(func.count()).select_from(User).where(User.id == cv.user_id),
        "cvs": select(func.count()).select_from(Cv).where(Cv.id == cv.id),
        "analyses": select(func.count()).select_from(Analysis).where(Analysis.cv_id == cv.id),
        "outbox": select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.key == str(cv.id)),
        "events": select(func.count())
        .select_from(UserEvent)
        .where(UserEvent.user_id == cv.user_id),
        "usage": select(func.count())
        .select_from(UsageRecord)
        .where(UsageRecord.user_id == cv.user_id),
        "keys": select(func.count()).select_from(UserKey).where(UserKey.user_id == cv.user_id),
    }
    async with db.reads() as session:
        return {name: int(await session.scalar(query) or 0) for name, query in counts.items()}


NOTHING = dict.fromkeys(("users", "cvs", "analyses", "outbox", "events", "usage", "keys"), 0)


async def test_a_rehearsal_is_rolled_back(system: RunningSystem) -> None:
    async with system.db.rehearsal() as session:
        cv = await rehearsal.rehearsal_cv(session)
        assert await session.get(Cv, cv.id) is not None

    assert await _left_behind(system.db, cv) == NOTHING


async def test_the_parsing_rehearsal_writes_and_stages_nothing(
    system: RunningSystem,
    ctx: WorkerContext,
    rehearsed: list[Cv],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    saved: list[uuid.UUID] = []
    original = scoring_service.save_analysis

    async def save_analysis(*args: Any) -> dict[str, Any]:
        data = await original(*args)
        saved.append(uuid.UUID(data["cv_id"]))
        return data

    monkeypatch.setattr(scoring_service, "save_analysis", save_analysis)

    await parsing_service.rehearse(ctx)

    [cv] = rehearsed
    assert saved == [cv.id]  # it went all the way: the analysis was made and saved...
    assert await _left_behind(system.db, cv) == NOTHING  # ...and all of it rolled back
    assert ctx.sandbox._idle  # its children are started, and read the sample


async def test_the_upload_rehearsal_counts_and_stages_nothing(
    system: RunningSystem, rehearsed: list[Cv]
) -> None:
    await cvs_service.rehearse_upload(
        system.db, Vault(system.settings.crypto.master_keys()), system.settings.billing
    )

    [cv] = rehearsed
    assert await _left_behind(system.db, cv) == NOTHING


async def test_a_warm_up_that_fails_leaves_the_process_starting() -> None:
    async def away() -> None:
        raise ConnectionRefusedError

    await warm_quietly(away())  # does not raise: the process starts, only colder


def test_the_warm_up_sample_takes_the_parsers_normal_path() -> None:
    parsed = parse_file(sample_pdf(), FileKind.PDF)

    assert parsed.contact.name == "Ana Souza Lima"
    assert parsed.contact.email == "ana.lima@example.com"
    assert len(parsed.experience) == 2
    assert "SQL" in parsed.skills
