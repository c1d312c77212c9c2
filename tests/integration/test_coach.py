"""The coach end to end: the API, the outbox, the coaching worker on the real broker,
deltas over Redis and the durable completion over SSE."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer
from sqlalchemy import func, select

from consumers.coaching.labels import category_label
from infra.db.models import CoachMessage, UserEvent
from infra.db.repositories import coach as coach_repo
from producers.outbox import stage_events
from tests.support.api import upload, wait_for_status
from tests.support.coach import converse, message_row
from tests.support.documents import txt_cv
from tests.support.identity import Account, create_api_key, signed_in, user_id_of_account
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


def _failed(reply_id: str) -> Any:
    def done(events: list[SseEvent]) -> bool:
        return any(
            e.event == "coach.reply.failed" and e.data["message_id"] == reply_id for e in events
        )

    return done


async def test_a_reply_whose_message_is_dead_lettered_ends_failed_with_its_reason(
    system: RunningSystem,
) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        user_id = await user_id_of_account(client, account)
        created = await client.post(
            "/v1/coach/sessions",
            headers=account.headers,
            json={"job_description": "Backend developer: Python, Kafka."},
        )
        assert created.status_code == 201, created.text
        session_id = created.json()["id"]
        event = await message_row(system, user_id, uuid.UUID(session_id), "Como melhorar meu CV?")
        reply_id = str(event.reply_id)
        async with client.stream("GET", "/v1/events", headers=account.headers) as stream:
            async with system.db.transaction() as session:
                coach_session = await coach_repo.session_by_id(session, uuid.UUID(session_id))
                assert coach_session is not None
                assert coach_session.job_description_sealed is not None
                # The session's job description can no longer be opened (its ciphertext
                # is damaged), and a worker died while streaming the reply: every attempt
                # to answer fails.
                coach_session.job_description_sealed = bytes(
                    len(coach_session.job_description_sealed)
                )
                message = await coach_repo.message_by_id(session, event.message_id, lock=True)
                assert message is not None
                await coach_repo.add_message(
                    session,
                    CoachMessage(
                        id=event.reply_id,
                        session_id=message.session_id,
                        user_id=user_id,
                        seq=message.seq,
                        role="assistant",
                        status="streaming",
                        reply_to=message.id,
                        meta={},
                        lease_owner=uuid.uuid4(),
                        lease_expires_at=datetime.now(UTC) - timedelta(seconds=1),
                    ),
                )
                await stage_events(session, event)
            events = await collect_until(stream, _failed(reply_id), timeout=60)
        [failed] = [e for e in events if e.event == "coach.reply.failed"]
        assert failed.id is not None, "the failure is durable"
        assert failed.data["reason"] == "retries_exhausted"
        assert failed.data["status"] == "failed"
        assert failed.data["reply_to"] == str(event.message_id)
        assert not [e for e in events if e.event == "coach.reply.completed"]

        history = await client.get(
            f"/v1/coach/sessions/{session_id}/messages", headers=account.headers
        )
        [reply] = [m for m in history.json()["items"] if m["id"] == reply_id]
        assert reply["status"] == "failed"
        assert reply["failure_reason"] == "retries_exhausted"
        assert reply["completed_at"] is not None

    letters = [
        r
        for r in await read_topic(system.settings, "coach.message.sent.dlq")
        if r.key == session_id.encode()
    ]
    assert len(letters) == 1
    headers = {k: v.decode() for k, v in letters[0].headers}
    assert headers["dlq-consumer"] == "coaching"
    assert headers["dlq-attempts"] == str(system.settings.consumer.max_attempts)
    async with system.db.sessions() as session:
        row = await coach_repo.message_by_id(session, event.reply_id)
    assert row is not None
    assert row.lease_owner is None
    assert row.meta["failure"]["attempts"] == system.settings.consumer.max_attempts


async def test_a_key_with_only_the_coach_scope_streams_its_replies_and_nothing_else(
    system: RunningSystem,
) -> None:
    async with system.client() as client:
        account, _ = await _scored_user(client)  # cv.parsed and cv.scored are in the log
        key = {"Authorization": f"Bearer {await create_api_key(client, account, 'coach')}"}
        created = await client.post("/v1/coach/sessions", headers=key, json={})
        assert created.status_code == 201, created.text
        session_id = created.json()["id"]
        # From the very start of the user's log: the CV's events are replayed to no one
        # but a caller allowed to read CVs.
        async with client.stream(
            "GET", "/v1/events", headers={**key, "Last-Event-ID": "0"}
        ) as stream:
            assert stream.status_code == 200
            sent = await client.post(
                f"/v1/coach/sessions/{session_id}/messages",
                headers=key,
                json={"text": "CLT ou PJ?"},
            )
            assert sent.status_code == 202, sent.text
            events = await collect_until(stream, _completed(sent.json()["reply_id"]), timeout=20)
        assert {e.event for e in events} == {"coach.reply.delta", "coach.reply.completed"}
        [completed] = [e for e in events if e.event == "coach.reply.completed"]
        assert completed.data["text"]

        # A key with cvs:read sees the CV's events, not the coach's: replayed from the
        # start to a CV scored after the reply, the log skips the reply.
        later = await upload(client, account.headers, txt_cv(), "cv.txt", "text/plain")
        await wait_for_status(client, account.headers, later.json()["id"], "scored")
        reader = {"Authorization": f"Bearer {await create_api_key(client, account, 'cvs:read')}"}
        async with client.stream(
            "GET", "/v1/events", headers={**reader, "Last-Event-ID": "0"}
        ) as stream:
            seen = await collect_until(
                stream,
                lambda es: any(e.data.get("cv_id") == later.json()["id"] for e in es),
                timeout=10,
            )
        assert seen
        assert {e.event for e in seen} <= {"cv.parsed", "cv.scored", "report.ready"}, seen
        writer = {"Authorization": f"Bearer {await create_api_key(client, account, 'cvs:write')}"}
        refused = await client.get("/v1/events", headers=writer)
        assert refused.status_code == 403
        assert refused.json()["code"] == "insufficient_scope"
