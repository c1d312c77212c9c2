"""An open event stream ends when its token expires or its session is revoked."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt

from entrypoints.runner import API
from infra.embedded import free_port
from infra.security import ALGORITHM
from infra.settings import Settings
from tests.support.api import PASSWORD, user_id_of
from tests.support.sse import collect_until
from tests.support.system import isolated_settings, running_system


def _ended(events) -> bool:
    return any(e.event == "session.ended" for e in events)


async def test_streams_end_with_their_token_or_session(settings: Settings, tmp_path: Path) -> None:
    own = await isolated_settings(
        settings,
        tmp_path,
        # The whole api group is replaced: it needs a port of its own too.
        api={"sse_reauth_seconds": 0.5, "port": free_port()},
        auth={"session_check_seconds": 0},
    )
    email = f"user-{uuid.uuid4().hex[:12]}@example.com"
    async with running_system(own, [API]) as system, system.client() as client:
        await client.post("/v1/auth/register", json={"email": email, "password": PASSWORD})
        tokens = (
            await client.post("/v1/auth/token", data={"username": email, "password": PASSWORD})
        ).json()
        bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
        secret = own.auth.secret_key.get_secret_value()
        short_lived = jwt.encode(
            {
                "sub": str(user_id_of(bearer)),
                "typ": "access",
                "exp": datetime.now(UTC) + timedelta(seconds=3),
            },
            secret,
            algorithm=ALGORITHM,
        )

        async with client.stream(
            "GET", "/v1/events", headers={"Authorization": f"Bearer {short_lived}"}
        ) as expiring:
            assert expiring.status_code == 200
            await collect_until(expiring, _ended, timeout=15)

        async with client.stream("GET", "/v1/events", headers=bearer) as revoked:
            assert revoked.status_code == 200
            await client.post("/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
            await client.post("/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
            await collect_until(revoked, _ended, timeout=15)
