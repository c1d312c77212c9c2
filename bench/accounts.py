"""The accounts walk-through, as a scripted client against a running ``make run``.

register → enrol TOTP → log-in needs the code → 11 wrong passwords give 429 → an API key
uploads a CV that gets scored → the export holds the original file byte-identical →
erasure → within 60 s the user's rows, files and Redis keys are gone, the old tokens and
the key are refused → an admin sees all of it in the audit log.

Run from the repository folder while ``make run`` runs in another terminal (the script
finds its embedded services the way the operator commands do):

    python -m bench.accounts [--base-url http://127.0.0.1:8000]

Exits non-zero at the first step that misbehaves.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path
from typing import Any

import httpx
import pyotp

from entrypoints.dev import attach_to_dev
from infra.db.session import Database
from infra.redis import make_redis
from infra.settings import get_settings
from tests.support.privacy import postgres_hits, redis_hits, storage_hits

ROOT = Path(__file__).resolve().parent.parent
CV = ROOT / "examples" / "cv-pt-BR.txt"
PASSWORD = "uma senha longa e boa"
ERASURE_DEADLINE_SECONDS = 60


def _check(condition: bool, what: str) -> None:
    print(("  ok   " if condition else "  FAIL ") + what, flush=True)
    if not condition:
        raise SystemExit(1)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _poll(probe: Any, seconds: float, interval: float = 0.2) -> Any:
    """What ``probe`` returns once it is not None, or None after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if (found := await probe()) is not None:
            return found
        await asyncio.sleep(interval)
    return None


def _code(secret: str, offset_steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * offset_steps)


async def _sign_up_with_mfa(
    client: httpx.AsyncClient, email: str
) -> tuple[dict[str, Any], list[str]]:
    print("register, enrol TOTP, log in with the code")
    registered = await client.post(
        "/v1/auth/register",
        json={"email": email, "password": PASSWORD},
        headers={"Accept-Language": "pt-BR"},
    )
    _check(registered.status_code == 201, f"register → 201 ({registered.status_code})")
    first = await client.post("/v1/auth/token", data={"username": email, "password": PASSWORD})
    tokens = first.json()
    started = await client.post("/v1/me/mfa/totp", headers=_bearer(tokens["access_token"]))
    secret = started.json()["secret"]
    confirmed = await client.post(
        "/v1/me/mfa/totp/confirm",
        json={"password": PASSWORD, "code": _code(secret)},
        headers=_bearer(tokens["access_token"]),
    )
    _check(confirmed.status_code == 200, "TOTP confirmed, recovery codes given")
    _check(len(confirmed.json()["recovery_codes"]) == 10, "ten recovery codes")

    step = await client.post("/v1/auth/token", data={"username": email, "password": PASSWORD})
    _check(
        step.status_code == 401 and step.json()["code"] == "mfa_required",
        "log-in now answers 401 mfa_required",
    )
    # The enrolment spent this step's code; the next step's is accepted (±1 step of skew).
    done = await client.post(
        "/v1/auth/mfa", json={"mfa_token": step.json()["mfa_token"], "code": _code(secret, 1)}
    )
    _check(done.status_code == 200, f"/v1/auth/mfa with the code → tokens ({done.status_code})")
    recovery_codes: list[str] = confirmed.json()["recovery_codes"]
    return done.json(), recovery_codes


async def _wrong_passwords(client: httpx.AsyncClient, email: str) -> None:
    print("11 wrong passwords")
    statuses = []
    for attempt in range(11):
        response = await client.post(
            "/v1/auth/token", data={"username": email, "password": f"wrong password {attempt}"}
        )
        statuses.append(response.status_code)
    last = response
    _check(statuses[0] == 401, "the first wrong password is a 401")
    _check(last.status_code == 429, f"the 11th is a 429 (statuses: {statuses})")
    _check(last.json().get("code") == "rate_limited", "with code rate_limited")
    _check(int(last.headers.get("retry-after", "0")) > 0, "and a Retry-After")


async def _key_uploads_a_cv(client: httpx.AsyncClient, session: dict[str, str]) -> tuple[str, str]:
    print("an API key uploads a CV that gets scored")
    created = await client.post(
        "/v1/me/api-keys",
        json={"name": "walk-through", "scopes": ["cvs:read", "cvs:write"]},
        headers=session,
    )
    _check(created.status_code == 201, "API key created")
    key = created.json()["key"]
    uploaded = await client.post(
        "/v1/cvs", headers=_bearer(key), files={"file": (CV.name, CV.read_bytes(), "text/plain")}
    )
    _check(uploaded.status_code == 202, f"upload with the key → 202 ({uploaded.status_code})")
    cv_id = uploaded.json()["id"]

    async def scored() -> dict[str, Any] | None:
        cv: dict[str, Any] = (await client.get(f"/v1/cvs/{cv_id}", headers=_bearer(key))).json()
        return cv if cv["status"] in ("scored", "failed") else None

    cv = await _poll(scored, 60)
    _check(cv is not None and cv["status"] == "scored", "the CV is scored")
    return key, cv_id


async def _export(client: httpx.AsyncClient, session: dict[str, str], cv_id: str) -> None:
    print("the export holds the original file byte-identical")
    requested = await client.post("/v1/me/export", headers=session)
    _check(requested.status_code == 202, "export requested → 202")
    export_id = requested.json()["id"]

    async def ready() -> dict[str, Any] | None:
        state: dict[str, Any] = (
            await client.get(f"/v1/me/exports/{export_id}", headers=session)
        ).json()
        return state if state["status"] != "queued" else None

    state = await _poll(ready, 60)
    _check(state is not None and state["status"] == "ready", "export ready")
    download = await client.get(state["download_url"], headers=session)
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    original = archive.read(f"cvs/{cv_id}/original/{CV.name}")
    _check(original == CV.read_bytes(), f"{CV.name} in the zip is byte-identical")


async def _erase(
    client: httpx.AsyncClient,
    tokens: dict[str, Any],
    recovery_code: str,
    key: str,
    user_id: uuid.UUID,
    email: str,
) -> tuple[float, str]:
    print("erasure")
    settings = attach_to_dev(get_settings())
    if not settings.database.url or not settings.redis.url:
        raise SystemExit("no running `make run` found in this folder (.recoloca/dev)")
    db = Database(settings.database.url, pool_size=1)
    redis = make_redis(settings.redis.url)
    try:
        erased = await client.request(
            "DELETE",
            "/v1/me",
            # This step's TOTP code is spent by the log-in; a recovery code will do.
            json={"password": PASSWORD, "code": recovery_code},
            headers=_bearer(tokens["access_token"]),
        )
        started = time.monotonic()
        _check(erased.status_code == 202, f"DELETE /v1/me → 202 ({erased.status_code})")
        needles = (str(user_id), email)

        async def gone() -> bool | None:
            left = (
                await postgres_hits(db, needles)
                + storage_hits(settings.data_dir / "files", user_id, needles)
                + await redis_hits(redis, user_id)
            )
            return True if not left else None

        nothing_left = await _poll(gone, ERASURE_DEADLINE_SECONDS, interval=0.5)
        seconds = time.monotonic() - started
        _check(bool(nothing_left), f"no row, file or Redis key of the user left ({seconds:.1f} s)")
    finally:
        await redis.aclose()
        await db.dispose()

    me = await client.get("/v1/me", headers=_bearer(tokens["access_token"]))
    _check(me.status_code == 401, "the old access token is refused")
    refreshed = await client.post(
        "/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    _check(refreshed.status_code == 401, "the old refresh token is refused")
    with_key = await client.get("/v1/cvs", headers=_bearer(key))
    _check(with_key.status_code == 401, "the API key is refused")
    return seconds, erased.json()["id"]


async def _admin_sees_it(client: httpx.AsyncClient, erasure_id: str) -> None:
    print("an admin sees it all in the audit log")
    email = f"admin-{uuid.uuid4().hex[:8]}@example.com"
    await asyncio.to_thread(
        subprocess.run,
        [str(ROOT / ".venv" / "bin" / "recoloca"), "users", "create-admin", email],
        env={**os.environ, "RECOLOCA_ADMIN_PASSWORD": PASSWORD},
        check=True,
        capture_output=True,
    )
    login = await client.post("/v1/auth/token", data={"username": email, "password": PASSWORD})
    _check(login.status_code == 200, "the admin logs in")
    admin = _bearer(login.json()["access_token"])
    # The trail outlives the account under a pseudonym, named by the completed erasure.
    completed = await client.get(
        "/v1/admin/audit", params={"action": "privacy.erasure_completed"}, headers=admin
    )
    _check(completed.status_code == 200, f"GET /v1/admin/audit → 200 ({completed.status_code})")
    entry = next(
        (e for e in completed.json()["items"] if e["detail"].get("erasure_id") == erasure_id),
        None,
    )
    _check(entry is not None, "the erasure is recorded as completed")
    assert entry is not None
    trail = await client.get(
        "/v1/admin/audit", params={"subject": entry["subject_id"], "limit": 100}, headers=admin
    )
    actions = {(e["action"], e["outcome"]) for e in trail.json()["items"]}
    for expected in (
        ("auth.login", "ok"),
        ("auth.login", "failed"),
        ("mfa.enabled", "ok"),
        ("api_key.created", "ok"),
        ("privacy.export_requested", "ok"),
        ("privacy.erasure_requested", "ok"),
        ("privacy.erasure_completed", "ok"),
    ):
        _check(expected in actions, f"audit holds {expected[0]} ({expected[1]})")


async def run(base_url: str) -> None:
    email = f"walk-{uuid.uuid4().hex[:10]}@example.com"
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        tokens, recovery_codes = await _sign_up_with_mfa(client, email)
        session = _bearer(tokens["access_token"])
        user_id = uuid.UUID((await client.get("/v1/me", headers=session)).json()["id"])
        await _wrong_passwords(client, email)
        key, cv_id = await _key_uploads_a_cv(client, session)
        await _export(client, session, cv_id)
        seconds, erasure_id = await _erase(client, tokens, recovery_codes[0], key, user_id, email)
        await _admin_sees_it(client, erasure_id)
    print(f"done: erasure complete in {seconds:.1f} s (limit {ERASURE_DEADLINE_SECONDS} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    args = parser.parse_args()
    try:
        asyncio.run(run(args.base_url))
    except httpx.ConnectError:
        sys.exit(f"nothing answers at {args.base_url}: start `make run` first")


if __name__ == "__main__":
    main()
