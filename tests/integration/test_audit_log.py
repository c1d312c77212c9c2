"""The audit trail is append-only in the database; a disabled account is refused at once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import text, update
from sqlalchemy.exc import DBAPIError

from api.services.audit import RequestMeta, record
from infra.db.models import User
from infra.db.repositories import audit as audit_repo
from tests.support.api import new_user, user_id_of
from tests.support.system import RunningSystem, wait_for


async def test_entries_are_recorded_and_paged_newest_first(system: RunningSystem) -> None:
    subject = uuid.uuid4()
    meta = RequestMeta.of("203.0.113.9", "x" * 1000, "req-1")
    async with system.db.sessions() as session:
        for action in ("auth.login", "mfa.enabled", "auth.password_changed"):
            await record(session, action, meta, actor_id=subject)
        await session.commit()
        first = await audit_repo.page(session, involving=subject, limit=2)
        rest = await audit_repo.page(session, involving=subject, before_id=first[-1].id)
    assert [e.action for e in first] == ["auth.password_changed", "mfa.enabled"]
    assert [e.action for e in rest] == ["auth.login"]
    assert first[0].subject_id == subject
    assert first[0].user_agent is not None
    assert len(first[0].user_agent) == 256


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"]
)
async def test_the_trail_cannot_be_edited(system: RunningSystem, statement: str) -> None:
    subject = uuid.uuid4()
    async with system.db.sessions() as session:
        await record(session, "auth.login", RequestMeta.of(None, None, None), actor_id=subject)
        await session.commit()
        with pytest.raises(DBAPIError, match="append-only"):
            await session.execute(text(f"{statement} WHERE subject_id = :s"), {"s": subject})


async def test_a_disabled_account_is_refused_with_a_live_token(system: RunningSystem) -> None:
    async with system.client() as client:
        headers = await new_user(client)
        assert (await client.get("/v1/cvs", headers=headers)).status_code == 200
        async with system.db.sessions() as session:
            await session.execute(
                update(User)
                .where(User.id == user_id_of(headers))
                .values(disabled_at=datetime.now(UTC))
            )
            await session.commit()

        async def refused() -> bool:
            return (await client.get("/v1/cvs", headers=headers)).status_code == 401

        assert await wait_for(
            refused, timeout=system.settings.auth.session_check_seconds + 5, what="a 401"
        )
