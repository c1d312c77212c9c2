"""TOTP enrolment, the two-step log-in, replay and skew, recovery codes, disabling.

Codes are computed with pyotp for explicit time steps around the server's current one
(taken with enough of the step left that the server judges them against the same step).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest
from sqlalchemy import select

from api.services import mfa
from api.services.errors import MfaCodeRequiredError, StepUpMfaCodeError
from infra.db.models import User, UserMfa
from tests.support.identity import (
    Account,
    audit_actions,
    bearer,
    enrol,
    fresh_step,
    log_in,
    signed_in,
    user_id_of_account,
)
from tests.support.system import RunningSystem


async def _mfa_token(client: httpx.AsyncClient, account: Account) -> str:
    first = await log_in(client, account)
    assert first.status_code == 401, first.text
    assert first.json()["code"] == "mfa_required"
    token: str = first.json()["mfa_token"]
    return token


async def _second_step(client: httpx.AsyncClient, token: str, code: str) -> httpx.Response:
    return await client.post("/v1/auth/mfa", json={"mfa_token": token, "code": code})


async def test_enrolment_is_pending_until_a_code_confirms_it(system: RunningSystem) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        early = await client.post(
            "/v1/me/mfa/totp/confirm",
            json={"password": account.password, "code": "123456"},
            headers=account.headers,
        )
        assert early.status_code == 409
        assert early.json()["code"] == "mfa_enrolment_not_started"
        started = await client.post("/v1/me/mfa/totp", headers=account.headers)
        assert started.status_code == 201
        body = started.json()
        assert body["otpauth_uri"].startswith("otpauth://totp/Recoloca:")
        assert f"secret={body['secret']}" in body["otpauth_uri"]
        assert body["qr_svg"].startswith("<svg")
        # Pending: log-in is still one step.
        assert (await log_in(client, account)).status_code == 200
        assert (await client.get("/v1/me", headers=account.headers)).json()["mfa_enabled"] is False

        account.secret = body["secret"]
        step = await fresh_step()
        wrong = await client.post(
            "/v1/me/mfa/totp/confirm",
            json={"password": account.password, "code": account.code(step + 5)},
            headers=account.headers,
        )
        assert wrong.status_code == 403
        assert wrong.json()["code"] == "invalid_mfa_code"
        # A recovery-code-shaped answer is no confirmation either.
        shaped = await client.post(
            "/v1/me/mfa/totp/confirm",
            json={"password": account.password, "code": "ABCD-EFGH-JKLM-NPQR"},
            headers=account.headers,
        )
        assert shaped.status_code == 403
        # A good code without the account's password binds nothing: a stolen session
        # alone cannot turn MFA on and lock the owner out.
        no_password = await client.post(
            "/v1/me/mfa/totp/confirm",
            json={"password": "not the password", "code": account.code(step)},
            headers=account.headers,
        )
        assert no_password.status_code == 403
        assert no_password.json()["code"] == "invalid_password"
        assert (await client.get("/v1/me", headers=account.headers)).json()["mfa_enabled"] is False
        confirmed = await client.post(
            "/v1/me/mfa/totp/confirm",
            json={"password": account.password, "code": account.code(step)},
            headers=account.headers,
        )
        assert confirmed.status_code == 200
        codes = confirmed.json()["recovery_codes"]
        assert len(codes) == len(set(codes)) == 10
        assert (await client.get("/v1/me", headers=account.headers)).json()["mfa_enabled"] is True
        again = await client.post("/v1/me/mfa/totp", headers=account.headers)
        assert again.status_code == 409
        assert again.json()["code"] == "mfa_already_enabled"
        user_id = await user_id_of_account(client, account)

    async with system.db.sessions() as session:
        row = await session.scalar(select(UserMfa).where(UserMfa.user_id == user_id))
    assert row is not None
    assert body["secret"].encode() not in row.secret_sealed  # encrypted at rest
    actions = await audit_actions(system, user_id)
    assert ("mfa.enrolled", "ok") in actions
    assert ("mfa.enabled", "failed") in actions
    assert ("mfa.enabled", "ok") in actions


async def test_log_in_takes_two_steps_and_each_code_works_once(system: RunningSystem) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        step = await fresh_step()
        await enrol(client, account, step)
        token = await _mfa_token(client, account)
        assert "access_token" not in (await log_in(client, account)).text

        # The code that confirmed the enrolment was used: refused, with its own code.
        reused = await _second_step(client, token, account.code(step))
        assert reused.status_code == 401
        assert reused.json()["code"] == "mfa_code_reused"
        ok = await _second_step(client, token, account.code(step + 1))
        assert ok.status_code == 200, ok.text
        tokens = ok.json()
        assert (
            await client.get("/v1/me", headers=bearer(tokens["access_token"]))
        ).status_code == 200

        # The challenge is spent, and the same code cannot open another one.
        spent = await _second_step(client, token, account.code(step + 1))
        assert spent.status_code == 401
        assert spent.json()["code"] == "invalid_mfa_token"
        other = await _mfa_token(client, account)
        replay = await _second_step(client, other, account.code(step + 1))
        assert replay.status_code == 401
        assert replay.json()["code"] == "mfa_code_reused"
        user_id = await user_id_of_account(client, Account(account.email, tokens=tokens))
    actions = await audit_actions(system, user_id)
    assert ("auth.login", "mfa_required") in actions
    assert actions.count(("auth.login", "failed")) == 2


async def test_one_step_of_skew_is_accepted_two_are_not(system: RunningSystem) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        step = await fresh_step()
        await enrol(client, account, step - 1)  # a clock one step behind
        for offset in (-2, 2):
            token = await _mfa_token(client, account)
            refused = await _second_step(client, token, account.code(step + offset))
            assert refused.status_code == 401, offset
            assert refused.json()["code"] == "invalid_mfa_code"
        token = await _mfa_token(client, account)
        ahead = await _second_step(client, token, account.code(step + 1))  # one step ahead
        assert ahead.status_code == 200


async def test_tokens_of_one_kind_are_not_accepted_as_another(system: RunningSystem) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        step = await fresh_step()
        await enrol(client, account, step)
        token = await _mfa_token(client, account)
        as_bearer = await client.get("/v1/me", headers=bearer(token))
        assert as_bearer.status_code == 401
        assert as_bearer.json()["code"] == "not_authenticated"
        for wrong_kind in (
            account.tokens["access_token"],
            account.tokens["refresh_token"],
            "x.y.z",
        ):
            answer = await _second_step(client, wrong_kind, account.code(step + 1))
            assert answer.status_code == 401
            assert answer.json()["code"] == "invalid_mfa_token"
        refreshed = await client.post("/v1/auth/refresh", json={"refresh_token": token})
        assert refreshed.status_code == 401
        # The code was not spent by any of these.
        assert (await _second_step(client, token, account.code(step + 1))).status_code == 200


async def test_wrong_codes_are_bounded_per_challenge(system: RunningSystem) -> None:
    attempts = system.settings.mfa.challenge_attempts
    async with system.client() as client:
        account = await signed_in(client)
        step = await fresh_step()
        await enrol(client, account, step)
        token = await _mfa_token(client, account)
        for _ in range(attempts):
            wrong = await _second_step(client, token, "000000")
            assert wrong.status_code == 401
            assert wrong.json()["code"] == "invalid_mfa_code"
        exhausted = await _second_step(client, token, account.code(step + 1))
        assert exhausted.status_code == 401
        assert exhausted.json()["code"] == "mfa_attempts_exceeded"
        # A new log-in gets a new challenge (the general rate limits bound those).
        fresh = await _mfa_token(client, account)
        assert (await _second_step(client, fresh, account.code(step + 1))).status_code == 200


async def test_recovery_codes_work_once_each(system: RunningSystem) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        await enrol(client, account, await fresh_step())
        user_id = await user_id_of_account(client, account)
        code = account.recovery_codes[0]
        first = await _second_step(client, await _mfa_token(client, account), code.lower())
        assert first.status_code == 200, first.text
        second = await _second_step(client, await _mfa_token(client, account), code)
        assert second.status_code == 401
        assert second.json()["code"] == "invalid_mfa_code"
        other = await _second_step(
            client, await _mfa_token(client, account), account.recovery_codes[1]
        )
        assert other.status_code == 200
    actions = await audit_actions(system, user_id)
    assert actions.count(("mfa.recovery_code_used", "ok")) == 2


async def test_disabling_needs_the_password_and_a_code(system: RunningSystem) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        step = await fresh_step()
        await enrol(client, account, step)
        user_id = await user_id_of_account(client, account)

        async def disable(password: str, code: str) -> httpx.Response:
            return await client.request(
                "DELETE",
                "/v1/me/mfa/totp",
                json={"password": password, "code": code},
                headers=account.headers,
            )

        wrong_password = await disable("not the password", account.code(step + 1))
        assert wrong_password.status_code == 403
        assert wrong_password.json()["code"] == "invalid_password"
        reused = await disable(account.password, account.code(step))
        assert reused.status_code == 403
        assert reused.json()["code"] == "mfa_code_reused"
        wrong_code = await disable(account.password, "999999")
        assert wrong_code.status_code == 403
        assert wrong_code.json()["code"] == "invalid_mfa_code"
        assert (await client.get("/v1/me", headers=account.headers)).json()["mfa_enabled"] is True

        off = await disable(account.password, account.recovery_codes[0])
        assert off.status_code == 204
        assert (await log_in(client, account)).status_code == 200
        again = await disable(account.password, account.code(step + 1))
        assert again.status_code == 409
        assert again.json()["code"] == "mfa_not_enabled"
    actions = await audit_actions(system, user_id)
    assert actions.count(("mfa.disabled", "failed")) == 3
    assert ("mfa.recovery_code_used", "ok") in actions
    assert ("mfa.disabled", "ok") in actions


async def test_verify_second_factor_for_other_services(system: RunningSystem) -> None:
    settings = system.settings.mfa
    async with system.client() as client:
        plain = await signed_in(client)
        guarded = await signed_in(client)
        step = await fresh_step()
        await enrol(client, guarded, step)
        plain_id, guarded_id = (
            await user_id_of_account(client, plain),
            await user_id_of_account(client, guarded),
        )
    async with system.db.sessions() as session:
        user = await session.get(User, plain_id)
        assert user is not None
        await mfa.verify_second_factor(session, settings, user, None)  # MFA off: nothing asked
        user = await session.get(User, guarded_id)
        assert user is not None
        with pytest.raises(MfaCodeRequiredError):
            await mfa.verify_second_factor(session, settings, user, None)
        with pytest.raises(StepUpMfaCodeError):
            await mfa.verify_second_factor(session, settings, user, "000000")
        await mfa.verify_second_factor(session, settings, user, guarded.code(step + 1))
        await session.rollback()


async def test_an_expired_or_wrongly_signed_mfa_token_is_refused(system: RunningSystem) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        step = await fresh_step()
        await enrol(client, account, step)
        token = await _mfa_token(client, account)
        claims = jwt.decode(token, options={"verify_signature": False})
        expired = mfa._encode_mfa_token(
            system.settings,
            uuid.UUID(claims["jti"]),
            uuid.UUID(claims["sub"]),
            datetime.now(UTC) - timedelta(seconds=1),
        )
        # Signed with the access-token key rather than the key derived for mfa tokens.
        access_signed = jwt.encode(
            claims, system.settings.auth.secret_key.get_secret_value(), algorithm="HS256"
        )
        for bad in (expired, access_signed):
            answer = await _second_step(client, bad, account.code(step + 1))
            assert answer.status_code == 401
            assert answer.json()["code"] == "invalid_mfa_token"
        assert (await _second_step(client, token, account.code(step + 1))).status_code == 200


async def test_erasure_needs_the_code_when_mfa_is_on(system: RunningSystem) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        step = await fresh_step()
        await enrol(client, account, step)

        async def erase(code: str | None) -> httpx.Response:
            body = {"password": account.password} | ({"code": code} if code else {})
            return await client.request("DELETE", "/v1/me", json=body, headers=account.headers)

        # The same answers as every other step-up check; the enrolment spent ``step``.
        refusals = {None: "mfa_code_required", "000000": "invalid_mfa_code"}
        refusals[account.code(step)] = "mfa_code_reused"
        for code, expected in refusals.items():
            refused = await erase(code)
            assert refused.status_code == 403, code
            assert refused.json()["code"] == expected
        assert (await erase(account.code(step + 1))).status_code == 202
