"""The client's address behind a proxy: taken from X-Forwarded-For only when the peer is
one of ``RECOLOCA_API_FORWARDED_ALLOW_IPS``."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError

from entrypoints.runner import API
from infra.settings import ApiSettings, Settings
from tests.support.identity import bearer, log_in, signed_in
from tests.support.system import RunningSystem, isolated_settings, running_system

CLIENT = "203.0.113.7"


async def _address_of_new_session(client: httpx.AsyncClient, forwarded_for: str) -> str | None:
    account = await signed_in(client)
    response = await log_in(client, account, **{"X-Forwarded-For": forwarded_for})
    assert response.status_code == 200, response.text
    sessions = (
        await client.get("/v1/me/sessions", headers=bearer(response.json()["access_token"]))
    ).json()
    (current,) = [s for s in sessions if s["current"]]
    address: str | None = current["ip"]
    return address


async def test_a_trusted_proxy_names_the_client(system: RunningSystem) -> None:
    # The suite's own API trusts 127.0.0.1, where this client connects from.
    async with system.client() as client:
        assert await _address_of_new_session(client, CLIENT) == CLIENT
        # Through a chain, the nearest hop the API does not trust is the client: what
        # it was handed from further away could be anything.
        assert await _address_of_new_session(client, f"{CLIENT}, 10.0.0.2") == "10.0.0.2"


async def test_an_untrusted_peer_cannot_name_another_address(
    settings: Settings, tmp_path: Path
) -> None:
    own = await isolated_settings(settings, tmp_path, api={"forwarded_allow_ips": ["192.0.2.1"]})
    async with running_system(own, [API]) as system, system.client() as client:
        assert await _address_of_new_session(client, CLIENT) == "127.0.0.1"


def test_a_proxy_that_is_no_address_is_refused_at_start() -> None:
    assert ApiSettings(forwarded_allow_ips=["10.0.0.0/8", "*"]).forwarded_allow_ips
    with pytest.raises(ValidationError):
        ApiSettings(forwarded_allow_ips=["ingress.internal"])
