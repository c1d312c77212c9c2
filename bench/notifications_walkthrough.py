"""Notifications end to end, as a scripted client against a running ``make run`` whose
mail goes to an SMTP server outside the product:

    python -c "import mailbox; mailbox.Maildir('/tmp/maildir')"   # the handler needs it
    python -m aiosmtpd -n -l 127.0.0.1:2525 -c aiosmtpd.handlers.Mailbox /tmp/maildir &
    RECOLOCA_SMTP_HOST=127.0.0.1 RECOLOCA_SMTP_PORT=2525 make run &
    python -m bench.notifications_walkthrough --maildir /tmp/maildir

For a Portuguese and then an English user: register → upload a CV → the welcome mail
with a working verification link and the "analysis ready" mail with the real score
arrive, in the user's language, once each → the in-app list shows both unread.
Exits non-zero at the first step that misbehaves.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import time
import uuid
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path
from typing import Any

import httpx

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PASSWORD = "uma senha longa e boa"
COPY = {
    "pt-BR": {"welcome": "Boas-vindas à Recoloca", "scored": "Sua análise está pronta: nota"},
    "en": {"welcome": "Welcome to Recoloca", "scored": "Your analysis is ready: score"},
}


def _check(condition: bool, what: str) -> None:
    print(("  ok   " if condition else "  FAIL ") + what, flush=True)
    if not condition:
        raise SystemExit(1)


def _mails_to(maildir: Path, address: str) -> list[EmailMessage]:
    parser = BytesParser(policy=default)
    found = []
    for folder in ("new", "cur"):
        for path in sorted((maildir / folder).glob("*")):
            parsed = parser.parsebytes(path.read_bytes())
            if parsed["To"] == address and isinstance(parsed, EmailMessage):
                found.append(parsed)
    return found


def _text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    return str(part.get_content()) if part is not None else ""


async def _wait_mails(maildir: Path, address: str, count: int) -> list[EmailMessage]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = _mails_to(maildir, address)
        if len(found) >= count:
            return found
        await asyncio.sleep(0.2)
    raise SystemExit(f"fewer than {count} mails reached {address} within 60 s")


async def _journey(client: httpx.AsyncClient, maildir: Path, locale: str) -> dict[str, float]:
    print(f"{locale}:", flush=True)
    copy = COPY[locale]
    address = f"walk-{uuid.uuid4().hex[:10]}@example.com"
    started = time.monotonic()
    registered = await client.post(
        "/v1/auth/register",
        json={"email": address, "password": PASSWORD},
        headers={"Accept-Language": f"{locale},en;q=0.5" if locale == "pt-BR" else "en-US"},
    )
    _check(registered.status_code == 201, f"register → 201 ({registered.status_code})")
    token = await client.post("/v1/auth/token", data={"username": address, "password": PASSWORD})
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    cv = (EXAMPLES / f"cv-{locale}.txt").read_bytes()
    sent = await client.post(
        "/v1/cvs", headers=headers, files={"file": ("cv.txt", cv, "text/plain")}
    )
    _check(sent.status_code == 202, f"upload → 202 ({sent.status_code})")
    body: dict[str, Any] = {}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        body = (await client.get(f"/v1/cvs/{sent.json()['id']}", headers=headers)).json()
        if body["status"] in ("scored", "failed"):
            break
        await asyncio.sleep(0.2)
    _check(body.get("status") == "scored", "the CV is scored")
    score = body["analysis"]["score"]

    mails = await _wait_mails(maildir, address, 2)
    arrived = time.monotonic() - started
    welcome = next((m for m in mails if m["Subject"] == copy["welcome"]), None)
    scored = next((m for m in mails if str(m["Subject"]).startswith(copy["scored"])), None)
    _check(welcome is not None, f"the welcome mail arrived in {locale}")
    _check(scored is not None, f"the analysis mail arrived in {locale}")
    assert welcome is not None
    assert scored is not None
    _check(f"{score}/100" in str(scored["Subject"]), f"it carries the real score ({score}/100)")
    _check(bool(welcome["Message-ID"]) and bool(welcome["Date"]), "Message-ID and Date are set")
    found = re.search(r"https?://\S+(/v1/auth/verify\?token=\S+)", _text(welcome))
    _check(found is not None, "the welcome mail has a verification link")
    assert found is not None
    verified = await client.get(found.group(1))
    _check(verified.status_code == 200, f"the verification link works ({verified.status_code})")
    me = (await client.get("/v1/me", headers=headers)).json()
    _check(me["email_verified_at"] is not None, "the address is verified")

    listed = (await client.get("/v1/notifications", headers=headers)).json()
    _check(listed["unread"] == 2, f"the in-app list shows 2 unread ({listed['unread']})")
    _check(
        sorted(i["template"] for i in listed["items"]) == ["cv_scored", "welcome"],
        "welcome and cv_scored are listed",
    )
    await asyncio.sleep(3)
    count = len(_mails_to(maildir, address))
    _check(count == 2, f"each mail arrived once ({count} mails)")
    return {"mails_in_s": arrived}


async def main(base_url: str, maildir: Path) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        timings = {locale: await _journey(client, maildir, locale) for locale in ("pt-BR", "en")}
    for locale, figures in timings.items():
        print(
            f"{locale}: both mails at the SMTP server {figures['mails_in_s']:.2f} s after register"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--maildir", type=Path, required=True)
    args = parser.parse_args()
    asyncio.run(main(args.base_url, args.maildir))
