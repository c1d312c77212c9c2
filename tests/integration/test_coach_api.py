"""The coach's HTTP surface: its refusals, ownership (BOLA), pagination, ratings."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx

from infra.settings import RateLimitSettings, Settings
from schemas.coach import MAX_MESSAGE_CHARS
from tests.support.api import upload, wait_for_status
from tests.support.asgi import api_clients
from tests.support.coach import converse
from tests.support.documents import txt_cv
from tests.support.identity import Account, signed_in
from tests.support.sse import SseEvent, collect_until
from tests.support.system import RunningSystem, wait_for


async def _session(client: httpx.AsyncClient, account: Account, **body: Any) -> str:
    response = await client.post("/v1/coach/sessions", headers=account.headers, json=body)
    assert response.status_code == 201, response.text
    session_id: str = response.json()["id"]
    return session_id


async def _replied(
    client: httpx.AsyncClient, account: Account, session_id: str, count: int
) -> list[dict[str, Any]]:
    async def probe() -> list[dict[str, Any]] | None:
        items: list[dict[str, Any]] = (
            await client.get(f"/v1/coach/sessions/{session_id}/messages", headers=account.headers)
        ).json()["items"]
        done = [m for m in items if m["role"] == "assistant" and m["status"] == "completed"]
        return items if len(done) >= count else None

    return await wait_for(probe, timeout=20, what=f"{count} replies")


async def test_another_user_s_session_is_not_found(system: RunningSystem) -> None:
    async with system.client() as client:
        owner, intruder = await signed_in(client), await signed_in(client)
        session_id = await _session(client, owner)
        sent = await client.post(
            f"/v1/coach/sessions/{session_id}/messages", headers=owner.headers, json={"text": "Oi"}
        )
        message_id = sent.json()["message_id"]
        base = f"/v1/coach/sessions/{session_id}"
        attempts = [
            ("GET", base, None),
            ("DELETE", base, None),
            ("GET", f"{base}/messages", None),
            ("POST", f"{base}/messages", {"text": "Oi"}),
            ("POST", f"{base}/messages/{message_id}/cancel", None),
            ("POST", f"{base}/messages/{message_id}/feedback", {"rating": "up"}),
        ]
        for method, path, body in attempts:
            response = await client.request(method, path, headers=intruder.headers, json=body)
            assert response.status_code == 404, (method, path, response.text)
            assert response.json()["code"] == "not_found"
        listed = await client.get("/v1/coach/sessions", headers=intruder.headers)
        assert listed.json()["total"] == 0
        assert (await client.get(base, headers=owner.headers)).status_code == 200


async def test_someone_else_s_cv_cannot_be_coached(system: RunningSystem) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        response = await client.post(
            "/v1/coach/sessions", headers=account.headers, json={"cv_id": str(uuid.uuid4())}
        )
        assert response.status_code == 404


async def test_message_too_long_empty_or_unauthenticated(system: RunningSystem) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        session_id = await _session(client, account)
        path = f"/v1/coach/sessions/{session_id}/messages"
        too_long = await client.post(
            path, headers=account.headers, json={"text": "a" * (MAX_MESSAGE_CHARS + 1)}
        )
        assert too_long.status_code == 422
        assert too_long.json()["code"] == "message_too_long"
        blank = await client.post(path, headers=account.headers, json={"text": "   "})
        assert blank.status_code == 422
        assert blank.json()["code"] == "validation_error"
        assert (await client.post(path, json={"text": "Oi"})).status_code == 401
        bad_mode = await client.post(
            "/v1/coach/sessions", headers=account.headers, json={"mode": "astrology"}
        )
        assert bad_mode.status_code == 422


async def test_sending_too_fast_is_rate_limited(settings: Settings) -> None:
    limits = RateLimitSettings(key_prefix=f"test-{uuid.uuid4().hex}", coach="2 per minute")
    limited = settings.model_copy(update={"ratelimit": limits})
    async with api_clients(limited) as client_from:
        client = client_from("10.6.0.1")
        account, other = await signed_in(client), await signed_in(client)
        session_id = await _session(client, account)
        path = f"/v1/coach/sessions/{session_id}/messages"
        answers = [
            await client.post(path, headers=account.headers, json={"text": "Oi"}) for _ in range(2)
        ]
        refused = await client.post(path, headers=account.headers, json={"text": "Oi"})
        history = await client.get(path, headers=account.headers)
        others = await client.post(
            f"/v1/coach/sessions/{await _session(client, other)}/messages",
            headers=other.headers,
            json={"text": "Oi"},
        )
    assert [a.status_code for a in answers] == [202, 202]
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert int(refused.headers["retry-after"]) >= 1
    # The running coaching worker may have replied already: count the user's turns.
    sent = [m for m in history.json()["items"] if m["role"] == "user"]
    assert len(sent) == 2, "a refused message is not stored"
    assert others.status_code == 202, "the budget is each user's own"


async def test_pages_ratings_and_delete(system: RunningSystem) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        session_id = await _session(client, account, mode="career")
        base = f"/v1/coach/sessions/{session_id}"
        sent = await client.post(
            f"{base}/messages", headers=account.headers, json={"text": "CLT ou PJ?"}
        )
        assert sent.status_code == 202
        accepted = sent.json()
        items = await _replied(client, account, session_id, 1)
        assert [m["role"] for m in items] == ["user", "assistant"]
        assert items[1]["metadata"]["mode"] == "career"
        page = await client.get(f"{base}/messages?limit=1&offset=1", headers=account.headers)
        assert page.json()["total"] == 2
        assert [m["id"] for m in page.json()["items"]] == [accepted["reply_id"]]

        not_reply = await client.post(
            f"{base}/messages/{accepted['message_id']}/feedback",
            headers=account.headers,
            json={"rating": "up"},
        )
        assert not_reply.status_code == 422
        assert not_reply.json()["code"] == "not_a_reply"
        for rating in ("down", "up"):
            rated = await client.post(
                f"{base}/messages/{accepted['reply_id']}/feedback",
                headers=account.headers,
                json={"rating": rating, "comment": "útil"},
            )
            assert rated.status_code == 204, rated.text
        items = (await client.get(f"{base}/messages", headers=account.headers)).json()["items"]
        assert items[1]["rating"] == "up"
        bad = await client.post(
            f"{base}/messages/{accepted['reply_id']}/feedback",
            headers=account.headers,
            json={"rating": "meh"},
        )
        assert bad.status_code == 422
        unknown = await client.post(
            f"{base}/messages/{uuid.uuid4()}/cancel", headers=account.headers
        )
        assert unknown.status_code == 404
        finished = await client.post(
            f"{base}/messages/{accepted['reply_id']}/cancel", headers=account.headers
        )
        assert finished.status_code == 202
        assert finished.json()["status"] == "completed", "a finished reply stays finished"

        listed = await client.get("/v1/coach/sessions", headers=account.headers)
        assert [s["id"] for s in listed.json()["items"]] == [session_id]
        assert (await client.delete(base, headers=account.headers)).status_code == 204
        assert (await client.get(base, headers=account.headers)).status_code == 404
        assert (await client.get(f"{base}/messages", headers=account.headers)).status_code == 404


async def test_a_session_s_messages_are_answered_in_order(system: RunningSystem) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        session_id = await _session(client, account)
        texts = ["Como melhorar meu CV?", "E para entrevista?", "CLT ou PJ?", "How to negotiate?"]
        async with client.stream("GET", "/v1/events", headers=account.headers) as stream:
            sent = await asyncio.gather(
                *(
                    client.post(
                        f"/v1/coach/sessions/{session_id}/messages",
                        headers=account.headers,
                        json={"text": t},
                    )
                    for t in texts
                )
            )
            assert all(r.status_code == 202 for r in sent)

            def all_done(events: list[SseEvent]) -> bool:
                return sum(e.event == "coach.reply.completed" for e in events) == len(texts)

            events = await collect_until(stream, all_done, timeout=30)
        items = await _replied(client, account, session_id, len(texts))
    users = [m["id"] for m in items if m["role"] == "user"]
    replies_to = [m["reply_to"] for m in items if m["role"] == "assistant"]
    assert replies_to == users, "each reply follows the message it answers"
    completed = [e.data["reply_to"] for e in events if e.event == "coach.reply.completed"]
    assert completed == users, "replies complete in the order the messages were accepted"
    # Never interleaved: every delta of a reply comes before the next reply's first delta.
    order = [e.data["message_id"] for e in events if e.event == "coach.reply.delta"]
    assert len({*order}) == len(texts)
    runs = [m for i, m in enumerate(order) if i == 0 or order[i - 1] != m]
    assert len(runs) == len(texts)


async def test_a_tailor_reply_s_changes_are_accepted_or_rejected_by_their_owner(
    system: RunningSystem,
) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        cv_id = (await upload(client, account.headers, txt_cv(), "cv.txt", "text/plain")).json()[
            "id"
        ]
        await wait_for_status(client, account.headers, cv_id, "scored")
        session_id, reply = await converse(
            client,
            account.headers,
            "Adapte meu CV para esta vaga",
            mode="tailor",
            job_description="Buscamos analista de dados com SQL, Python e Docker.",
        )
        assert reply["metadata"]["mode"] == "tailor"
        base = f"/v1/coach/sessions/{session_id}/messages/{reply['id']}/suggestions"
        listed = await client.get(base, headers=account.headers)
        assert listed.status_code == 200, listed.text
        changes = listed.json()
        assert len(changes) == reply["metadata"]["suggestions"] >= 2
        assert {c["section"] for c in changes} <= {"headline", "skills"}
        assert all(c["status"] == "proposed" and c["before"] != c["after"] for c in changes)
        headline, skills = changes[0], changes[1]

        accepted = await client.post(f"{base}/{headline['id']}/accept", headers=account.headers)
        assert accepted.status_code == 200, accepted.text
        assert accepted.json()["status"] == "accepted"
        again = await client.post(f"{base}/{headline['id']}/accept", headers=account.headers)
        assert again.json()["decided_at"] == accepted.json()["decided_at"]
        rejected = await client.post(f"{base}/{skills['id']}/reject", headers=account.headers)
        assert rejected.json()["status"] == "rejected"

        flipped = await client.post(f"{base}/{headline['id']}/reject", headers=account.headers)
        assert flipped.status_code == 409
        assert flipped.json()["code"] == "suggestion_already_decided"
        unknown = await client.post(f"{base}/{uuid.uuid4()}/accept", headers=account.headers)
        assert unknown.status_code == 404
        assert unknown.json()["code"] == "not_found"
        malformed = await client.post(f"{base}/not-an-id/accept", headers=account.headers)
        assert malformed.status_code == 422
        history = await client.get(
            f"/v1/coach/sessions/{session_id}/messages", headers=account.headers
        )
        own = history.json()["items"][0]
        assert own["role"] == "user"
        not_reply = await client.get(
            f"/v1/coach/sessions/{session_id}/messages/{own['id']}/suggestions",
            headers=account.headers,
        )
        assert not_reply.status_code == 422
        assert not_reply.json()["code"] == "not_a_reply"

        # The decisions are stored: read back as they were made.
        stored = (await client.get(base, headers=account.headers)).json()
        assert [c["status"] for c in stored[:2]] == ["accepted", "rejected"]
