"""The coach end to end: the API, the outbox, the coaching worker on the real broker,
deltas over Redis and the durable completion over SSE."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer
from sqlalchemy import func, select

from consumers.coaching.labels import category_label
from infra.db.models import CoachMessage, UserEvent
from tests.support.api import upload, wait_for_status
from tests.support.coach import converse
from tests.support.documents import txt_cv
from tests.support.identity import Account, signed_in
from tests.support.kafka import committed_offsets, end_offsets, read_topic
from tests.support.sse import SseEvent, collect_until
from tests.support.system import RunningSystem, wait_for


async def _scored_user(client: httpx.AsyncClient) -> tuple[Account, dict[str, Any]]:
    account = await signed_in(client)
    cv_id = (await upload(client, account.headers, txt_cv(), "cv.txt", "text/plain")).json()["id"]
    cv = await wait_for_status(client, account.headers, cv_id, "scored")
    return account, cv


def _completed(reply_id: str) -> Any:
    def done(events: list[SseEvent]) -> bool:
        return any(
            e.event == "coach.reply.completed" and e.data["message_id"] == reply_id for e in events
        )

    return done


async def _ask(
    client: httpx.AsyncClient, account: Account, session_id: str, text: str
) -> tuple[list[SseEvent], dict[str, Any]]:
    async with client.stream("GET", "/v1/events", headers=account.headers) as stream:
        sent = await client.post(
            f"/v1/coach/sessions/{session_id}/messages",
            headers=account.headers,
            json={"text": text},
        )
        assert sent.status_code == 202, sent.text
        accepted = sent.json()
        events = await collect_until(stream, _completed(accepted["reply_id"]), timeout=20)
    return events, accepted


async def test_a_question_streams_deltas_then_a_grounded_completed_reply(
    system: RunningSystem,
) -> None:
    async with system.client() as client:
        account, cv = await _scored_user(client)
        created = await client.post("/v1/coach/sessions", headers=account.headers, json={})
        assert created.status_code == 201, created.text
        session_id = created.json()["id"]

        events, accepted = await _ask(
            client, account, session_id, "Como posso melhorar meu currículo?"
        )
        deltas = [e for e in events if e.event == "coach.reply.delta"]
        [completed] = [e for e in events if e.event == "coach.reply.completed"]
        assert deltas
        assert all(d.id is None for d in deltas), "deltas are ephemeral: no id"
        assert [d.data["seq"] for d in deltas] == list(range(1, len(deltas) + 1))
        assert "".join(d.data["text"] for d in deltas) == completed.data["text"]
        weakest = min(cv["analysis"]["breakdown"], key=lambda item: item["score"])
        text = completed.data["text"]
        assert category_label(weakest["category"], "pt-BR") in text
        assert completed.data["mode"] == "review"
        assert completed.data["language"] == "pt-BR"
        assert completed.data["grounded"] is True
        assert completed.data["provider"] == "offline"
        assert completed.id is not None

        english, _ = await _ask(
            client, account, session_id, "And how should I prepare for an interview?"
        )
        [done] = [e for e in english if e.event == "coach.reply.completed"]
        assert done.data["language"] == "en"
        assert done.data["mode"] == "interview"

        history = await client.get(
            f"/v1/coach/sessions/{session_id}/messages", headers=account.headers
        )
        assert history.status_code == 200
        items = history.json()["items"]
        assert [(m["role"], m["status"]) for m in items] == [
            ("user", "sent"),
            ("assistant", "completed"),
            ("user", "sent"),
            ("assistant", "completed"),
        ]
        assert items[1]["id"] == accepted["reply_id"]
        assert items[1]["reply_to"] == accepted["message_id"]
        assert items[1]["metadata"]["mode"] == "review"

        # Reconnecting after the fact with Last-Event-ID replays the durable completion.
        async with client.stream(
            "GET",
            "/v1/events",
            headers={**account.headers, "Last-Event-ID": str(int(completed.id) - 1)},
        ) as again:
            replayed = await collect_until(again, _completed(accepted["reply_id"]))
        assert replayed[0].data["text"] == completed.data["text"]
        assert not [e for e in replayed if e.event == "coach.reply.delta"]


async def test_a_message_delivered_again_by_the_broker_gets_no_second_reply(
    system: RunningSystem,
) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        session_id, reply = await converse(client, account.headers, "CLT ou PJ?")
    records = [
        r
        for r in await read_topic(system.settings, "coach.message.sent")
        if r.key == session_id.encode()
    ]
    assert len(records) == 1
    record = records[0]
    producer = AIOKafkaProducer(bootstrap_servers=system.settings.kafka.bootstrap_servers)
    await producer.start()
    try:
        for _ in range(2):
            await producer.send_and_wait(
                "coach.message.sent", record.value, key=record.key, headers=list(record.headers)
            )
    finally:
        await producer.stop()

    async def caught_up() -> bool:
        committed = await committed_offsets(system.settings, "coaching", "coach.message.sent")
        ends = await end_offsets(system.settings, "coach.message.sent")
        return all(committed.get(p, -1) >= end for p, end in ends.items() if end > 0)

    await wait_for(caught_up, timeout=20, what="the coaching group to consume the copies")
    async with system.db.sessions() as session:
        replies = await session.scalar(
            select(func.count())
            .select_from(CoachMessage)
            .where(
                CoachMessage.session_id == uuid.UUID(session_id), CoachMessage.role == "assistant"
            )
        )
        completions = await session.scalar(
            select(func.count())
            .select_from(UserEvent)
            .where(
                UserEvent.type == "coach.reply.completed",
                UserEvent.data["session_id"].astext == session_id,
            )
        )
    assert replies == 1
    assert completions == 1
    assert json.loads(record.value)["reply_id"] == reply["id"]
