"""Request budgets over HTTP: the shipped limits, per account, address, user, and without Redis."""

from __future__ import annotations

import uuid

import httpx
from limits import parse_many

from infra.db.repositories import audit as audit_repo
from infra.db.repositories import users as users_repo
from infra.db.session import Database
from infra.settings import RateLimitSettings, Settings
from tests.support.api import upload
from tests.support.asgi import api_clients
from tests.support.documents import txt_cv
from tests.support.identity import (
    Account,
    bearer,
    create_api_key,
    log_in,
    new_email,
    register,
    signed_in,
)

WRONG = "not the password at all"


def with_limits(settings: Settings, **overrides: object) -> Settings:
    """``settings`` with the budgets as shipped (or as given), counted apart from other tests."""
    limits = RateLimitSettings(key_prefix=f"test-{uuid.uuid4().hex}", **overrides)
    return settings.model_copy(update={"ratelimit": limits})


def _amount(limit: str) -> int:
    return min(item.amount for item in parse_many(limit))


def _assert_rate_limited(response: httpx.Response) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "rate_limited"
    assert int(response.headers["retry-after"]) >= 1


async def test_the_eleventh_wrong_password_for_an_account_is_429(settings: Settings) -> None:
    async with api_clients(with_limits(settings)) as client_from:
        client = client_from("10.1.0.1")
        account = await register(client)
        guesses = [await log_in(client, account, WRONG) for _ in range(11)]
        # The right password no longer helps, from anywhere: the refusal tells nothing.
        right = await log_in(client_from("10.1.0.2"), account)
        user_id = await _user_id(settings, account.email)
    assert [g.status_code for g in guesses[:10]] == [401] * 10
    _assert_rate_limited(guesses[10])
    _assert_rate_limited(right)
    # The owner's security activity shows the guessing and the refusals.
    assert settings.database.url is not None
    db = Database(settings.database.url, pool_size=1)
    try:
        async with db.sessions() as session:
            entries = await audit_repo.page(session, subject_id=user_id, action="auth.login")
    finally:
        await db.dispose()
    reasons = [(e.outcome, (e.detail or {}).get("reason")) for e in reversed(entries)]
    assert reasons == [("failed", "invalid_credentials")] * 10 + [("failed", "rate_limited")] * 2


async def _user_id(settings: Settings, email: str) -> uuid.UUID:
    assert settings.database.url is not None
    db = Database(settings.database.url, pool_size=1)
    try:
        async with db.sessions() as session:
            user = await users_repo.by_email(session, email)
    finally:
        await db.dispose()
    assert user is not None
    return user.id


async def test_an_unknown_address_is_limited_like_an_account(settings: Settings) -> None:
    async with api_clients(with_limits(settings)) as client_from:
        client = client_from("10.2.0.1")
        known = await register(client)
        unknown = Account(email=new_email())
        known_answers = [await log_in(client, known, WRONG) for _ in range(11)]
        unknown_answers = [await log_in(client, unknown, WRONG) for _ in range(11)]
    assert [a.status_code for a in known_answers] == [a.status_code for a in unknown_answers]
    for known_answer, unknown_answer in zip(known_answers, unknown_answers, strict=True):
        assert known_answer.json()["code"] == unknown_answer.json()["code"]
        assert known_answer.json()["title"] == unknown_answer.json()["title"]
    _assert_rate_limited(unknown_answers[10])


async def test_log_in_attempts_are_limited_per_address(settings: Settings) -> None:
    shipped = RateLimitSettings()
    async with api_clients(with_limits(settings)) as client_from:
        client = client_from("10.3.0.1")
        # A new address each time: only the per-address budget counts them all.
        answers = [
            await log_in(client, Account(email=new_email()), WRONG)
            for _ in range(_amount(shipped.login_ip) + 1)
        ]
        elsewhere = await log_in(client_from("10.3.0.2"), Account(email=new_email()), WRONG)
    assert {a.status_code for a in answers[:-1]} == {401}
    _assert_rate_limited(answers[-1])
    assert elsewhere.status_code == 401


async def test_registrations_are_limited_per_address(settings: Settings) -> None:
    shipped = RateLimitSettings()
    async with api_clients(with_limits(settings)) as client_from:
        client = client_from("10.4.0.1")
        for _ in range(_amount(shipped.registration)):
            await register(client)
        refused = await client.post(
            "/v1/auth/register", json={"email": new_email(), "password": Account("x").password}
        )
        elsewhere = await register(client_from("10.4.0.2"))
    _assert_rate_limited(refused)
    assert elsewhere.email


async def test_uploads_are_limited_per_user(settings: Settings) -> None:
    async with api_clients(with_limits(settings, uploads="2 per minute")) as client_from:
        client = client_from("10.5.0.1")
        account = await signed_in(client)
        other = await signed_in(client)
        answers = [await upload(client, account.headers, txt_cv(), "cv.txt", "text/plain")]
        answers.append(await upload(client, account.headers, txt_cv(), "cv.txt", "text/plain"))
        refused = await upload(client, account.headers, txt_cv(), "cv.txt", "text/plain")
        others = await upload(client, other.headers, txt_cv(), "cv.txt", "text/plain")
    assert [a.status_code for a in answers] == [202, 202]
    _assert_rate_limited(refused)
    assert others.status_code == 202


async def test_every_authenticated_request_spends_the_users_general_budget(
    settings: Settings,
) -> None:
    async with api_clients(with_limits(settings, general="5 per minute")) as client_from:
        client = client_from("10.6.0.1")
        account = await signed_in(client)
        other = await signed_in(client)
        answers = [await client.get("/v1/me", headers=account.headers) for _ in range(5)]
        refused = await client.get("/v1/cvs", headers=account.headers)
        others = await client.get("/v1/me", headers=other.headers)
    assert {a.status_code for a in answers} == {200}
    _assert_rate_limited(refused)
    assert others.status_code == 200


async def test_an_api_key_spends_budgets_of_its_own(settings: Settings) -> None:
    limited = with_limits(settings, general="6 per minute", uploads="1 per minute")
    async with api_clients(limited) as client_from:
        client = client_from("10.6.1.1")
        account = await signed_in(client)
        key = bearer(await create_api_key(client, account, "cvs:read", "cvs:write"))
        by_key = [await upload(client, key, txt_cv(), "cv.txt", "text/plain") for _ in range(2)]
        by_owner = await upload(client, account.headers, txt_cv(), "cv.txt", "text/plain")
        key_reads = [await client.get("/v1/cvs", headers=key) for _ in range(5)]
        owner_reads = [await client.get("/v1/cvs", headers=account.headers) for _ in range(3)]
    assert by_key[0].status_code == 202
    _assert_rate_limited(by_key[1])
    assert by_owner.status_code == 202
    # Every request spends the general budget, a refused upload too: two uploads and
    # four reads make the key's six, and the fifth read is one too many.
    assert [r.status_code for r in key_reads[:4]] == [200] * 4
    _assert_rate_limited(key_reads[4])
    assert {r.status_code for r in owner_reads} == {200}


async def test_without_redis_log_in_keeps_its_limits(settings: Settings) -> None:
    dead = settings.model_copy(
        update={"redis": settings.redis.model_copy(update={"url": "redis://127.0.0.1:1/0"})}
    )
    async with api_clients(with_limits(dead)) as client_from:
        client = client_from("10.7.0.1")
        account = await register(client)
        guesses = [await log_in(client, account, WRONG) for _ in range(11)]
        registrations = [
            await client.post(
                "/v1/auth/register", json={"email": new_email(), "password": account.password}
            )
            for _ in range(_amount(RateLimitSettings().registration))
        ]
    assert [g.status_code for g in guesses[:10]] == [401] * 10
    _assert_rate_limited(guesses[10])
    # The first registration above was the account's own.
    assert [r.status_code for r in registrations[:-1]] == [201] * (len(registrations) - 1)
    _assert_rate_limited(registrations[-1])


async def test_disabled_limits_refuse_nothing(settings: Settings) -> None:
    async with api_clients(with_limits(settings, enabled=False)) as client_from:
        client = client_from("10.8.0.1")
        account = await register(client)
        guesses = [await log_in(client, account, WRONG) for _ in range(12)]
        right = await log_in(client, account)
    assert {g.status_code for g in guesses} == {401}
    assert right.status_code == 200
