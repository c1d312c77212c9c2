"""Notifications through the running product: registering and uploading a CV mail the
user (through the suite's SMTP sink) and fill the in-app list; read marks, choices and
the one-click unsubscribe link."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from email.message import EmailMessage

import httpx
import pytest
from typer.testing import CliRunner, Result

from entrypoints.cli import app
from infra import mail_links
from infra.mail_sink import read_messages
from infra.settings import get_settings
from tests.support.api import PASSWORD, new_user, upload, user_id_of, wait_for_status
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

    return await wait_for(probe, timeout=60, what=f"{count} mails to {address}")


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
        # The link works once: a second use, GET or POST, is told it was used.
        for method in ("GET", "POST"):
            again = await client.request(method, path)
            assert again.status_code == 410, again.text
            assert again.json()["code"] == "unsubscribe_link_used"
        # A tampered token is refused.
        bad = await client.post(path[:-3] + "abc")
        assert bad.status_code == 400
        assert bad.json()["code"] == "invalid_unsubscribe_link"
        # Another user's token with this user's id in it does not verify either.
        other = await new_user(client)
        other_address = await _me(client, other)
        other_up = await upload(client, other, txt_cv(), "cv.txt", "text/plain")
        await wait_for_status(client, other, other_up.json()["id"], "scored", timeout=30)
        other_mail = next(
            m for m in await _mails_to(system, other_address, 2) if m["List-Unsubscribe"]
        )
        other_token = other_mail["List-Unsubscribe"].split("token=")[1].rstrip(">")
        mac = other_token.partition(".")[2]
        mine = path.split("token=")[1]
        forged = await client.post(
            f"/v1/notifications/unsubscribe?token={mine.partition('.')[0]}.{mac}"
        )
        assert forged.status_code == 400
        assert forged.json()["code"] == "invalid_unsubscribe_link"
        assert (await client.get("/v1/me/notifications", headers=other)).json() == choices

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


def _text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def _html(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())


async def test_the_welcome_mail_verifies_the_address(system: RunningSystem) -> None:
    async with system.client() as client:
        headers = await new_user(client)
        address = await _me(client, headers)
        assert (await client.get("/v1/me", headers=headers)).json()["email_verified_at"] is None
        (welcome,) = await _mails_to(system, address, 1)
        found = re.search(r"https?://\S+(/v1/auth/verify\?token=\S+)", _text(welcome))
        assert found is not None
        path = found.group(1)
        assert path in _html(welcome)

        verified = await client.get(path)
        assert verified.status_code == 200, verified.text
        assert verified.json()["email"] == address
        at = verified.json()["email_verified_at"]
        me = (await client.get("/v1/me", headers=headers)).json()
        assert me["email_verified_at"] == at
        # Following it again (a mail scanner, a second click) changes nothing.
        again = await client.get(path, headers={"Accept": "text/html"})
        assert again.status_code == 200
        assert "confirmado" in again.text
        assert (await client.get("/v1/me", headers=headers)).json()["email_verified_at"] == at

        tampered = await client.get(path[:-3] + "abc")
        assert tampered.status_code == 400
        assert tampered.json()["code"] == "invalid_verification_link"
        user_id = user_id_of(headers)
        stale = mail_links.verification_url(
            system.settings, user_id, address, now=time.time() - 73 * 3600
        )
        expired = await client.get(stale[stale.index("/v1/") :])
        assert expired.status_code == 410
        assert expired.json()["code"] == "verification_link_expired"
        # A link made for another address (the account's old one) proves nothing.
        moved = mail_links.verification_url(system.settings, user_id, "old@example.com")
        refused = await client.get(moved[moved.index("/v1/") :])
        assert refused.status_code == 400
        # An unsubscribe token is no verification token.
        unsubscribe = mail_links.unsubscribe_url(system.settings, user_id, "analysis")
        token = unsubscribe.split("token=")[1]
        confused = await client.get(f"/v1/auth/verify?token={token}")
        assert confused.status_code == 400
        assert confused.json()["code"] == "invalid_verification_link"


_FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"


async def test_security_alerts_tell_the_owner_of_new_devices_and_changes(
    system: RunningSystem,
) -> None:
    async with system.client() as client:
        headers = await new_user(client)
        address = await _me(client, headers)
        # The first sign-in follows the registration: no alert for it.
        await _mails_to(system, address, 1)

        async def sign_in(user_agent: str) -> dict[str, str]:
            response = await client.post(
                "/v1/auth/token",
                data={"username": address, "password": PASSWORD},
                headers={"User-Agent": user_agent},
            )
            assert response.status_code == 200, response.text
            return {"Authorization": f"Bearer {response.json()['access_token']}"}

        firefox = await sign_in(_FIREFOX)
        (_, new_device) = await _mails_to(system, address, 2)
        assert new_device["Subject"] == "Novo acesso à sua conta na Recoloca"
        text = _text(new_device)
        assert "Firefox · Windows" in text
        assert "127.0.0.1" in text
        assert "(America/Sao_Paulo)" in text
        assert new_device["List-Unsubscribe"] is None  # security mail cannot be turned off
        # The same device again is no news, nor is it after a browser update.
        await sign_in(_FIREFOX)
        await sign_in(_FIREFOX.replace("133.0", "134.0"))

        created = await client.post(
            "/v1/me/api-keys",
            json={"name": "<b>laptop</b>", "scopes": ["cvs:read"]},
            headers=firefox,
        )
        assert created.status_code == 201, created.text
        mails = await _mails_to(system, address, 3)
        key_mail = next(m for m in mails if "chave de API" in m["Subject"])
        assert "“<b>laptop</b>”" in _text(key_mail)
        assert "&lt;b&gt;laptop&lt;/b&gt;" in _html(key_mail)
        assert "<b>laptop</b>" not in _html(key_mail)

        changed = await client.post(
            "/v1/me/password",
            json={"current_password": PASSWORD, "new_password": "another horse battery staple"},
            headers=firefox,
        )
        assert changed.status_code == 200, changed.text
        mails = await _mails_to(system, address, 4)
        assert any(m["Subject"] == "A senha da sua conta na Recoloca foi alterada" for m in mails)

        async def four_in_app() -> dict[str, object] | None:
            body: dict[str, object] = (
                await client.get(
                    "/v1/notifications",
                    headers={"Authorization": f"Bearer {changed.json()['access_token']}"},
                )
            ).json()
            return body if body["total"] == 4 else None

        page = await wait_for(four_in_app, timeout=15, what="four in-app notifications")
        items = page["items"]
        assert isinstance(items, list)
        assert sum(1 for i in items if i["template"] == "security_alert") == 3
    # Exactly one mail per alert once everything settled: welcome + three alerts.
    assert len(read_messages_to(system, address)) == 4


async def test_an_operator_sends_a_notification_from_the_command_line(
    system: RunningSystem, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with system.client() as client:
        headers = await new_user(client)
        address = await _me(client, headers)
    monkeypatch.setenv("RECOLOCA_DATABASE_URL", system.settings.database.url or "")
    get_settings.cache_clear()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level

    def send(*args: str) -> Result:
        return CliRunner().invoke(app, ["notifications", "send", *args])

    try:
        data = json.dumps({"title": "Novidade na Recoloca", "body": "Agora com vagas."})
        sent = await asyncio.to_thread(send, "announcement", "--user", address, "--data", data)
        missing = await asyncio.to_thread(
            send, "announcement", "--user", address, "--data", '{"title": "no body"}'
        )
        unknown = await asyncio.to_thread(send, "nope", "--user", address)
        nobody = await asyncio.to_thread(
            send, "announcement", "--user", "nobody@example.com", "--data", data
        )
    finally:
        get_settings.cache_clear()
        root.handlers[:] = handlers
        root.setLevel(level)
    assert sent.exit_code == 0, sent.output
    assert "queued announcement" in sent.output
    for refused in (missing, unknown, nobody):
        assert refused.exit_code != 0
    mails = await _mails_to(system, address, 2)
    news = next(m for m in mails if m["Subject"] == "Novidade na Recoloca")
    assert "Agora com vagas." in _text(news)
    assert news["List-Unsubscribe"]
