"""Who may call the operator and admin routes: operators the bus tools, admins those and
the administration, plain users none of them; a role change counts from the next request."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

import httpx
import pytest

from tests.support.identity import Account, grant_role, signed_in, user_id_of_account
from tests.support.system import RunningSystem, wait_for

# Values that would pass validation, so a refusal can only come from the policy.
_PATH_VALUES = {
    "topic": "cv.uploaded",
    "group": "parsing",
    "letter_id": "0:0",
    "user_id": str(uuid.uuid4()),
}
_BODIES: dict[str, dict[str, Any]] = {
    "/v1/ops/groups/{group}/topics/{topic}/replay": {"from_beginning": True, "dry_run": True},
    "/v1/admin/users/{user_id}": {"role": "user"},
}


def _privileged_routes(openapi: dict[str, Any]) -> list[tuple[str, str]]:
    return sorted(
        (method.upper(), path)
        for path, operations in openapi["paths"].items()
        if path.startswith(("/v1/ops/", "/v1/admin/"))
        for method in operations
    )


async def _call(
    client: httpx.AsyncClient, method: str, template: str, account: Account
) -> httpx.Response:
    path = template.format(**{k: v for k, v in _PATH_VALUES.items() if f"{{{k}}}" in template})
    body = _BODIES.get(template, {}) if method in ("POST", "PATCH") else None
    return await client.request(method, path, json=body, headers=account.headers)


async def test_a_plain_user_is_refused_every_operator_and_admin_route(
    system: RunningSystem,
) -> None:
    async with system.client() as client:
        user = await signed_in(client)
        routes = _privileged_routes((await client.get("/openapi.json")).json())
        assert len(routes) == 12
        for method, template in routes:
            response = await _call(client, method, template, user)
            assert response.status_code == 403, (method, template, response.text)
            assert response.json()["code"] == "forbidden"


@pytest.mark.parametrize(("role", "ops", "admin"), [("operator", 200, 403), ("admin", 200, 200)])
async def test_each_role_reaches_its_routes(
    system: RunningSystem, role: str, ops: int, admin: int
) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        await grant_role(system, account, role)

        for path in ("/v1/ops/topics", "/v1/ops/groups", "/v1/ops/dead-letters/cv.parsed"):
            response = await client.get(path, headers=account.headers)
            assert response.status_code == ops, (path, response.text)
        for path in ("/v1/admin/users", "/v1/admin/audit"):
            response = await client.get(path, headers=account.headers)
            assert response.status_code == admin, (path, response.text)


async def test_a_role_change_counts_from_the_next_request(system: RunningSystem) -> None:
    async with system.client() as client:
        admin = await signed_in(client)
        await grant_role(system, admin, "admin")
        account = await signed_in(client)
        user_id = await user_id_of_account(client, account)
        # Another API process would see it within the session-check interval.
        within = system.settings.auth.session_check_seconds + 5

        async def topics_answer(expected: int) -> bool:
            response = await client.get("/v1/ops/topics", headers=account.headers)
            return response.status_code == expected

        assert await topics_answer(403)
        for role, expected in (("operator", 200), ("user", 403)):
            changed = await client.patch(
                f"/v1/admin/users/{user_id}", json={"role": role}, headers=admin.headers
            )
            assert changed.status_code == 200, changed.text
            assert await wait_for(
                partial(topics_answer, expected), timeout=within, what=f"{expected} as {role}"
            )
