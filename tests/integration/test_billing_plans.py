"""The shipped plans enforced by the API: limits at their edges, the race at limit - 1,
failed CVs given back, pro lifting the limits, the grace period running out."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select, update

from infra.db.models import Subscription, UserEvent
from infra.db.session import Database
from infra.settings import BillingSettings, Settings
from producers.grace import announce_grace_expiries
from tests.support.api import new_user, upload, user_id_of, wait_for_status
from tests.support.asgi import api_clients
from tests.support.billing import post_event, subscription_life, wait_applied
from tests.support.documents import image_only_pdf, txt_cv
from tests.support.system import SUITE_WEBHOOK_SECRET, RunningSystem, wait_for


@pytest.fixture
async def shipped(system: RunningSystem) -> AsyncIterator[httpx.AsyncClient]:
    """The API with the plans as shipped (the suite's own are unlimited); the running
    system's relay and workers do the rest."""
    settings: Settings = system.settings.model_copy(
        update={"billing": BillingSettings(free_coach_messages_per_day=2)}
    )
    async with api_clients(settings) as client_from:
        yield client_from("203.0.113.7")


async def _txt(client: httpx.AsyncClient, headers: dict[str, str], n: int) -> httpx.Response:
    # A whole CV: one too thin to analyse would fail, and a failed CV gives its use back.
    return await upload(client, headers, txt_cv(), f"cv-{n}.txt", "text/plain")


async def test_the_fourth_analysis_of_a_free_month_is_refused_with_the_numbers(
    shipped: httpx.AsyncClient,
) -> None:
    headers = await new_user(shipped)
    for n in range(3):
        assert (await _txt(shipped, headers, n)).status_code == 202
    refused = await _txt(shipped, headers, 3)
    assert refused.status_code == 402, refused.text
    body = refused.json()
    assert body["code"] == "plan_limit_reached"
    assert (body["plan"], body["metric"], body["limit"], body["usage"]) == (
        "free",
        "analyses",
        3,
        3,
    )
    resets = datetime.fromisoformat(body["resets_at"])
    assert resets > datetime.now(UTC)
    assert resets.day == 1 or resets.astimezone(UTC).day in (1, 2)
    usage = (await shipped.get("/v1/billing/subscription", headers=headers)).json()["usage"]
    assert usage["analyses"]["used"] == 3
    assert usage["analyses"]["limit"] == 3


async def test_two_uploads_at_limit_minus_one_exactly_one_is_accepted(
    shipped: httpx.AsyncClient,
) -> None:
    headers = await new_user(shipped)
    for n in range(2):
        assert (await _txt(shipped, headers, n)).status_code == 202
    for _ in range(3):
        pair = await asyncio.gather(_txt(shipped, headers, 8), _txt(shipped, headers, 9))
        codes = sorted(r.status_code for r in pair)
        if codes != [402, 402]:
            break
    assert codes == [202, 402], [r.text for r in pair]


async def test_a_cv_that_fails_to_parse_does_not_use_up_the_quota(
    system: RunningSystem, shipped: httpx.AsyncClient
) -> None:
    headers = await new_user(shipped)
    failed = await upload(shipped, headers, image_only_pdf())
    assert failed.status_code == 202
    async with system.client() as client:
        await wait_for_status(client, headers, failed.json()["id"], "failed", timeout=30)
    for n in range(3):
        assert (await _txt(shipped, headers, n)).status_code == 202, n
    assert (await _txt(shipped, headers, 4)).status_code == 402


async def test_coach_messages_are_limited_per_day(shipped: httpx.AsyncClient) -> None:
    headers = await new_user(shipped)
    session_id = (await shipped.post("/v1/coach/sessions", headers=headers, json={})).json()["id"]
    path = f"/v1/coach/sessions/{session_id}/messages"
    for text in ("Oi", "Como melhoro meu CV?"):
        assert (await shipped.post(path, headers=headers, json={"text": text})).status_code == 202

    async def replied() -> bool:
        listed = await shipped.get(path, headers=headers)
        done = [m for m in listed.json()["items"] if m["role"] == "assistant"]
        return len(done) == 2 and all(m["status"] == "completed" for m in done)

    await wait_for(replied, timeout=20, what="both replies")
    # A new session gives nothing back: the limit is the user's, not the session's.
    await shipped.delete(f"/v1/coach/sessions/{session_id}", headers=headers)
    other = (await shipped.post("/v1/coach/sessions", headers=headers, json={})).json()["id"]
    refused = await shipped.post(
        f"/v1/coach/sessions/{other}/messages", headers=headers, json={"text": "Mais uma"}
    )
    assert refused.status_code == 402
    assert refused.json()["metric"] == "coach_messages"
    assert refused.json()["limit"] == 2


async def _become_pro(client: httpx.AsyncClient, headers: dict[str, str], db: Database) -> str:
    life = subscription_life(user_id_of(headers))
    for event in life.events[:3]:
        assert (await post_event(client, event, SUITE_WEBHOOK_SECRET)).status_code == 200

    await wait_applied(db, life.events[:3])
    return life.subscription_id


async def test_a_pro_user_s_fourth_analysis_is_accepted(
    system: RunningSystem, shipped: httpx.AsyncClient
) -> None:
    headers = await new_user(shipped)
    await _become_pro(shipped, headers, system.db)
    for n in range(4):
        assert (await _txt(shipped, headers, n)).status_code == 202, n
    usage = (await shipped.get("/v1/billing/subscription", headers=headers)).json()["usage"]
    assert usage["analyses"] == {**usage["analyses"], "used": 4, "limit": 100}


async def test_the_grace_period_running_out_falls_back_to_free_and_says_so(
    system: RunningSystem, shipped: httpx.AsyncClient
) -> None:
    headers = await new_user(shipped)
    user_id = user_id_of(headers)
    sub_id = await _become_pro(shipped, headers, system.db)
    async with system.db.transaction() as session:
        await session.execute(
            update(Subscription)
            .where(Subscription.id == sub_id)
            .values(status="past_due", past_due_since=datetime.now(UTC) - timedelta(days=6))
        )
    state = (await shipped.get("/v1/billing/subscription", headers=headers)).json()
    assert (state["plan"], state["status"]) == ("pro", "past_due")
    assert state["grace_ends_at"] is not None
    async with system.db.transaction() as session:
        await session.execute(
            update(Subscription)
            .where(Subscription.id == sub_id)
            .values(past_due_since=datetime.now(UTC) - timedelta(days=7, minutes=1))
        )
    state = (await shipped.get("/v1/billing/subscription", headers=headers)).json()
    assert state["plan"] == "free"
    await announce_grace_expiries(system.db, timedelta(days=7))
    await announce_grace_expiries(system.db, timedelta(days=7))  # told once only
    async with system.db.sessions() as session:
        told = (
            await session.scalars(
                select(UserEvent).where(
                    UserEvent.user_id == user_id, UserEvent.type == "billing.subscription.changed"
                )
            )
        ).all()
        sub = await session.get(Subscription, sub_id)
    assert sub is not None
    assert sub.grace_expired_at is not None
    assert [e.data.get("reason") for e in told].count("grace_expired") == 1
    assert told[-1].data["plan"] == "free"


async def test_plans_are_public(shipped: httpx.AsyncClient) -> None:
    plans = (await shipped.get("/v1/billing/plans")).json()
    assert [p["plan"] for p in plans] == ["free", "pro"]
    assert plans[0]["limits"] == {"analyses": 3, "coach_messages": 2}
    currencies = {(p["interval"], p["currency"]) for p in plans[1]["prices"]}
    assert currencies == {("month", "brl"), ("month", "usd"), ("year", "brl"), ("year", "usd")}


async def test_a_job_match_is_an_analysis_too(
    system: RunningSystem, shipped: httpx.AsyncClient
) -> None:
    headers = await new_user(shipped)
    cv_id = (await _txt(shipped, headers, 0)).json()["id"]
    async with system.client() as client:
        await wait_for_status(client, headers, cv_id, "scored", timeout=30)
    match = {"job_description": "Vaga de desenvolvedora Python com Kafka e PostgreSQL."}
    for _ in range(2):
        accepted = await shipped.post(f"/v1/cvs/{cv_id}/match", headers=headers, json=match)
        assert accepted.status_code == 202, accepted.text
    refused = await shipped.post(f"/v1/cvs/{cv_id}/match", headers=headers, json=match)
    assert refused.status_code == 402
    assert refused.json()["usage"] == 3
