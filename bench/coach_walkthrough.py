"""The coach's walk-through, as a scripted client against a running ``make run``.

upload a CV → create a session → "como posso melhorar meu currículo?" → deltas then the
completed reply over SSE, in Portuguese, naming the CV's weakest category and quoting one
of its lines → an English question gets an English answer → a mock interview round gives
STAR feedback → the history shows every turn.

    python -m bench.coach_walkthrough [--base-url http://127.0.0.1:8000]

Exits non-zero at the first step that misbehaves.
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from consumers.coaching.labels import CATEGORY_LABELS
from tests.support.sse import SseEvent, read_events

CV = Path(__file__).resolve().parent.parent / "examples" / "cv-pt-BR.txt"
PASSWORD = "uma senha longa e boa"


def _check(condition: bool, what: str) -> None:
    print(("  ok   " if condition else "  FAIL ") + what, flush=True)
    if not condition:
        raise SystemExit(1)


async def _scored(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    sent = await client.post(
        "/v1/cvs", headers=headers, files={"file": ("cv.txt", CV.read_bytes(), "text/plain")}
    )
    _check(sent.status_code == 202, f"upload → 202 ({sent.status_code})")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        body: dict[str, Any] = (
            await client.get(f"/v1/cvs/{sent.json()['id']}", headers=headers)
        ).json()
        if body["status"] in ("scored", "failed"):
            _check(body["status"] == "scored", "the CV is scored")
            return body
        await asyncio.sleep(0.2)
    raise SystemExit("the CV was not scored within 60 s")


async def _ask(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    events: Any,
    path: str,
    text: str,
) -> tuple[int, dict[str, Any]]:
    """(deltas seen, the completed event's data) of the reply to ``text``."""
    sent = await client.post(path, headers=headers, json={"text": text})
    _check(sent.status_code == 202, f"{text!r} → 202 ({sent.status_code})")
    reply_id = sent.json()["reply_id"]
    deltas = 0
    event: SseEvent
    async for event in events:
        if event.data.get("message_id") != reply_id:
            continue
        if event.event == "coach.reply.delta":
            deltas += 1
        if event.event == "coach.reply.completed":
            return deltas, event.data
    raise SystemExit("the event stream ended before the reply completed")


async def walkthrough(client: httpx.AsyncClient) -> None:
    email = f"coach-{uuid.uuid4().hex[:10]}@example.com"
    registered = await client.post(
        "/v1/auth/register", json={"email": email, "password": PASSWORD, "locale": "pt-BR"}
    )
    _check(registered.status_code == 201, "register (pt-BR)")
    token = await client.post("/v1/auth/token", data={"username": email, "password": PASSWORD})
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    cv = await _scored(client, headers)
    analysis = cv["analysis"]
    lowest = min(item["score"] for item in analysis["breakdown"])
    weakest = {i["category"] for i in analysis["breakdown"] if i["score"] == lowest}
    bullets = "-•*– "
    cv_lines = [
        line.strip().lstrip(bullets) for line in CV.read_text().splitlines() if len(line) > 12
    ]

    created = await client.post("/v1/coach/sessions", headers=headers, json={})
    _check(created.status_code == 201, "create a session")
    session_id = created.json()["id"]
    path = f"/v1/coach/sessions/{session_id}/messages"
    async with client.stream("GET", "/v1/events", headers=headers) as stream:
        events = read_events(stream)

        deltas, done = await _ask(
            client, headers, events, path, "como posso melhorar meu currículo?"
        )
        text, meta = done["text"], done["metadata"]
        _check(deltas > 0, f"deltas arrived before the completed reply ({deltas})")
        _check(meta["language"] == "pt-BR", f"answered in Portuguese ({meta['language']})")
        labels = [CATEGORY_LABELS["pt-BR"][c] for c in weakest]
        _check(any(label in text for label in labels), f"names the weakest area {labels}")
        quoted = [line for line in cv_lines if line in text]
        _check(bool(quoted), f"quotes a line of the CV ({quoted[:1]})")
        _check(meta["grounded"], "every claim about the user is grounded in the CV")

        _, english = await _ask(client, headers, events, path, "How can I improve my resume?")
        _check(
            english["metadata"]["language"] == "en",
            f"an English question gets an English answer ({english['metadata']['language']})",
        )

        _, question = await _ask(client, headers, events, path, "Quero simular uma entrevista")
        _check(question["metadata"]["mode"] == "interview", "the mock interview starts")
        answer = (
            "Na Empresa X eu liderei a migração do sistema de pagamentos para a nuvem "
            "e por isso reduzimos o tempo de resposta."
        )
        _, feedback = await _ask(client, headers, events, path, answer)
        star = feedback["metadata"]["star"]
        _check(star is not None, f"the answer gets STAR feedback ({star})")
        _check(
            feedback["metadata"]["star_score"] is not None,
            f"and a score ({feedback['metadata']['star_score']})",
        )

    history = (await client.get(path, headers=headers)).json()["items"]
    roles = [m["role"] for m in history]
    _check(
        roles == ["user", "assistant"] * 4,
        f"the history shows every turn ({len(history)} messages)",
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    args = parser.parse_args()
    async with httpx.AsyncClient(base_url=args.base_url, timeout=30) as client:
        await walkthrough(client)
    print("coach walk-through: every step ok")


if __name__ == "__main__":
    asyncio.run(main())
