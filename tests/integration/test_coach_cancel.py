"""Cancelling a coach reply over HTTP while it streams: the deltas stop, the reply ends
``cancelled`` with what was said so far, and the history agrees."""

from __future__ import annotations

import asyncio
from pathlib import Path

from consumers.coaching.offline import CoachInput, reply
from entrypoints.runner import API, RELAY
from infra.embedded import KafkaBroker
from infra.settings import Settings
from tests.support.identity import signed_in
from tests.support.sse import SseEvent, read_events
from tests.support.system import isolated_settings, running_system

QUESTION = "Como me preparo para negociar o salário de uma proposta?"


async def test_a_reply_cancelled_mid_stream_stops_and_ends_cancelled(
    settings: Settings, tmp_path: Path
) -> None:
    # A broker of its own: on the shared one, the suite's coaching worker (another
    # database) could be handed the partition. Slow deltas leave time to cancel.
    broker = KafkaBroker()
    broker.start()
    try:
        own = await isolated_settings(
            settings,
            tmp_path,
            kafka={"bootstrap_servers": broker.bootstrap_servers},
            coach={"offline_delta_seconds": 0.05, "cancel_poll_seconds": 0.02},
        )
        async with (
            running_system(own, [API, RELAY, "coaching"]) as system,
            system.client() as client,
        ):
            account = await signed_in(client)
            created = await client.post("/v1/coach/sessions", headers=account.headers, json={})
            assert created.status_code == 201, created.text
            base = f"/v1/coach/sessions/{created.json()['id']}/messages"
            async with client.stream("GET", "/v1/events", headers=account.headers) as stream:
                sent = await client.post(base, headers=account.headers, json={"text": QUESTION})
                assert sent.status_code == 202, sent.text
                accepted = sent.json()

                incoming = read_events(stream)

                async def until(event_type: str) -> list[SseEvent]:
                    seen: list[SseEvent] = []
                    while not seen or seen[-1].event != event_type:
                        seen.append(await asyncio.wait_for(anext(incoming), timeout=30))
                    return seen

                before = await until("coach.reply.delta")
                cancel = await client.post(
                    f"{base}/{accepted['message_id']}/cancel", headers=account.headers
                )
                assert cancel.status_code == 202, cancel.text
                assert cancel.json() == {"message_id": accepted["reply_id"], "status": "cancelled"}

                after = await until("coach.reply.completed")
            history = (await client.get(base, headers=account.headers)).json()["items"]
    finally:
        broker.stop()

    events = before + after
    deltas = [e for e in events if e.event == "coach.reply.delta"]
    [completed] = [e for e in events if e.event == "coach.reply.completed"]
    assert completed.data["message_id"] == accepted["reply_id"]
    assert completed.data["status"] == "cancelled"
    streamed = "".join(d.data["text"] for d in deltas)
    assert completed.data["text"] == streamed, "the reply keeps what was streamed, no more"
    full = reply(CoachInput(message=QUESTION, facts=None, locale=None)).text
    assert full.startswith(streamed)
    assert len(streamed) < len(full), "the stream stopped before the reply's end"
    [answer] = [m for m in history if m["role"] == "assistant"]
    assert answer["status"] == "cancelled"
    assert answer["text"] == streamed
