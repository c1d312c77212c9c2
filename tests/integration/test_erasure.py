"""Erasure: the account stops at once and, within a minute, nothing readable about the
user remains in Postgres, object storage or Redis; the audit trail keeps a pseudonym."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx
from sqlalchemy import select

from consumers.context import WorkerContext
from consumers.erasure.service import PARTS, handle_erasure_requested
from consumers.parsing.service import handle_cv_uploaded
from infra.db.models import AuditEntry, Cv, Erasure, ErasurePart, Invoice, User, UserKey
from infra.redis import make_redis
from schemas.privacy import UserErasureRequested
from tests.integration.test_export import wait_for_export
from tests.support.api import PASSWORD, new_user, upload, user_id_of, wait_for_status
from tests.support.billing import post_event, subscription_life
from tests.support.coach import converse
from tests.support.privacy import postgres_hits, redis_hits, storage_hits, unique_person
from tests.support.system import SUITE_WEBHOOK_SECRET, RunningSystem, wait_for


async def _register(client: httpx.AsyncClient, email: str) -> tuple[dict[str, str], str]:
    response = await client.post("/v1/auth/register", json={"email": email, "password": PASSWORD})
    assert response.status_code == 201, response.text
    tokens = (
        await client.post("/v1/auth/token", data={"username": email, "password": PASSWORD})
    ).json()
    return {"Authorization": f"Bearer {tokens['access_token']}"}, tokens["refresh_token"]


async def _completed(system: RunningSystem, erasure_id: str) -> Erasure | None:
    async with system.db.sessions() as session:
        erasure = await session.get(Erasure, uuid.UUID(erasure_id))
    return erasure if erasure is not None and erasure.completed_at is not None else None


async def test_erasure_removes_everything_and_stops_the_account(system: RunningSystem) -> None:
    person = unique_person()
    account_email = f"erase-{uuid.uuid4().hex[:10]}@example.com"
    assert system.settings.redis.url is not None
    redis = make_redis(system.settings.redis.url)
    async with system.client() as client:
        headers, refresh_token = await _register(client, account_email)
        user_id = user_id_of(headers)
        cv_id = (await upload(client, headers, person.cv(), "cv.txt", "text/plain")).json()["id"]
        await wait_for_status(client, headers, cv_id, "scored")
        await converse(client, headers, f"Sou {person.name}, como melhorar meu CV?")
        life = subscription_life(user_id)
        for event in life.events[:3]:
            assert (await post_event(client, event, SUITE_WEBHOOK_SECRET)).status_code == 200

        async def subscribed() -> bool:
            plan = await client.get("/v1/billing/subscription", headers=headers)
            return bool(plan.json()["plan"] == "pro")

        await wait_for(subscribed, timeout=20, what="the subscription to be applied")
        export_id = (await client.post("/v1/me/export", headers=headers)).json()["id"]
        assert (await wait_for_export(client, headers, export_id))["status"] == "ready"
        # Something else keyed by the user in Redis (a cache, a counter).
        await redis.set(f"test-cache:{user_id}", "1")

        response = await client.request(
            "DELETE", "/v1/me", headers=headers, json={"password": PASSWORD}
        )
        assert response.status_code == 202, response.text
        erasure_id = response.json()["id"]
        requested_at = datetime.now(UTC)

        # At once: the access token, the refresh token and the password all stop working.
        assert (await client.get("/v1/cvs", headers=headers)).status_code == 401
        refreshed = await client.post("/v1/auth/refresh", json={"refresh_token": refresh_token})
        assert refreshed.status_code == 401
        login = await client.post(
            "/v1/auth/token", data={"username": account_email, "password": PASSWORD}
        )
        assert login.status_code == 401
        assert login.json()["code"] == "invalid_credentials"

        erasure = await wait_for(
            lambda: _completed(system, erasure_id), timeout=60, what="the erasure to complete"
        )
    assert erasure.completed_at is not None
    assert (erasure.completed_at - requested_at).total_seconds() < 60
    assert erasure.user_id is None

    needles = (str(user_id), account_email, *person.needles)
    assert await postgres_hits(system.db, needles) == []
    assert storage_hits(system.settings.data_dir / "files", user_id, person.needles) == []
    assert await redis_hits(redis, user_id) == []
    await redis.aclose()

    async with system.db.sessions() as session:
        parts = set(
            await session.scalars(
                select(ErasurePart.part).where(ErasurePart.erasure_id == erasure.id)
            )
        )
        trail = (
            await session.scalars(
                select(AuditEntry).where(AuditEntry.subject_id == erasure.subject_pseudonym)
            )
        ).all()
    assert parts == {part.name for part in PARTS}
    actions = {entry.action for entry in trail}
    assert {"privacy.export_requested", "privacy.erasure_requested"} <= actions
    assert "privacy.erasure_completed" in actions
    assert all(entry.ip is None and entry.user_agent is None for entry in trail)
    # Without a Stripe key the customer cannot be deleted there: an operator is told.
    assert "billing.customer_not_deleted" in actions
    async with system.db.sessions() as session:
        invoice = await session.get(Invoice, life.events[2]["data"]["object"]["id"])
    assert invoice is not None
    assert (invoice.user_id, invoice.pseudonym) == (None, erasure.subject_pseudonym)


async def test_erasure_needs_the_password(system: RunningSystem) -> None:
    async with system.client() as client:
        headers = await new_user(client)
        wrong = await client.request(
            "DELETE", "/v1/me", headers=headers, json={"password": "not the password"}
        )
        empty = await client.request("DELETE", "/v1/me", headers=headers, json={})
        anonymous = await client.request("DELETE", "/v1/me", json={"password": PASSWORD})
        still_in = await client.get("/v1/cvs", headers=headers)
    assert wrong.status_code == 403
    assert wrong.json()["code"] == "invalid_password"
    assert empty.status_code == 422
    assert anonymous.status_code == 401
    assert still_in.status_code == 200
    async with system.db.sessions() as session:
        denied = await session.scalar(
            select(AuditEntry.outcome).where(
                AuditEntry.subject_id == user_id_of(headers),
                AuditEntry.action == "privacy.erasure_requested",
            )
        )
    assert denied == "denied"


async def _erasure_without_the_bus(system: RunningSystem) -> tuple[uuid.UUID, UserErasureRequested]:
    """A user with a CV and an erasure recorded directly (no command on the bus, so only
    the test runs it)."""
    async with system.client() as client:
        headers = await new_user(client)
        cv_id = (await upload(client, headers, unique_person().cv(), "cv.txt")).json()["id"]
        await wait_for_status(client, headers, cv_id, "scored")
    user_id = user_id_of(headers)
    erasure_id = uuid.uuid4()
    async with system.db.transaction() as session:
        user = await session.get(User, user_id)
        assert user is not None
        user.erasure_requested_at = datetime.now(UTC)
        session.add(Erasure(id=erasure_id, user_id=user_id, subject_pseudonym=uuid.uuid4()))
    return user_id, UserErasureRequested(
        correlation_id="test", user_id=user_id, erasure_id=erasure_id
    )


async def test_an_erasure_stopped_midway_is_finished_by_redelivery(system: RunningSystem) -> None:
    user_id, event = await _erasure_without_the_bus(system)
    ctx = WorkerContext.from_settings(system.settings)
    try:
        # The worker dies after the first two parts.
        assert await handle_erasure_requested(ctx, event, parts=PARTS[:2]) is False
        async with system.db.sessions() as session:
            assert await session.get(User, user_id) is not None
            assert await session.get(UserKey, user_id) is not None
            assert await session.scalar(select(Cv.id).where(Cv.user_id == user_id)) is None
        assert await handle_erasure_requested(ctx, event) is True  # redelivered
        assert await handle_erasure_requested(ctx, event) is True  # and again: nothing to do
    finally:
        await ctx.close()
    async with system.db.sessions() as session:
        assert await session.get(User, user_id) is None
        assert await session.get(UserKey, user_id) is None
        erasure = await session.get(Erasure, event.erasure_id)
    assert erasure is not None
    assert erasure.completed_at is not None


async def test_a_cv_of_a_user_being_erased_is_not_parsed(system: RunningSystem) -> None:
    """A CV still queued when erasure starts: the parser drops it instead of saving facts."""
    from infra.db.models import OutboxMessage
    from schemas.events import CvUploaded

    async with system.client() as client:
        headers = await new_user(client)
    user_id = user_id_of(headers)
    cv_id = uuid.uuid4()
    ctx = WorkerContext.from_settings(system.settings)
    try:
        async with system.db.transaction() as session:
            key = await ctx.vault.key_or_create(session, user_id)
            storage_key = f"cvs/{user_id}/{cv_id}/original.txt"
            await ctx.storage.put(
                storage_key, key.seal_file(unique_person().cv(), "file", storage_key), "text/plain"
            )
            session.add(
                Cv(
                    id=cv_id,
                    user_id=user_id,
                    filename="cv.txt",
                    storage_key=storage_key,
                    file_kind="txt",
                    size_bytes=1,
                    correlation_id="test",
                    status="queued",
                )
            )
            user = await session.get(User, user_id)
            assert user is not None
            user.erasure_requested_at = datetime.now(UTC)
        event = CvUploaded(
            correlation_id="test",
            user_id=user_id,
            cv_id=cv_id,
            storage_key=storage_key,
            file_kind="txt",
            size_bytes=1,
        )
        await handle_cv_uploaded(ctx, event)
    finally:
        await ctx.close()
    async with system.db.sessions() as session:
        cv = await session.get(Cv, cv_id)
        staged = await session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.key == str(cv_id))
        )
    assert cv is not None
    assert cv.status == "queued"
    assert cv.parsed is None
    assert staged is None


async def test_an_upload_arriving_after_the_erasure_began_is_refused(
    system: RunningSystem,
) -> None:
    """The session check is remembered for seconds: the write itself checks again."""
    async with system.client() as client:
        headers = await new_user(client)
        user_id = user_id_of(headers)
        assert (await client.get("/v1/cvs", headers=headers)).status_code == 200  # remembered
        async with system.db.transaction() as session:
            user = await session.get(User, user_id)
            assert user is not None
            user.erasure_requested_at = datetime.now(UTC)
        refused = await upload(client, headers, unique_person().cv(), "cv.txt", "text/plain")
    assert refused.status_code == 401
    assert refused.json()["code"] == "not_authenticated"
    async with system.db.sessions() as session:
        assert await session.scalar(select(Cv.id).where(Cv.user_id == user_id)) is None
    assert not list((system.settings.data_dir / "files").rglob(f"*{user_id}*"))
