"""The coach in tests: a conversation over HTTP, or rows written straight to the database
(no command on the bus, so only the test itself answers them)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import select

from infra.db.models import CoachMessage, CoachSession
from infra.db.repositories import coach as coach_repo
from infra.personal_data import coach_text_of, set_coach_text
from infra.vault import Vault
from schemas.coach import CoachMessageSent
from tests.infra.ai.conftest import PT_CV_TEXT
from tests.support.api import upload, wait_for_status
from tests.support.identity import signed_in, user_id_of_account
from tests.support.system import RunningSystem, wait_for


async def converse(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    text: str,
    **session: Any,
) -> tuple[str, dict[str, Any]]:
    """Open a session (``session`` is its body), send ``text``; the session id and the
    completed reply as the history shows it."""
    created = await client.post("/v1/coach/sessions", headers=headers, json=session)
    assert created.status_code == 201, created.text
    session_id: str = created.json()["id"]
    sent = await client.post(
        f"/v1/coach/sessions/{session_id}/messages", headers=headers, json={"text": text}
    )
    assert sent.status_code == 202, sent.text
    reply_id = sent.json()["reply_id"]

    async def probe() -> dict[str, Any] | None:
        items = (
            await client.get(f"/v1/coach/sessions/{session_id}/messages", headers=headers)
        ).json()["items"]
        return next((m for m in items if m["id"] == reply_id and m["status"] == "completed"), None)

    return session_id, await wait_for(probe, timeout=20, what="the coach's reply")


async def user_with_cv(system: RunningSystem, cv_text: str | None = PT_CV_TEXT) -> uuid.UUID:
    async with system.client() as client:
        account = await signed_in(client)
        if cv_text is not None:
            response = await upload(
                client, account.headers, cv_text.encode(), "cv.txt", "text/plain"
            )
            await wait_for_status(client, account.headers, response.json()["id"], "scored")
        return await user_id_of_account(client, account)


async def session_row(
    system: RunningSystem, user_id: uuid.UUID, mode: str | None = None
) -> uuid.UUID:
    async with system.db.transaction() as session:
        row = await coach_repo.add_session(
            session, CoachSession(id=uuid.uuid4(), user_id=user_id, mode=mode)
        )
        return row.id


async def message_row(
    system: RunningSystem, user_id: uuid.UUID, session_id: uuid.UUID, text: str
) -> CoachMessageSent:
    vault = Vault(system.settings.crypto.master_keys())
    async with system.db.transaction() as session:
        await coach_repo.session_for_user(session, session_id, user_id, lock=True)
        message = CoachMessage(
            id=uuid.uuid4(),
            session_id=session_id,
            user_id=user_id,
            seq=await coach_repo.next_seq(session, session_id),
            role="user",
            status="sent",
            meta={},
        )
        set_coach_text(await vault.key_or_create(session, user_id), message, text)
        await coach_repo.add_message(session, message)
    return CoachMessageSent(
        correlation_id="coach-test",
        user_id=user_id,
        session_id=session_id,
        message_id=message.id,
        reply_id=uuid.uuid5(message.id, "coach-reply"),
    )


async def replies_to(system: RunningSystem, event: CoachMessageSent) -> list[CoachMessage]:
    async with system.db.sessions() as session:
        rows = await session.scalars(
            select(CoachMessage).where(CoachMessage.reply_to == event.message_id)
        )
        return list(rows.all())


async def reply_text(system: RunningSystem, row: CoachMessage) -> str:
    vault = Vault(system.settings.crypto.master_keys())
    async with system.db.sessions() as session:
        return coach_text_of(await vault.key_if_any(session, row.user_id), row)
