"""The data export: a zip of everything held about the user, for the user only."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from infra.db.models import Export, Invoice, Notification
from infra.storage import FileNotStoredError, make_object_store
from producers.expiry import purge_expired_exports
from tests.support.api import new_user, upload, user_id_of, wait_for_status
from tests.support.billing import post_event, subscription_life
from tests.support.coach import converse
from tests.support.kafka import read_topic
from tests.support.privacy import unique_person
from tests.support.sse import collect_until
from tests.support.system import SUITE_WEBHOOK_SECRET, RunningSystem, wait_for


async def wait_for_export(
    client: httpx.AsyncClient, headers: dict[str, str], export_id: str
) -> dict[str, Any]:
    async def ready() -> dict[str, Any] | None:
        body: dict[str, Any] = (
            await client.get(f"/v1/me/exports/{export_id}", headers=headers)
        ).json()
        return body if body.get("status") != "queued" else None

    return await wait_for(ready, timeout=20, what=f"export {export_id}")


async def _recorded(system: RunningSystem, user_id: uuid.UUID) -> bool:
    """What the archive is checked for below has been written by its workers: they run
    in their own time, the export only reads what is there."""
    async with system.db.sessions() as session:
        invoices = await session.scalar(
            select(func.count()).select_from(Invoice).where(Invoice.user_id == user_id)
        )
        welcomes = await session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user_id, Notification.template == "welcome")
        )
    return bool(invoices) and welcomes == 2


async def test_the_export_holds_the_original_file_and_everything_else(
    system: RunningSystem,
) -> None:
    person = unique_person()
    async with system.client() as client:
        headers = await new_user(client)
        cv_id = (await upload(client, headers, person.cv(), "meu cv.txt", "text/plain")).json()[
            "id"
        ]
        await wait_for_status(client, headers, cv_id, "scored")
        key = await client.post(
            "/v1/me/api-keys", json={"name": "ci", "scopes": ["cvs:read"]}, headers=headers
        )
        coach_session, coach_reply = await converse(
            client, headers, "Como melhorar meu CV?", job_description="Vaga de analista."
        )
        life = subscription_life(user_id_of(headers))
        for event in life.events[:3]:
            assert (await post_event(client, event, SUITE_WEBHOOK_SECRET)).status_code == 200

        async def subscribed() -> bool:
            plan = await client.get("/v1/billing/subscription", headers=headers)
            return bool(plan.json()["plan"] == "pro")

        await wait_for(subscribed, timeout=20, what="the subscription to be applied")
        await wait_for(
            lambda: _recorded(system, user_id_of(headers)),
            timeout=20,
            what="the invoice and the welcome mail to be recorded",
        )
        async with client.stream("GET", "/v1/events", headers=headers) as stream:
            response = await client.post("/v1/me/export", headers=headers)
            assert response.status_code == 202, response.text
            export_id = response.json()["id"]
            events = await collect_until(
                stream, lambda evs: any(e.event == "user.export-ready" for e in evs)
            )
        state = await wait_for_export(client, headers, export_id)
        assert state["status"] == "ready", state
        assert state["download_url"] == f"/v1/me/exports/{export_id}/download"
        download = await client.get(state["download_url"], headers=headers)
        unauthenticated = await client.get(state["download_url"])

    ready = next(e for e in events if e.event == "user.export-ready")
    assert ready.data["export_id"] == export_id
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/zip"
    assert download.headers["cache-control"] == "no-store"
    assert unauthenticated.status_code == 401

    archive = zipfile.ZipFile(io.BytesIO(download.content))
    names = set(archive.namelist())
    manifest = json.loads(archive.read("manifest.json"))
    assert [s["name"] for s in manifest["sections"]] == [
        "profile",
        "cvs",
        "coach",
        "billing",
        "notifications",
        "events",
        "audit",
    ]
    notes = json.loads(archive.read("notifications/notifications.json"))
    # At least the welcome, on both channels; never the address it went to.
    assert {(n["template"], n["channel"]) for n in notes["notifications"]} >= {
        ("welcome", "email"),
        ("welcome", "in_app"),
    }
    billing = json.loads(archive.read("billing/billing.json"))
    assert billing["stripe_customers"] == [life.customer_id]
    assert [(s["id"], s["status"]) for s in billing["subscriptions"]] == [
        (life.subscription_id, "active")
    ]
    assert [i["amount_paid"] for i in billing["invoices"]] == [2990]
    [conversation] = json.loads(archive.read("coach/sessions.json"))
    assert conversation["id"] == coach_session
    assert conversation["job_description"] == "Vaga de analista."
    assert [m["text"] for m in conversation["messages"]] == [
        "Como melhorar meu CV?",
        coach_reply["text"],
    ]
    assert [m["suggestions"] for m in conversation["messages"]] == [[], []]
    assert archive.read(f"cvs/{cv_id}/original/meu cv.txt") == person.cv()
    parsed = json.loads(archive.read(f"cvs/{cv_id}/parsed.json"))
    assert parsed["contact"]["email"] == person.email
    analysis = json.loads(archive.read(f"cvs/{cv_id}/analyses/v1.json"))
    assert analysis["contact"]["email"] == person.email
    assert "score" in analysis
    profile = json.loads(archive.read("profile/profile.json"))
    assert profile["email"].startswith("user-")
    assert {"profile/sessions.json", "events/events.json", "audit/audit.json"} <= names
    keys = json.loads(archive.read("profile/api_keys.json"))
    assert [k["prefix"] for k in keys] == [key.json()["prefix"]]
    secret = key.json()["key"].encode()
    assert not [name for name in names if secret in archive.read(name)]
    event_types = {e["type"] for e in json.loads(archive.read("events/events.json"))}
    assert {"cv.parsed", "cv.scored"} <= event_types
    actions = {e["action"] for e in json.loads(archive.read("audit/audit.json"))}
    assert "privacy.export_requested" in actions

    # The event on the bus carries ids and a route, nothing else.
    records = [
        json.loads(r.value or b"{}") for r in await read_topic(system.settings, "user.export-ready")
    ]
    [mine] = [r for r in records if r["export_id"] == export_id]
    assert set(mine) - {
        "event_id",
        "type",
        "version",
        "occurred_at",
        "correlation_id",
        "causation_id",
        "user_id",
    } == {"export_id", "download_path", "size_bytes"}


async def test_another_users_export_is_not_found(system: RunningSystem) -> None:
    async with system.client() as client:
        owner = await new_user(client)
        stranger = await new_user(client)
        export_id = (await client.post("/v1/me/export", headers=owner)).json()["id"]
        await wait_for_export(client, owner, export_id)
        for path in (f"/v1/me/exports/{export_id}", f"/v1/me/exports/{export_id}/download"):
            response = await client.get(path, headers=stranger)
            assert response.status_code == 404, path
            assert response.json()["code"] == "not_found"
        missing = await client.get(f"/v1/me/exports/{uuid.uuid4()}", headers=owner)
        bad_id = await client.get("/v1/me/exports/not-an-id", headers=owner)
        anonymous = await client.post("/v1/me/export")
    assert missing.status_code == 404
    assert bad_id.status_code == 422
    assert anonymous.status_code == 401


async def test_an_export_not_ready_cannot_be_downloaded(system: RunningSystem) -> None:
    from infra.db.models import Export

    async with system.client() as client:
        headers = await new_user(client)
        from tests.support.api import user_id_of

        export_id = uuid.uuid4()
        async with system.db.transaction() as session:
            session.add(Export(id=export_id, user_id=user_id_of(headers), status="queued"))
        state = (await client.get(f"/v1/me/exports/{export_id}", headers=headers)).json()
        response = await client.get(f"/v1/me/exports/{export_id}/download", headers=headers)
    assert state == {
        "id": str(export_id),
        "status": "queued",
        "download_url": None,
        "expires_at": None,
    }
    assert response.status_code == 409
    assert response.json()["code"] == "export_not_ready"


async def test_an_expired_export_is_gone(system: RunningSystem) -> None:
    from datetime import UTC, datetime, timedelta

    from infra.db.models import Export
    from tests.support.api import user_id_of

    async with system.client() as client:
        headers = await new_user(client)
        export_id = uuid.uuid4()
        past = datetime.now(UTC) - timedelta(minutes=1)
        async with system.db.transaction() as session:
            session.add(
                Export(
                    id=export_id,
                    user_id=user_id_of(headers),
                    status="ready",
                    storage_key=f"exports/{user_id_of(headers)}/{export_id}.zip",
                    ready_at=past - timedelta(days=1),
                    expires_at=past,
                )
            )
        state = (await client.get(f"/v1/me/exports/{export_id}", headers=headers)).json()
        response = await client.get(f"/v1/me/exports/{export_id}/download", headers=headers)
    assert state["status"] == "expired"
    assert state["download_url"] is None
    assert response.status_code == 410
    assert response.json()["code"] == "export_expired"


async def test_an_expired_export_s_archive_is_deleted(system: RunningSystem) -> None:
    async with system.client() as client:
        headers = await new_user(client)
        export_id = (await client.post("/v1/me/export", headers=headers)).json()["id"]
        assert (await wait_for_export(client, headers, export_id))["status"] == "ready"
        async with system.db.transaction() as session:
            export = await session.get(Export, uuid.UUID(export_id))
            assert export is not None
            assert export.storage_key is not None
            storage_key = export.storage_key
            export.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        storage = make_object_store(system.settings)
        assert await storage.get(storage_key)

        assert await purge_expired_exports(system.db, storage) >= 1
        assert await purge_expired_exports(system.db, storage) == 0  # nothing left to do

        with pytest.raises(FileNotStoredError):
            await storage.get(storage_key)
        state = (await client.get(f"/v1/me/exports/{export_id}", headers=headers)).json()
        download = await client.get(f"/v1/me/exports/{export_id}/download", headers=headers)
    assert state["status"] == "expired"
    assert state["download_url"] is None
    assert download.status_code == 410
    assert download.json()["code"] == "export_expired"
