"""``recoloca dlq``: inspect dead letters and send them back to their topic after a fix.

Dead-letter topics are append-only, so what was redriven is recorded in Postgres: a
dead letter is sent back once, and ``list`` shows which ones are still waiting.
"""

from __future__ import annotations

import heapq
import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Literal

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition

from infra.db.repositories import dead_letters as dead_letters_repo
from infra.db.session import Database
from infra.kafka import make_producer
from infra.settings import KafkaSettings
from producers.kafka_admin import NoSuchTopicError, offsets_reader, partitions_of

LetterState = Literal["waiting", "redriven", "all"]
ENVELOPE_FIELDS = ("type", "version", "event_id", "correlation_id", "causation_id", "user_id")


class NoSuchDeadLetterError(LookupError):
    def __init__(self, ids: list[str]) -> None:
        super().__init__(f"no dead letter with id {', '.join(ids)}")
        self.ids = ids


@dataclass(frozen=True)
class DeadLetter:
    dlq_topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: dict[str, str]
    redriven: bool

    @property
    def id(self) -> str:
        return f"{self.partition}:{self.offset}"

    @property
    def original_topic(self) -> str:
        return self.headers.get("dlq-original-topic", self.dlq_topic.removesuffix(".dlq"))

    def envelope(self) -> dict[str, str]:
        """What identifies the message, without its body (which may hold personal data)."""
        return {name: self.headers[name] for name in ENVELOPE_FIELDS if name in self.headers}

    def failure(self) -> dict[str, str]:
        return {k.removeprefix("dlq-"): v for k, v in self.headers.items() if k.startswith("dlq-")}

    def body_fields(self) -> list[str]:
        """The body's field names (values stay out of operator output)."""
        try:
            body = json.loads(self.value)
        except ValueError:
            return ["<not JSON>"]
        return sorted(body) if isinstance(body, dict) else [f"<{type(body).__name__}>"]

    def forwarded_headers(self) -> list[tuple[str, bytes]]:
        headers = [
            (k, v.encode()) for k, v in self.headers.items() if not k.startswith(("dlq-", "retry-"))
        ]
        return [*headers, ("redriven-from", f"{self.dlq_topic}:{self.id}".encode())]


@dataclass(frozen=True)
class _Reading:
    """A dead-letter topic open for reading, with what of it was redriven already."""

    topic: str
    consumer: AIOKafkaConsumer
    partitions: list[TopicPartition]
    redriven: set[tuple[int, int]]

    def letter(self, record: ConsumerRecord[bytes, bytes]) -> DeadLetter:
        return DeadLetter(
            dlq_topic=self.topic,
            partition=record.partition,
            offset=record.offset,
            key=record.key,
            value=record.value or b"",
            headers={k: v.decode(errors="replace") for k, v in record.headers},
            redriven=(record.partition, record.offset) in self.redriven,
        )


@asynccontextmanager
async def _reading(settings: KafkaSettings, db: Database, topic: str) -> AsyncIterator[_Reading]:
    dlq_topic = topic if topic.endswith(".dlq") else f"{topic}.dlq"
    async with db.sessions() as session:
        redriven = await dead_letters_repo.redriven(session, dlq_topic)
    async with offsets_reader(settings) as consumer:
        partitions = await partitions_of(consumer, dlq_topic)
        if not partitions:
            raise NoSuchTopicError(dlq_topic)
        yield _Reading(dlq_topic, consumer, partitions, redriven)


async def read_dead_letters(settings: KafkaSettings, db: Database, topic: str) -> list[DeadLetter]:
    """Every dead letter of a topic, oldest first (a redrive of all that wait needs them)."""
    page = await read_dead_letter_page(settings, db, topic, state="all", offset=0, limit=None)
    return page.letters


@dataclass(frozen=True)
class LetterPage:
    letters: list[DeadLetter]
    # How many letters the topic holds in the state asked for.
    total: int


async def read_dead_letter_page(
    settings: KafkaSettings,
    db: Database,
    topic: str,
    *,
    state: LetterState = "all",
    offset: int = 0,
    limit: int | None = 100,
) -> LetterPage:
    """Letters ``offset`` to ``offset + limit`` in ``state``, oldest first (None: all).

    A dead-letter topic grows with every outage and is never compacted, so each partition
    is read from its start only until it has given ``offset + limit`` letters in that
    state: a first page costs what it shows, not the whole topic. Partitions are merged
    by time, each in its own order.
    """
    async with _reading(settings, db, topic) as dlq:
        consumer, partitions = dlq.consumer, dlq.partitions
        starts = await consumer.beginning_offsets(partitions)
        ends = await consumer.end_offsets(partitions)
        total = _count(dlq, starts, ends, state)
        wanted = None if limit is None else offset + limit
        if wanted == 0 or total == 0:
            return LetterPage([], total)
        per_partition = {
            tp: await _read_partition(dlq, tp, ends[tp], state, wanted) for tp in partitions
        }
    merged = heapq.merge(
        *per_partition.values(), key=lambda r: (r.timestamp, r.partition, r.offset)
    )
    chosen = list(merged)[offset : None if wanted is None else wanted]
    return LetterPage([dlq.letter(r) for r in chosen], total)


def _in_state(dlq: _Reading, partition: int, offset: int, state: LetterState) -> bool:
    return state == "all" or ((partition, offset) in dlq.redriven) == (state == "redriven")


def _count(
    dlq: _Reading,
    starts: dict[TopicPartition, int],
    ends: dict[TopicPartition, int],
    state: LetterState,
) -> int:
    everything = sum(ends[tp] - starts[tp] for tp in dlq.partitions)
    if state == "all":
        return everything
    # Only redrives of letters still in the topic: retention may have removed older ones.
    bounds = {tp.partition: (starts[tp], ends[tp]) for tp in dlq.partitions}
    redriven = sum(
        1
        for partition, offset in dlq.redriven
        if partition in bounds and bounds[partition][0] <= offset < bounds[partition][1]
    )
    return redriven if state == "redriven" else everything - redriven


async def _read_partition(
    dlq: _Reading, tp: TopicPartition, end: int, state: LetterState, wanted: int | None
) -> list[ConsumerRecord[bytes, bytes]]:
    """The partition's first ``wanted`` letters in ``state`` (None: all), in offset order."""
    consumer = dlq.consumer
    consumer.assign([tp])
    await consumer.seek_to_beginning(tp)
    found: list[ConsumerRecord[bytes, bytes]] = []
    while (wanted is None or len(found) < wanted) and await consumer.position(tp) < end:
        batch = await consumer.getmany(tp, timeout_ms=500)
        for record in batch.get(tp, []):
            if _in_state(dlq, tp.partition, record.offset, state):
                found.append(record)
    return found if wanted is None else found[:wanted]


_POSITION = re.compile(r"(\d{1,9}):(\d{1,18})")


async def find_dead_letters(
    settings: KafkaSettings, db: Database, topic: str, ids: list[str]
) -> list[DeadLetter]:
    """The letters named by ``ids``; raises ``NoSuchDeadLetterError`` for any not found.

    Letters named by ``partition:offset`` are read where they are, without the rest of
    the topic; an event id can only be found by reading it all."""
    positions = [_POSITION.fullmatch(i) for i in ids]
    if not ids or not all(positions):
        return select_letters(await read_dead_letters(settings, db, topic), ids)
    found: dict[str, DeadLetter] = {}
    async with _reading(settings, db, topic) as dlq:
        consumer = dlq.consumer
        starts = await consumer.beginning_offsets(dlq.partitions)
        ends = await consumer.end_offsets(dlq.partitions)
        for match in positions:
            assert match is not None
            tp = TopicPartition(dlq.topic, int(match[1]))
            offset = int(match[2])
            if tp not in ends or not starts[tp] <= offset < ends[tp]:
                continue
            consumer.assign([tp])
            consumer.seek(tp, offset)
            record = (await consumer.getmany(tp, timeout_ms=5000, max_records=1)).get(tp, [])
            if record and record[0].offset == offset:
                found[match[0]] = dlq.letter(record[0])
    missing = [i for i in ids if i not in found]
    if missing:
        raise NoSuchDeadLetterError(missing)
    return [found[i] for i in dict.fromkeys(ids)]


def select_letters(letters: list[DeadLetter], ids: list[str]) -> list[DeadLetter]:
    """Letters by ``partition:offset`` or by event id; all waiting ones when ``ids`` is empty."""
    if not ids:
        return [letter for letter in letters if not letter.redriven]
    chosen = [
        letter for letter in letters if letter.id in ids or letter.headers.get("event_id") in ids
    ]
    unknown = (
        set(ids)
        - {letter.id for letter in chosen}
        - {letter.headers.get("event_id", "") for letter in chosen}
    )
    if unknown:
        raise NoSuchDeadLetterError(sorted(unknown))
    return chosen


async def redrive(
    settings: KafkaSettings, db: Database, letters: list[DeadLetter], force: bool = False
) -> list[DeadLetter]:
    """Send dead letters back to their original topic; returns those sent.

    The redrive is recorded in the same transaction that waits for Kafka's ack, so a
    failed publication records nothing and can simply be tried again.
    """
    producer: AIOKafkaProducer = make_producer(settings)
    await producer.start()
    sent: list[DeadLetter] = []
    try:
        for letter in letters:
            async with db.transaction() as session:
                if force:
                    await dead_letters_repo.forget(
                        session, letter.dlq_topic, [(letter.partition, letter.offset)]
                    )
                claimed = await dead_letters_repo.claim(
                    session,
                    letter.dlq_topic,
                    letter.partition,
                    letter.offset,
                    letter.headers.get("event_id"),
                )
                if not claimed:
                    continue
                await producer.send_and_wait(
                    letter.original_topic,
                    value=letter.value,
                    key=letter.key,
                    headers=letter.forwarded_headers(),
                )
            sent.append(letter)
    finally:
        await producer.stop()
    return sent


def describe(letter: DeadLetter) -> dict[str, Any]:
    return {
        "id": letter.id,
        "original_topic": letter.original_topic,
        "redriven": letter.redriven,
        "envelope": letter.envelope(),
        "failure": letter.failure(),
        "body_fields": letter.body_fields(),
    }
