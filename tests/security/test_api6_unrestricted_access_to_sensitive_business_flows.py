"""OWASP API6:2023, unrestricted access to sensitive business flows: the flows that
would hurt a user most if a stolen access token could run them (erasing the account,
changing the password, turning the second factor off) ask for proof a token is not."""

from __future__ import annotations

from tests.support.identity import enrol, fresh_step, signed_in
from tests.support.system import RunningSystem


async def test_erasure_and_password_change_need_the_current_password(
    system: RunningSystem,
) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        erase = await client.request(
            "DELETE", "/v1/me", json={"password": "guessed wrong"}, headers=account.headers
        )
        assert erase.status_code == 403
        assert erase.json()["code"] == "invalid_password"
        change = await client.post(
            "/v1/me/password",
            json={"current_password": "guessed wrong", "new_password": "another long passphrase"},
            headers=account.headers,
        )
        assert change.status_code == 403
        assert (await client.get("/v1/me", headers=account.headers)).status_code == 200


async def test_with_mfa_on_a_password_alone_neither_erases_nor_disables_it(
    system: RunningSystem,
) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        await enrol(client, account, await fresh_step())
        erase = await client.request(
            "DELETE", "/v1/me", json={"password": account.password}, headers=account.headers
        )
        assert erase.status_code == 403
        assert erase.json()["code"] == "mfa_code_required"
        disable = await client.request(
            "DELETE",
            "/v1/me/mfa/totp",
            json={"password": account.password, "code": "000000"},
            headers=account.headers,
        )
        assert disable.status_code in {403, 422}
        me = (await client.get("/v1/me", headers=account.headers)).json()
        assert me["mfa_enabled"] is True
        # Enrolling again cannot swap in an attacker's authenticator.
        again = await client.post("/v1/me/mfa/totp", headers=account.headers)
        assert again.status_code == 409
