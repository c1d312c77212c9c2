"""Administrators over HTTP: users, roles, disabling, the audit trail; and a user's own
security activity."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import update

from entrypoints.runner import API
from infra.db.models import User
from infra.settings import Settings
from tests.support.identity import (
    Account,
    audit_actions,
    enrol,
    fresh_step,
    grant_role,
    log_in,
    new_email,
    signed_in,
    user_id_of_account,
)
from tests.support.system import RunningSystem, isolated_settings, running_system


async def _admin(system: RunningSystem, client: httpx.AsyncClient) -> tuple[Account, uuid.UUID]:
    account = await signed_in(client)
    return account, await grant_role(system, account, "admin")


async def test_users_are_listed_with_filters_and_pages(system: RunningSystem) -> None:
    async with system.client() as client:
        admin, _ = await _admin(system, client)
        tag = uuid.uuid4().hex[:10]
        accounts = [await signed_in(client, email=f"{tag}-{i}@example.com") for i in range(3)]
        operator_id = await grant_role(system, accounts[0], "operator")

        found = await client.get(
            "/v1/admin/users", params={"email": tag.upper(), "limit": 2}, headers=admin.headers
        )
        assert found.status_code == 200, found.text
        body = found.json()
        assert body["total"] == 3
        assert [u["email"] for u in body["items"]] == [
            f"{tag}-2@example.com",
            f"{tag}-1@example.com",
        ]
        rest = await client.get(
            "/v1/admin/users", params={"email": tag, "offset": 2}, headers=admin.headers
        )
        assert [u["email"] for u in rest.json()["items"]] == [f"{tag}-0@example.com"]

        operators = await client.get(
            "/v1/admin/users", params={"email": tag, "role": "operator"}, headers=admin.headers
        )
        assert [u["id"] for u in operators.json()["items"]] == [str(operator_id)]
        assert operators.json()["items"][0]["role"] == "operator"

        # LIKE's wildcards are plain characters in the filter.
        wildcard = await client.get("/v1/admin/users", params={"email": "%"}, headers=admin.headers)
        assert wildcard.json()["total"] == 0

        one = await client.get(f"/v1/admin/users/{operator_id}", headers=admin.headers)
        assert one.status_code == 200
        assert one.json()["email"] == f"{tag}-0@example.com"
        assert one.json()["disabled_at"] is None
        missing = await client.get(f"/v1/admin/users/{uuid.uuid4()}", headers=admin.headers)
        assert missing.status_code == 404
        assert missing.json()["code"] == "user_not_found"
        bad = await client.get("/v1/admin/users", params={"role": "root"}, headers=admin.headers)
        assert bad.status_code == 422


async def test_role_change_is_audited_once(system: RunningSystem) -> None:
    async with system.client() as client:
        admin, admin_id = await _admin(system, client)
        target = await signed_in(client)
        target_id = await user_id_of_account(client, target)

        for _ in range(2):
            changed = await client.patch(
                f"/v1/admin/users/{target_id}", json={"role": "operator"}, headers=admin.headers
            )
            assert changed.status_code == 200, changed.text
            assert changed.json()["role"] == "operator"
        assert (await client.get("/v1/me", headers=target.headers)).json()["role"] == "operator"

        for body in ({"role": "root"}, {"role": "admin", "email": "x@example.com"}, {}):
            refused = await client.patch(
                f"/v1/admin/users/{target_id}", json=body, headers=admin.headers
            )
            assert refused.status_code == 422, body
        missing = await client.patch(
            f"/v1/admin/users/{uuid.uuid4()}", json={"role": "user"}, headers=admin.headers
        )
        assert missing.status_code == 404

        trail = await client.get(
            "/v1/admin/audit",
            params={"subject": str(target_id), "action": "admin.role_changed"},
            headers=admin.headers,
        )
    [entry] = trail.json()["items"]
    assert entry["actor_id"] == str(admin_id)
    assert entry["detail"] == {"from": "user", "to": "operator"}
    assert entry["request_id"]


async def test_a_disabled_account_is_refused_everywhere_until_enabled(
    system: RunningSystem,
) -> None:
    async with system.client() as client:
        admin, admin_id = await _admin(system, client)
        target = await signed_in(client)
        target_id = await user_id_of_account(client, target)

        disabled = await client.post(f"/v1/admin/users/{target_id}/disable", headers=admin.headers)
        assert disabled.status_code == 200, disabled.text
        assert disabled.json()["disabled_at"] is not None
        again = await client.post(f"/v1/admin/users/{target_id}/disable", headers=admin.headers)
        assert again.json()["disabled_at"] == disabled.json()["disabled_at"]

        # This process forgot its session checks: refused at once, not in a few seconds.
        me = await client.get("/v1/me", headers=target.headers)
        assert me.status_code == 401
        refreshed = await client.post(
            "/v1/auth/refresh", json={"refresh_token": target.tokens["refresh_token"]}
        )
        assert refreshed.status_code == 401
        assert refreshed.json()["code"] == "invalid_refresh_token"
        logged_in = await log_in(client, target)
        assert logged_in.status_code == 403
        assert logged_in.json()["code"] == "account_disabled"
        wrong = await log_in(client, target, password="not the password at all")
        assert wrong.status_code == 401
        assert wrong.json()["code"] == "invalid_credentials"

        listed = await client.get(
            "/v1/admin/users",
            params={"email": target.email, "disabled": True},
            headers=admin.headers,
        )
        assert [u["id"] for u in listed.json()["items"]] == [str(target_id)]

        enabled = await client.post(f"/v1/admin/users/{target_id}/enable", headers=admin.headers)
        assert enabled.status_code == 200
        assert enabled.json()["disabled_at"] is None
        assert (
            await client.post(f"/v1/admin/users/{target_id}/enable", headers=admin.headers)
        ).status_code == 200
        # The sessions it had stay ended; a new log-in works.
        assert (await client.get("/v1/me", headers=target.headers)).status_code == 401
        assert (await log_in(client, target)).status_code == 200
        missing = await client.post(f"/v1/admin/users/{uuid.uuid4()}/enable", headers=admin.headers)
        assert missing.status_code == 404

    actions = await audit_actions(system, target_id)
    assert ("admin.user_disabled", "ok") in actions
    assert ("admin.user_enabled", "ok") in actions
    assert actions.count(("auth.login", "failed")) == 2
    async with system.client() as client:
        trail = await client.get(
            "/v1/admin/audit",
            params={"actor": str(admin_id), "subject": str(target_id)},
            headers=admin.headers,
        )
    assert [e["action"] for e in trail.json()["items"]] == [
        "admin.user_enabled",
        "admin.user_disabled",
    ]
    assert trail.json()["items"][1]["detail"] == {"tokens_revoked": 1}


async def test_a_disabled_account_cannot_finish_a_two_step_log_in(system: RunningSystem) -> None:
    async with system.client() as client:
        admin, _ = await _admin(system, client)
        target = await signed_in(client)
        target_id = await user_id_of_account(client, target)
        step = await fresh_step()
        await enrol(client, target, step)
        first = await log_in(client, target)
        assert first.json()["code"] == "mfa_required"

        await client.post(f"/v1/admin/users/{target_id}/disable", headers=admin.headers)
        second = await client.post(
            "/v1/auth/mfa",
            json={"mfa_token": first.json()["mfa_token"], "code": target.recovery_codes[0]},
        )
        assert second.status_code == 403
        assert second.json()["code"] == "account_disabled"
        # With the password right, the first step says so too (before asking for a code).
        again = await log_in(client, target)
        assert again.status_code == 403
        assert again.json()["code"] == "account_disabled"


async def test_refresh_is_refused_for_a_disabled_account_whose_token_survived(
    system: RunningSystem,
) -> None:
    """A refresh racing the disabling can issue a token the revocation did not see."""
    async with system.client() as client:
        account = await signed_in(client)
        user_id = await user_id_of_account(client, account)
        async with system.db.transaction() as session:
            await session.execute(
                update(User).where(User.id == user_id).values(disabled_at=datetime.now(UTC))
            )
        refreshed = await client.post(
            "/v1/auth/refresh", json={"refresh_token": account.tokens["refresh_token"]}
        )
    assert refreshed.status_code == 401
    assert refreshed.json()["code"] == "invalid_refresh_token"


async def test_the_audit_trail_filters_and_pages(system: RunningSystem) -> None:
    async with system.client() as client:
        admin, admin_id = await _admin(system, client)
        start = datetime.now(UTC) - timedelta(seconds=1)
        target = await signed_in(client)
        target_id = await user_id_of_account(client, target)
        for role in ("operator", "admin", "user"):
            await client.patch(
                f"/v1/admin/users/{target_id}", json={"role": role}, headers=admin.headers
            )
        seen: list[dict[str, Any]] = []
        cursor: int | None = None
        while True:
            params: dict[str, str | int] = {"actor": str(admin_id), "limit": 2}
            if cursor is not None:
                params["before"] = cursor
            page = (
                await client.get("/v1/admin/audit", params=params, headers=admin.headers)
            ).json()
            seen += page["items"]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        changes = [e["detail"]["to"] for e in seen if e["action"] == "admin.role_changed"]
        assert changes == ["user", "admin", "operator"]

        later = datetime.now(UTC) + timedelta(minutes=1)
        window = {"subject": str(target_id), "since": start.isoformat()}
        assert (
            len(
                (await client.get("/v1/admin/audit", params=window, headers=admin.headers)).json()[
                    "items"
                ]
            )
            >= 4
        )
        future = await client.get(
            "/v1/admin/audit",
            params={"subject": str(target_id), "since": later.isoformat()},
            headers=admin.headers,
        )
        assert future.json() == {"items": [], "next_cursor": None}
        past = await client.get(
            "/v1/admin/audit",
            params={"subject": str(target_id), "until": start.isoformat()},
            headers=admin.headers,
        )
        assert past.json()["items"] == []
        logins = await client.get(
            "/v1/admin/audit",
            params={"subject": str(target_id), "action": "auth.login"},
            headers=admin.headers,
        )
        assert [e["outcome"] for e in logins.json()["items"]] == ["ok"]

        refusals: list[dict[str, str | int]] = [
            {"since": "2026-01-01T00:00:00"},  # no offset: which zone?
            {"until": "0001-01-01T00:00:00+01:00"},
            {"actor": "someone"},
            {"before": 0},
            {"limit": 1000},
            {"action": "auth.\x00"},
        ]
        for params in refusals:
            refused = await client.get("/v1/admin/audit", params=params, headers=admin.headers)
            assert refused.status_code == 422, params
            assert refused.json()["code"] == "validation_error"


async def test_security_activity_shows_the_users_own_entries(system: RunningSystem) -> None:
    async with system.client() as client:
        admin, _ = await _admin(system, client)
        account = await signed_in(client)
        other = await signed_in(client)
        user_id = await user_id_of_account(client, account)
        assert (await log_in(client, account, password="wrong password here")).status_code == 401
        await client.patch(
            f"/v1/admin/users/{user_id}", json={"role": "operator"}, headers=admin.headers
        )

        first = await client.get(
            "/v1/me/security-activity", params={"limit": 2}, headers=account.headers
        )
        assert first.status_code == 200, first.text
        page = first.json()
        assert [(e["action"], e["outcome"], e["by_self"]) for e in page["items"]] == [
            ("admin.role_changed", "ok", False),
            ("auth.login", "failed", False),
        ]
        rest = await client.get(
            "/v1/me/security-activity",
            params={"before": page["next_cursor"]},
            headers=account.headers,
        )
        assert [(e["action"], e["by_self"]) for e in rest.json()["items"]] == [
            ("auth.login", True),
            ("auth.registered", True),
        ]
        assert rest.json()["next_cursor"] is None
        assert "actor_id" not in rest.json()["items"][0]

        theirs = await client.get("/v1/me/security-activity", headers=other.headers)
        assert [e["action"] for e in theirs.json()["items"]] == ["auth.login", "auth.registered"]
        assert (await client.get("/v1/me/security-activity")).status_code == 401
        bad = await client.get(
            "/v1/me/security-activity", params={"limit": 0}, headers=account.headers
        )
        assert bad.status_code == 422


async def test_the_last_admin_stays_an_admin(settings: Settings, tmp_path: Path) -> None:
    # A database of its own: "the last admin" counts every admin in it.
    own = await isolated_settings(settings, tmp_path)
    async with running_system(own, [API]) as system, system.client() as client:
        first, first_id = await _admin(system, client)
        for refused in (
            await client.patch(
                f"/v1/admin/users/{first_id}", json={"role": "operator"}, headers=first.headers
            ),
            await client.post(f"/v1/admin/users/{first_id}/disable", headers=first.headers),
        ):
            assert refused.status_code == 409
            assert refused.json()["code"] == "last_admin"
        # Promoting to admin what is admin already is no demotion.
        same = await client.patch(
            f"/v1/admin/users/{first_id}", json={"role": "admin"}, headers=first.headers
        )
        assert same.status_code == 200

        second = await signed_in(client, email=new_email())
        second_id = await user_id_of_account(client, second)
        promoted = await client.patch(
            f"/v1/admin/users/{second_id}", json={"role": "admin"}, headers=first.headers
        )
        assert promoted.status_code == 200
        demoted = await client.patch(
            f"/v1/admin/users/{first_id}", json={"role": "user"}, headers=first.headers
        )
        assert demoted.status_code == 200
        assert demoted.json()["role"] == "user"
        refused = await client.post(f"/v1/admin/users/{second_id}/disable", headers=second.headers)
        assert refused.status_code == 409

        # A disabled admin does not count: with the other one disabled, this one is the last.
        await client.patch(
            f"/v1/admin/users/{first_id}", json={"role": "admin"}, headers=second.headers
        )
        disabled = await client.post(f"/v1/admin/users/{first_id}/disable", headers=second.headers)
        assert disabled.status_code == 200
        refused = await client.patch(
            f"/v1/admin/users/{second_id}", json={"role": "operator"}, headers=second.headers
        )
        assert refused.status_code == 409
        assert refused.json()["code"] == "last_admin"
