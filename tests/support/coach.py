"""A conversation with the coach over HTTP, waited on until the reply is complete."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.system import wait_for


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
