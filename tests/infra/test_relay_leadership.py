"""The relay leads while the connection holding its lock lives, and leads again after it
dies: never beside another leader, never left without the NOTIFY that wakes it."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy import text

from infra.db.session import Database
from infra.settings import Settings
from producers.outbox import stage_events
from producers.relay import OutboxRelay
from schemas.users import UserRegistered
from tests.support.system import isolated_settings, wait_for

# The safety-net poll, long enough that only a NOTIFY can explain a prompt publication.
_POLL_SECONDS = 60


async def _own_database(settings: Settings, tmp_path: Path) -> tuple[Settings, str]:
    """Settings on a database of its own (the relay's lock is per database)."""
    own = await isolated_settings(
        settings, tmp_path, outbox={"poll_seconds": _POLL_SECONDS, "requeue_on_start": False}
    )
    assert own.database.url is not None
    return own, own.database.url


def _now(condition: Callable[[], bool]) -> Callable[[], Awaitable[bool]]:
    async def probe() -> bool:
        return condition()

    return probe


async def _lock_holder(db: Database) -> int | None:
    """The backend holding an advisory lock in this database (the relay's lead)."""
    async with db.reads() as session:
        return await session.scalar(
            text(
                "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            )
        )


async def _terminate(db: Database, pid: int) -> None:
    async with db.reads() as session:
        await session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})


async def _published_promptly(db: Database, relay: OutboxRelay) -> None:
    before = relay.published
    async with db.transaction() as session:
        await stage_events(
            session, UserRegistered(locale="pt-BR", correlation_id="t", user_id=uuid.uuid4())
        )
    await wait_for(_now(lambda: relay.published > before), timeout=10, what="a prompt publication")


async def test_a_relay_whose_lock_connection_dies_stands_by_then_leads_again(
    settings: Settings, tmp_path: Path
) -> None:
    own, url = await _own_database(settings, tmp_path)
    db = Database(url, pool_size=2)
    relay = OutboxRelay(db, own)
    stopping = asyncio.Event()
    states: list[str] = []
    task = asyncio.create_task(
        relay.run(
            stopping,
            on_active=lambda: states.append("active"),
            on_standby=lambda: states.append("standby"),
        )
    )
    try:
        await wait_for(_now(lambda: states == ["active"]), timeout=30, what="the relay's lead")
        await _published_promptly(db, relay)
        first = await _lock_holder(db)
        assert first is not None

        await _terminate(db, first)
        await wait_for(
            _now(lambda: states == ["active", "standby", "active"]), timeout=20, what="a new lead"
        )
        second = await _lock_holder(db)
        assert second is not None
        assert second != first
        # Listening again: woken by the NOTIFY, not by the minute-long poll.
        await _published_promptly(db, relay)
        assert not task.done()
    finally:
        stopping.set()
        await asyncio.wait_for(task, timeout=15)
        await db.dispose()


async def test_after_a_lost_lead_one_relay_publishes_and_the_other_stands_by(
    settings: Settings, tmp_path: Path
) -> None:
    own, url = await _own_database(settings, tmp_path)
    db = Database(url, pool_size=4)
    relays = [OutboxRelay(db, own), OutboxRelay(db, own)]
    states: list[list[str]] = [[], []]
    stopping = asyncio.Event()
    tasks = [
        asyncio.create_task(
            relay.run(
                stopping,
                on_active=lambda i=i: states[i].append("active"),  # type: ignore[misc]
                on_standby=lambda i=i: states[i].append("standby"),  # type: ignore[misc]
            )
        )
        for i, relay in enumerate(relays)
    ]

    def leaders() -> list[int]:
        return [i for i in (0, 1) if states[i][-1:] == ["active"]]

    try:
        await wait_for(_now(lambda: len(leaders()) == 1), timeout=30, what="one lead")
        first = await _lock_holder(db)
        assert first is not None
        await _terminate(db, first)

        async def new_lead() -> bool:
            holder = await _lock_holder(db)
            return holder not in (None, first) and len(leaders()) == 1

        await wait_for(new_lead, timeout=20, what="one new lead")
        (leader,) = leaders()
        other = relays[1 - leader]
        idle = other.published
        await _published_promptly(db, relays[leader])
        await asyncio.sleep(0.5)
        assert other.published == idle
        assert not any(task.done() for task in tasks)
    finally:
        stopping.set()
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=15)
        await db.dispose()


async def test_relays_whose_every_connection_is_cut_lead_again_and_publish_on(
    settings: Settings, tmp_path: Path
) -> None:
    own, url = await _own_database(settings, tmp_path)
    db = Database(url, pool_size=2)
    # Each relay with a pool of its own, as in its own process: every connection of both,
    # the leader's and the stand-by's, is cut below.
    relays = [OutboxRelay(Database(url, pool_size=2), own) for _ in range(2)]
    leads: list[int] = []  # which relay took the lead, in order
    stopping = asyncio.Event()
    tasks = [
        asyncio.create_task(relay.run(stopping, on_active=lambda i=i: leads.append(i)))  # type: ignore[misc]
        for i, relay in enumerate(relays)
    ]
    try:
        await wait_for(_now(lambda: len(leads) == 1), timeout=30, what="one lead")
        await _published_promptly(db, relays[leads[-1]])
        # As a restarted server does: every connection to the database goes.
        async with db.reads() as session:
            await session.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
        await wait_for(_now(lambda: len(leads) == 2), timeout=20, what="a new lead")
        leader, other = relays[leads[-1]], relays[1 - leads[-1]]
        idle = other.published
        await _published_promptly(db, leader)
        # The stand-by's idle connection was cut too: it must come back to stand by, not
        # stop, when its next try for the lock finds it closed (every 5 s).
        await asyncio.sleep(6)
        assert other.published == idle
        assert len(leads) == 2
        assert not any(task.done() for task in tasks)
    finally:
        stopping.set()
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=15)
        for relay in relays:
            await relay.db.dispose()
        await db.dispose()
