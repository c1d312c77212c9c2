"""Notifications through the running product: registering and uploading a CV mail the
user (through the suite's SMTP sink) and fill the in-app list; read marks, choices and
the one-click unsubscribe link."""

from __future__ import annotations

import re
from email.message import EmailMessage

import httpx

from infra.mail_sink import read_messages
from tests.support.api import new_user, upload, wait_for_status
from tests.support.documents import txt_cv
from tests.support.sse import collect_until
from tests.support.system import RunningSystem, wait_for


async def _me(client: httpx.AsyncClient, headers: dict[str, str]) -> str:
    email: str = (await client.get("/v1/me", headers=headers)).json()["email"]
    return email


async def _mails_to(system: RunningSystem, address: str, count: int) -> list[EmailMessage]:
    async def probe() -> list[EmailMessage] | None:
        found = [m for m in read_messages(system.settings.data_dir / "mail") if m["To"] == address]
        return found if len(found) >= count else None

    return await wait_for(probe, timeout=30, what=f"{count} mails to {address}")


async def test_register_and_upload_mail_once_and_list_in_app(system: RunningSystem) -> None:
    async with system.client() as client:
        headers = await new_user(client)
        address = await _me(client, headers)
        uploaded = await upload(client, headers, txt_cv(), "cv.txt", "text/plain")
        cv_id = uploaded.json()["id"]
        cv = await wait_for_status(client, headers, cv_id, "scored", timeout=30)
        mails = await _mails_to(system, address, 2)
        subjects = sorted(m["Subject"] for m in mails)
        assert subjects[0] == "Boas-vindas à Recoloca"
        scored = next(m for m in mails if "análise" in m["Subject"])
        # The real score, in Portuguese (the account's locale).
        assert f"nota {cv['analysis']['score']}/100" in scored["Subject"]
        assert scored["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

        async def listed() -> dict[str, object] | None:
            body: dict[str, object] = (
                await client.get("/v1/notifications", headers=headers)
            ).json()
            return body if body["total"] == 2 else None

        page = await wait_for(listed, timeout=15, what="two in-app notifications")
        assert page["unread"] == 2
        items = page["items"]
        assert isinstance(items, list)
        first = items[0]["id"]
        read = await client.post(f"/v1/notifications/{first}/read", headers=headers)
        assert read.status_code == 200, read.text
        assert read.json()["read_at"] is not None
        page = (await client.get("/v1/notifications", headers=headers)).json()
        assert page["unread"] == 1
        marked = await client.post("/v1/notifications/read-all", headers=headers)
        assert marked.json() == {"marked": 1}
        assert (await client.get("/v1/notifications", headers=headers)).json()["unread"] == 0

        # Another user cannot mark it.
        other = await new_user(client)
        response = await client.post(f"/v1/notifications/{first}/read", headers=other)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    # Still one of each after everything settled.
    assert len(await _mails_to(system, address, 2)) == 2


async def test_choices_and_one_click_unsubscribe(system: RunningSystem) -> None:
    async with system.client() as client:
        headers = await new_user(client)
        choices = (await client.get("/v1/me/notifications", headers=headers)).json()
        assert {
            "category": "analysis",
            "channel": "email",
            "enabled": True,
            "optional": True,
        } in choices
        refused = await client.put(
            "/v1/me/notifications",
            headers=headers,
            json={"choices": [{"category": "billing", "channel": "email", "enabled": False}]},
        )
        assert refused.status_code == 409
        assert refused.json()["code"] == "notification_not_optional"
        unknown = await client.put(
            "/v1/me/notifications",
            headers=headers,
            json={"choices": [{"category": "nope", "channel": "email", "enabled": False}]},
        )
        assert unknown.status_code == 422
        assert unknown.json()["code"] == "unknown_notification_choice"

        address = await _me(client, headers)
        uploaded = await upload(client, headers, txt_cv(), "cv.txt", "text/plain")
        await wait_for_status(client, headers, uploaded.json()["id"], "scored", timeout=30)
        mails = await _mails_to(system, address, 2)
        scored = next(m for m in mails if m["List-Unsubscribe"])
        link = re.fullmatch(r"<(.+)>", scored["List-Unsubscribe"])
        assert link is not None
        path = link.group(1)[link.group(1).index("/v1/") :]

        # Without logging in: the GET only asks; the POST (RFC 8058) turns it off.
        page = await client.get(path)
        assert page.status_code == 200
        assert "<form" in page.text
        assert (await client.get("/v1/me/notifications", headers=headers)).json() == choices
        done = await client.post(
            path,
            content=b"List-Unsubscribe=One-Click",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert done.status_code == 200, done.text
        after = (await client.get("/v1/me/notifications", headers=headers)).json()
        assert {
            "category": "analysis",
            "channel": "email",
            "enabled": False,
            "optional": True,
        } in after
        # A tampered token is refused.
        bad = await client.post(path[:-3] + "abc")
        assert bad.status_code == 400
        assert bad.json()["code"] == "invalid_unsubscribe_link"

        # The next analysis is not mailed; the in-app notification still comes.
        uploaded = await upload(client, headers, txt_cv(), "cv2.txt", "text/plain")
        await wait_for_status(client, headers, uploaded.json()["id"], "scored", timeout=30)

        async def three_in_app() -> bool:
            body = (await client.get("/v1/notifications", headers=headers)).json()
            return bool(body["total"] == 3)

        await wait_for(three_in_app, timeout=15, what="the third in-app notification")
    assert len(read_messages_to(system, address)) == 2


def read_messages_to(system: RunningSystem, address: str) -> list[EmailMessage]:
    return [m for m in read_messages(system.settings.data_dir / "mail") if m["To"] == address]


async def test_a_new_notification_is_pushed_on_the_event_stream(system: RunningSystem) -> None:
    async with system.client() as client:
        headers = await new_user(client)
        async with client.stream(
            "GET", "/v1/events", headers={**headers, "Last-Event-ID": "0"}, timeout=30
        ) as stream:
            assert stream.status_code == 200
            events = await collect_until(
                stream,
                lambda seen: any(e.event == "notification.created" for e in seen),
                timeout=20,
            )
    created = next(e for e in events if e.event == "notification.created")
    assert created.data["template"] == "welcome"
    assert created.data["title"] == "Boas-vindas à Recoloca"
    assert created.data["notification_id"]
