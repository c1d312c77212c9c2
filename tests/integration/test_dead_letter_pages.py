"""Pages of a dead-letter topic: each one the slice of the whole, read without the rest."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest

from infra.db.repositories import dead_letters as dead_letters_repo
from infra.kafka import ensure_topics, make_producer
from producers.dead_letters import LetterState, read_dead_letter_page, read_dead_letters
from tests.support.identity import grant_role, signed_in
from tests.support.ops import dead_letter_of
from tests.support.system import RunningSystem, wait_for

LETTERS = 30


async def _dead_letter_topic(system: RunningSystem) -> str:
    """A topic of its own with ``LETTERS`` letters over its partitions; every third redriven."""
    topic = f"test.pages.{uuid.uuid4().hex[:8]}"
    dlq = f"{topic}.dlq"
    await ensure_topics(system.settings.kafka, [dlq])
    producer = make_producer(system.settings.kafka)
    await producer.start()
    try:
        sent = [
            await producer.send_and_wait(
                dlq,
                json.dumps({"n": n}).encode(),
                key=f"cv-{n}".encode(),
                headers=[("event_id", str(uuid.uuid4()).encode()), ("dlq-consumer", b"test")],
            )
            for n in range(LETTERS)
        ]
    finally:
        await producer.stop()
    async with system.db.transaction() as session:
        for meta in sent[::3]:
            await dead_letters_repo.claim(session, dlq, meta.partition, meta.offset, None)
    return topic


@pytest.mark.parametrize("state", ["all", "waiting", "redriven"])
async def test_each_page_is_its_slice_of_every_letter_in_that_state(
    system: RunningSystem, state: LetterState
) -> None:
    topic = await _dead_letter_topic(system)
    kafka = system.settings.kafka
    everything = await read_dead_letters(kafka, system.db, topic)
    assert len(everything) == LETTERS
    assert len({letter.partition for letter in everything}) > 1
    in_state = [
        letter
        for letter in everything
        if state == "all" or letter.redriven == (state == "redriven")
    ]
    assert in_state

    for offset, limit in [(0, 1), (0, 7), (3, 5), (len(in_state) - 2, 10), (LETTERS, 5)]:
        page = await read_dead_letter_page(
            kafka, system.db, topic, state=state, offset=offset, limit=limit
        )
        assert page.total == len(in_state)
        assert [x.id for x in page.letters] == [x.id for x in in_state[offset : offset + limit]]
        assert all(x.redriven == (state == "redriven") for x in page.letters) or state == "all"


async def test_a_first_page_reads_only_the_letters_it_may_show(
    system: RunningSystem, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aiokafka import AIOKafkaConsumer

    topic = await _dead_letter_topic(system)
    read: list[int] = []
    getmany = AIOKafkaConsumer.getmany

    async def counting_getmany(self: AIOKafkaConsumer, *partitions: object, **kw: object) -> object:
        kw["max_records"] = 1
        batch = await getmany(self, *partitions, **kw)
        read.extend(len(records) for records in batch.values())
        return batch

    monkeypatch.setattr(AIOKafkaConsumer, "getmany", counting_getmany)
    page = await read_dead_letter_page(
        system.settings.kafka, system.db, topic, state="all", offset=0, limit=2
    )
    assert len(page.letters) == 2
    assert page.total == LETTERS
    partitions = system.settings.kafka.partitions
    assert sum(read) <= 2 * partitions


async def test_the_console_says_how_many_letters_it_does_not_show(
    system: RunningSystem, monkeypatch: pytest.MonkeyPatch
) -> None:
    from api.routes import pages

    monkeypatch.setattr(pages, "_LETTERS_SHOWN", 1)
    async with system.client() as client:
        operator = await signed_in(client)
        user_id = await grant_role(system, operator, "operator")
        for _ in range(2):
            await dead_letter_of(system, user_id)

        async def console() -> httpx.Response | None:
            response = await client.get(
                "/app/ops", params={"topic": "cv.parsed"}, headers=operator.headers
            )
            # The role applies within the session-check interval.
            return response if response.status_code == 200 else None

        response = await wait_for(console, timeout=20, what="the operator's console")
    assert response.text.count('data-letter="') == 1
    assert "data-letters-shown" in response.text
