"""API keys: created once, scoped, usable as a bearer token, revocable, audited."""

from __future__ import annotations

import hashlib
import uuid

from sqlalchemy import select, update

from infra.db.models import ApiKey, User
from tests.support.api import upload, wait_for_status
from tests.support.documents import txt_cv
from tests.support.identity import (
    audit_actions,
    bearer,
    create_api_key,
    signed_in,
    user_id_of_account,
)
from tests.support.system import RunningSystem


async def test_a_key_uploads_and_reads_cvs_within_its_scopes(system: RunningSystem) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        key = await create_api_key(client, account, "cvs:read", "cvs:write")
        uploaded = await upload(client, bearer(key), txt_cv(), "cv.txt", "text/plain")
        assert uploaded.status_code == 202, uploaded.text
        cv_id = uploaded.json()["id"]
        scored = await wait_for_status(client, bearer(key), cv_id, "scored", timeout=30)
        assert scored["analysis"]["score"] >= 0
        # The owner sees the CV the key uploaded: it acts for them.
        listed = await client.get("/v1/cvs", headers=account.headers)
        assert [item["id"] for item in listed.json()["items"]] == [cv_id]

        read_only = await create_api_key(client, account, "cvs:read")
        refused = await upload(client, bearer(read_only), txt_cv(), "cv.txt", "text/plain")
        assert refused.status_code == 403
        assert refused.json()["code"] == "insufficient_scope"
        assert (await client.get(f"/v1/cvs/{cv_id}", headers=bearer(read_only))).status_code == 200


async def test_a_key_cannot_manage_the_account_or_mint_keys(system: RunningSystem) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        key = await create_api_key(client, account, "cvs:read", "cvs:write", "coach")
        for method, path, body in (
            ("GET", "/v1/me", None),
            ("PATCH", "/v1/me", {"display_name": "x"}),
            ("POST", "/v1/me/api-keys", {"name": "more", "scopes": ["cvs:read"]}),
            ("GET", "/v1/me/sessions", None),
            ("POST", "/v1/me/export", None),
            ("DELETE", "/v1/me", {"password": account.password}),
        ):
            response = await client.request(method, path, json=body, headers=bearer(key))
            assert response.status_code == 403, (method, path, response.text)
            assert response.json()["code"] == "api_key_not_allowed"


async def test_the_key_is_shown_once_and_stored_only_as_a_hash(system: RunningSystem) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        created = await client.post(
            "/v1/me/api-keys", json={"name": "ci", "scopes": ["cvs:read"]}, headers=account.headers
        )
        assert created.status_code == 201
        body = created.json()
        key, prefix = body["key"], body["prefix"]
        assert key.startswith(f"rk_live_{prefix}_")
        assert body["scopes"] == ["cvs:read"]
        assert body["last_used_at"] is None

        listed = (await client.get("/v1/me/api-keys", headers=account.headers)).json()
        assert [item["id"] for item in listed] == [body["id"]]
        assert "key" not in listed[0]
        assert key not in (await client.get("/v1/me/api-keys", headers=account.headers)).text

        async with system.db.sessions() as session:
            row = await session.scalar(select(ApiKey).where(ApiKey.id == uuid.UUID(body["id"])))
        assert row is not None
        secret = key.removeprefix(f"rk_live_{prefix}_")
        assert row.key_hash == hashlib.sha256(secret.encode()).digest()
        assert row.prefix == prefix

        assert (await client.get("/v1/cvs", headers=bearer(key))).status_code == 200
        used = (await client.get("/v1/me/api-keys", headers=account.headers)).json()
        assert used[0]["last_used_at"] is not None


async def test_a_revoked_key_is_refused_on_its_next_request(system: RunningSystem) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        key = await create_api_key(client, account, "cvs:read")
        key_id = (await client.get("/v1/me/api-keys", headers=account.headers)).json()[0]["id"]
        assert (await client.get("/v1/cvs", headers=bearer(key))).status_code == 200

        revoked = await client.delete(f"/v1/me/api-keys/{key_id}", headers=account.headers)
        assert revoked.status_code == 204
        refused = await client.get("/v1/cvs", headers=bearer(key))
        assert refused.status_code == 401
        assert refused.json()["code"] == "not_authenticated"
        assert (await client.get("/v1/me/api-keys", headers=account.headers)).json() == []
        again = await client.delete(f"/v1/me/api-keys/{key_id}", headers=account.headers)
        assert again.status_code == 404

        user_id = await user_id_of_account(client, account)
        actions = [action for action, _ in await audit_actions(system, user_id)]
        assert actions.count("api_key.created") == 1
        assert actions.count("api_key.revoked") == 1


async def test_forged_and_foreign_keys_are_refused(system: RunningSystem) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        other = await signed_in(client)
        key = await create_api_key(client, account, "cvs:read")
        prefix = key.removeprefix("rk_live_")[:12]
        for forged in (
            f"rk_live_{prefix}_{'A' * 43}",  # the right prefix, another secret
            key[:-1] + ("A" if key[-1] != "A" else "B"),
            "rk_live_",
            f"rk_live_{prefix}",
            "rk_live_" + "x" * 500,
        ):
            response = await client.get("/v1/cvs", headers=bearer(forged))
            assert response.status_code == 401, forged

        # Someone else's key id is not theirs to revoke, and says nothing about existing.
        key_id = (await client.get("/v1/me/api-keys", headers=account.headers)).json()[0]["id"]
        foreign = await client.delete(f"/v1/me/api-keys/{key_id}", headers=other.headers)
        assert foreign.status_code == 404
        assert (await client.get("/v1/cvs", headers=bearer(key))).status_code == 200


async def test_a_disabled_owner_s_keys_stop_working(system: RunningSystem) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        key = await create_api_key(client, account, "cvs:read")
        user_id = await user_id_of_account(client, account)
        async with system.db.sessions() as session:
            await session.execute(
                update(User).where(User.id == user_id).values(disabled_at=User.created_at)
            )
            await session.commit()
        assert (await client.get("/v1/cvs", headers=bearer(key))).status_code == 401


async def test_keys_are_bounded_in_number_and_checked_in_shape(system: RunningSystem) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        for body in (
            {"name": "x", "scopes": []},
            {"name": "x", "scopes": ["admin"]},
            {"name": "", "scopes": ["cvs:read"]},
            {"name": "x" * 101, "scopes": ["cvs:read"]},
            {"name": "x", "scopes": ["cvs:read"], "role": "admin"},
        ):
            response = await client.post("/v1/me/api-keys", json=body, headers=account.headers)
            assert response.status_code == 422, body
            assert response.json()["code"] == "validation_error"
        for _ in range(20):
            await create_api_key(client, account, "cvs:read")
        over = await client.post(
            "/v1/me/api-keys",
            json={"name": "21st", "scopes": ["cvs:read"]},
            headers=account.headers,
        )
        assert over.status_code == 409
        assert over.json()["code"] == "too_many_api_keys"
