"""Password change, log-out and the user's sessions; their audit entries."""

from __future__ import annotations

import uuid

import httpx

from infra.db.repositories import audit as audit_repo
from tests.support.identity import (
    Account,
    audit_actions,
    bearer,
    log_in,
    signed_in,
    user_id_of_account,
)
from tests.support.system import RunningSystem

NEW_PASSWORD = "a different long passphrase"


async def _second_session(
    client: httpx.AsyncClient, account: Account, agent: str
) -> dict[str, str]:
    response = await log_in(client, account, **{"User-Agent": agent})
    assert response.status_code == 200, response.text
    tokens: dict[str, str] = response.json()
    return tokens


async def _refresh(client: httpx.AsyncClient, refresh_token: str) -> httpx.Response:
    return await client.post("/v1/auth/refresh", json={"refresh_token": refresh_token})


async def test_a_password_change_ends_every_session_but_the_new_one(system: RunningSystem) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        other = await _second_session(client, account, "phone")
        changed = await client.post(
            "/v1/me/password",
            json={"current_password": account.password, "new_password": NEW_PASSWORD},
            headers=account.headers,
        )
        assert changed.status_code == 200, changed.text
        fresh = changed.json()
        for old in (account.tokens, other):
            assert (
                await client.get("/v1/me", headers=bearer(old["access_token"]))
            ).status_code == 401
            assert (await _refresh(client, old["refresh_token"])).status_code == 401
        assert (
            await client.get("/v1/me", headers=bearer(fresh["access_token"]))
        ).status_code == 200
        assert (await _refresh(client, fresh["refresh_token"])).status_code == 200
        assert (await log_in(client, account)).status_code == 401
        assert (await log_in(client, account, NEW_PASSWORD)).status_code == 200


async def test_a_wrong_current_password_changes_nothing(system: RunningSystem) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        wrong = await client.post(
            "/v1/me/password",
            json={"current_password": "not my password", "new_password": NEW_PASSWORD},
            headers=account.headers,
        )
        common = await client.post(
            "/v1/me/password",
            json={"current_password": account.password, "new_password": "iloveyou1"},
            headers=account.headers,
        )
        assert wrong.status_code == 403
        assert wrong.json()["code"] == "invalid_password"
        assert common.status_code == 422
        assert common.json()["code"] == "password_too_common"
        assert (await client.get("/v1/me", headers=account.headers)).status_code == 200
        assert (await log_in(client, account)).status_code == 200
        user_id = await user_id_of_account(client, account)
    actions = await audit_actions(system, user_id)
    assert ("auth.password_changed", "failed") in actions
    assert ("auth.password_changed", "ok") not in actions


async def test_logout_ends_this_session_only(system: RunningSystem) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        other = await _second_session(client, account, "laptop")
        out = await client.post("/v1/auth/logout", headers=account.headers)
        assert out.status_code == 204
        assert (await client.get("/v1/me", headers=account.headers)).status_code == 401
        assert (await _refresh(client, account.tokens["refresh_token"])).status_code == 401
        assert (await client.post("/v1/auth/logout", headers=account.headers)).status_code == 401
        still = await client.get("/v1/me", headers=bearer(other["access_token"]))
        assert still.status_code == 200


async def test_sessions_are_listed_and_revoked_by_their_owner_only(system: RunningSystem) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        phone = await _second_session(client, account, "Recoloca-Phone/1.0")
        intruder = await signed_in(client)
        listed = await client.get("/v1/me/sessions", headers=account.headers)
        assert listed.status_code == 200
        sessions = listed.json()
        assert len(sessions) == 2
        current = [s for s in sessions if s["current"]]
        others = [s for s in sessions if not s["current"]]
        assert len(current) == len(others) == 1
        assert others[0]["user_agent"] == "Recoloca-Phone/1.0"
        assert others[0]["ip"] == "127.0.0.1"
        assert others[0]["created_at"] <= others[0]["last_used_at"]

        # Another user's session id is not found, and stays alive (BOLA).
        theirs = await client.delete(f"/v1/me/sessions/{others[0]['id']}", headers=intruder.headers)
        assert theirs.status_code == 404
        assert theirs.json()["code"] == "not_found"
        assert (
            await client.get("/v1/me", headers=bearer(phone["access_token"]))
        ).status_code == 200
        unknown = await client.delete(f"/v1/me/sessions/{uuid.uuid4()}", headers=account.headers)
        assert unknown.status_code == 404

        # The owner ends it: its tokens stop, the list shrinks.
        ended = await client.delete(f"/v1/me/sessions/{others[0]['id']}", headers=account.headers)
        assert ended.status_code == 204
        assert (
            await client.get("/v1/me", headers=bearer(phone["access_token"]))
        ).status_code == 401
        assert (await _refresh(client, phone["refresh_token"])).status_code == 401
        again = await client.delete(f"/v1/me/sessions/{others[0]['id']}", headers=account.headers)
        assert again.status_code == 404
        remaining = (await client.get("/v1/me/sessions", headers=account.headers)).json()
        assert [s["id"] for s in remaining] == [current[0]["id"]]

        # A refresh keeps the session (same id), and counts as a use.
        rotated = (await _refresh(client, account.tokens["refresh_token"])).json()
        after = (
            await client.get("/v1/me/sessions", headers=bearer(rotated["access_token"]))
        ).json()
        assert [s["id"] for s in after] == [current[0]["id"]]
        assert after[0]["current"] is True
        assert after[0]["last_used_at"] >= current[0]["last_used_at"]


async def test_the_audit_trail_holds_logins_logouts_and_revocations(system: RunningSystem) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        user_id = await user_id_of_account(client, account)
        assert (await log_in(client, account, "a wrong password")).status_code == 401
        other = await _second_session(client, account, "x")
        sessions = (await client.get("/v1/me/sessions", headers=account.headers)).json()
        mine = next(s for s in sessions if not s["current"])
        await client.delete(f"/v1/me/sessions/{mine['id']}", headers=account.headers)
        await client.post(
            "/v1/me/password",
            json={"current_password": account.password, "new_password": NEW_PASSWORD},
            headers=account.headers,
        )
        assert other  # its session was revoked above
    actions = await audit_actions(system, user_id)
    assert actions == [
        ("auth.registered", "ok"),
        ("auth.login", "ok"),
        ("auth.login", "failed"),
        ("auth.login", "ok"),
        ("session.revoked", "ok"),
        ("auth.password_changed", "ok"),
    ]
    async with system.db.sessions() as session:
        failed = await audit_repo.page(session, subject_id=user_id, action="auth.login")
    entry = next(e for e in failed if e.outcome == "failed")
    assert entry.actor_id is None
    assert entry.ip == "127.0.0.1"
    assert "wrong" not in str(entry.detail)


async def test_logout_is_audited(system: RunningSystem) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        user_id = await user_id_of_account(client, account)
        await client.post("/v1/auth/logout", headers=account.headers)
    assert ("auth.logout", "ok") in await audit_actions(system, user_id)
