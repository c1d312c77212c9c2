"""GET/PATCH /v1/me, the locale at registration, and the account events on the bus."""

from __future__ import annotations

import json
import uuid

import pytest

from infra.db.repositories import audit as audit_repo
from tests.support.identity import register, signed_in
from tests.support.kafka import read_topic
from tests.support.system import RunningSystem, wait_for


@pytest.mark.parametrize(
    ("accept_language", "body_locale", "expected"),
    [
        ("en-US,en;q=0.9,pt;q=0.8", None, "en"),
        ("fr, pt-PT;q=0.4, en;q=0.2", None, "pt-BR"),
        ("de", None, "pt-BR"),
        (None, None, "pt-BR"),
        ("pt-BR", "en", "en"),  # the body wins over the header
    ],
)
async def test_registration_takes_the_locale_from_accept_language(
    system: RunningSystem, accept_language: str | None, body_locale: str | None, expected: str
) -> None:
    headers = {"Accept-Language": accept_language} if accept_language else {}
    body = {"locale": body_locale} if body_locale else {}
    async with system.client() as client:
        account = await signed_in(client, headers=headers, **body)
        me = await client.get("/v1/me", headers=account.headers)
    assert me.status_code == 200
    assert me.json()["locale"] == expected
    assert me.json()["email"] == account.email
    assert me.json()["role"] == "user"
    assert me.json()["mfa_enabled"] is False
    assert me.json()["time_zone"] == "America/Sao_Paulo"


async def test_patch_changes_only_what_is_given(system: RunningSystem) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        first = await client.patch(
            "/v1/me",
            json={"display_name": "Ana", "time_zone": "Europe/Lisbon", "seniority": "senior"},
            headers=account.headers,
        )
        second = await client.patch(
            "/v1/me",
            json={"target_role": "Data engineer", "display_name": None},
            headers=account.headers,
        )
        me = (await client.get("/v1/me", headers=account.headers)).json()
    assert first.status_code == second.status_code == 200
    assert first.json()["display_name"] == "Ana"
    assert me["display_name"] is None
    assert me["time_zone"] == "Europe/Lisbon"
    assert me["seniority"] == "senior"
    assert me["target_role"] == "Data engineer"
    assert me["locale"] == "pt-BR"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"role": "admin"}, "role"),
        ({"email": "other@example.com"}, "email"),
        ({"id": str(uuid.uuid4())}, "id"),
        ({"display_name": "Ana", "role": "admin"}, "role"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"time_zone": "../../etc/passwd"}, "time_zone"),
        ({"locale": "fr"}, "locale"),
        ({"locale": None}, "locale"),
        ({"seniority": "god"}, "seniority"),
        ({"display_name": ""}, "display_name"),
        ({"display_name": "x" * 121}, "display_name"),
    ],
)
async def test_refused_fields_change_nothing(
    system: RunningSystem, body: dict[str, object], field: str
) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        before = (await client.get("/v1/me", headers=account.headers)).json()
        response = await client.patch("/v1/me", json=body, headers=account.headers)
        after = (await client.get("/v1/me", headers=account.headers)).json()
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert field in {str(part) for error in response.json()["errors"] for part in error["loc"]}
    assert after == before
    assert after["role"] == "user"


async def test_me_needs_a_token(system: RunningSystem) -> None:
    async with system.client() as client:
        assert (await client.get("/v1/me")).status_code == 401
        assert (await client.patch("/v1/me", json={"display_name": "x"})).status_code == 401


async def test_events_carry_ids_locale_and_field_names_only(system: RunningSystem) -> None:
    async with system.client() as client:
        account = await signed_in(client, headers={"Accept-Language": "en"})
        user_id = (await client.get("/v1/me", headers=account.headers)).json()["id"]
        await client.patch(
            "/v1/me",
            json={"display_name": "Zélia Quintanilha", "locale": "pt-BR"},
            headers=account.headers,
        )
        # The same values again change nothing, so no second event.
        await client.patch(
            "/v1/me", json={"display_name": "Zélia Quintanilha"}, headers=account.headers
        )

    async def events() -> dict[str, list[dict[str, object]]] | None:
        found: dict[str, list[dict[str, object]]] = {}
        for topic in ("user.registered", "user.updated"):
            for record in await read_topic(system.settings, topic):
                body = json.loads(record.value)
                if body["user_id"] == user_id:
                    found.setdefault(topic, []).append(body)
                    raw = record.value + b"".join(v for _, v in record.headers)
                    assert account.email.encode() not in raw
                    assert "Zélia".encode() not in raw
                    assert record.key == user_id.encode()
        return found if len(found) == 2 else None

    found = await wait_for(events, timeout=15, what="the account events")
    assert [e["locale"] for e in found["user.registered"]] == ["en"]
    assert [(e["locale"], e["changed"]) for e in found["user.updated"]] == [
        ("pt-BR", ["display_name", "locale"])
    ]
    async with system.db.sessions() as session:
        entries = await audit_repo.page(
            session, involving=uuid.UUID(user_id), action="profile.updated"
        )
    assert [e.detail for e in entries] == [{"fields": ["display_name", "locale"]}]


async def test_registration_refuses_weak_passwords_with_their_own_codes(
    system: RunningSystem,
) -> None:
    cases = {
        "pw1234": "password_too_short",
        "x" * 129: "password_too_long",
        "Password1": "password_too_common",
        "ＱＷＥＲＴＹＵＩＯＰ": "password_too_common",
    }
    async with system.client() as client:
        for password, code in cases.items():
            response = await client.post(
                "/v1/auth/register",
                json={"email": f"w-{uuid.uuid4().hex}@example.com", "password": password},
            )
            assert response.status_code == 422, password
            assert response.json()["code"] == code
            assert password not in response.text
        # A good one registers, so the codes above were about the password.
        assert (await register(client)).email
