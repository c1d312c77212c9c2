"""Browser sessions: an opaque cookie that stands for the same token pair as the API.

The cookie holds a random handle; Redis maps it to the access and refresh tokens, so no
token ever reaches the page (or a URL). When the access token has expired, the first
request to notice refreshes it under a short lock and the others wait for the result:
a page, its event stream and its fetches all arrive at once, and a refresh token
presented twice would revoke the whole family.

Losing Redis signs browsers out; it loses no data (the tokens are replayable from a
new log-in).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from fastapi import Request, Response
from redis.asyncio import Redis

from api.services import auth
from api.services.audit import RequestMeta
from api.services.errors import CsrfFailedError, InvalidRefreshTokenError
from api.services.sessions import SessionChecks
from infra.db.session import Database
from infra.security import InvalidTokenError, decode_access_token
from infra.settings import Environment, Settings

SESSION_COOKIE = "recoloca_session"
# Before sign-in: the double-submit token of the anonymous forms (log-in, sign-up).
ANON_CSRF_COOKIE = "recoloca_csrf"
LOCALE_COOKIE = "recoloca_locale"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_KEY = "web:session:"
_LOCK = "web:session-lock:"
_LOCK_MS = 5000
# Refresh a little before the access token expires: a request started just before would
# otherwise carry a token that dies while it runs.
_EARLY_SECONDS = 30


@dataclass(frozen=True, slots=True)
class Stored:
    access_token: str
    refresh_token: str


def _digest(handle: str) -> str:
    # Redis keeps only a digest: a dump of it gives no cookie to replay.
    return hashlib.sha256(handle.encode()).hexdigest()


def csrf_token(settings: Settings, handle: str) -> str:
    """The session's CSRF token: derived from the handle with the server's key, so it
    needs no storage and means nothing without the (HttpOnly) cookie."""
    key = settings.auth.secret_key.get_secret_value().encode()
    return hmac.new(key, b"csrf:" + handle.encode(), hashlib.sha256).hexdigest()


def secure_cookies(settings: Settings) -> bool:
    return settings.env is Environment.PRODUCTION


def set_session_cookie(response: Response, settings: Settings, handle: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        handle,
        max_age=settings.auth.refresh_token_days * 86400,
        path="/",
        httponly=True,
        samesite="lax",
        secure=secure_cookies(settings),
    )


def set_locale_cookie(response: Response, settings: Settings, locale: str) -> None:
    """Remember the chosen language for a year."""
    response.set_cookie(
        LOCALE_COOKIE,
        locale,
        max_age=365 * 86400,
        path="/",
        samesite="lax",
        secure=secure_cookies(settings),
    )


def clear_session_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=secure_cookies(settings)
    )


async def start(redis: Redis, settings: Settings, pair: auth.TokenPair) -> str:
    """A new browser session for a freshly issued token pair; its cookie handle."""
    handle = secrets.token_urlsafe(32)
    await _save(redis, settings, handle, Stored(pair.access_token, pair.refresh_token))
    return handle


async def end(redis: Redis, handle: str) -> Stored | None:
    stored = await _load(redis, handle)
    await redis.delete(_KEY + _digest(handle))
    return stored


async def _save(redis: Redis, settings: Settings, handle: str, stored: Stored) -> None:
    body = json.dumps({"access": stored.access_token, "refresh": stored.refresh_token})
    await redis.set(_KEY + _digest(handle), body, ex=settings.auth.refresh_token_days * 86400)


async def _load(redis: Redis, handle: str) -> Stored | None:
    if not handle or len(handle) > 100:
        return None
    raw = await redis.get(_KEY + _digest(handle))
    if raw is None:
        return None
    body = json.loads(raw)
    return Stored(body["access"], body["refresh"])


def _fresh(settings: Settings, token: str) -> bool:
    try:
        claims = decode_access_token(token, settings.auth.secret_key.get_secret_value())
    except InvalidTokenError:
        return False
    return claims.expires_at.timestamp() - time.time() > _EARLY_SECONDS


async def access_token(
    redis: Redis,
    db: Database,
    settings: Settings,
    sessions: SessionChecks,
    handle: str,
    meta: RequestMeta,
) -> str | None:
    """The live access token of the browser session, refreshed (and rotated) when due;
    None when there is no such session or its refresh token was refused."""
    stored = await _load(redis, handle)
    if stored is None:
        return None
    if _fresh(settings, stored.access_token):
        return stored.access_token
    lock = _LOCK + _digest(handle)
    deadline = time.monotonic() + _LOCK_MS / 1000
    while not await redis.set(lock, "1", nx=True, px=_LOCK_MS):
        # Another request is refreshing this session: use what it stores.
        await asyncio.sleep(0.05)
        stored = await _load(redis, handle)
        if stored is None:
            return None
        if _fresh(settings, stored.access_token):
            return stored.access_token
        if time.monotonic() > deadline:
            return None
    try:
        stored = await _load(redis, handle)
        if stored is None:
            return None
        if _fresh(settings, stored.access_token):
            return stored.access_token
        try:
            async with db.sessions() as session:
                pair = await auth.refresh(
                    session, settings.auth, sessions, stored.refresh_token, meta
                )
        except InvalidRefreshTokenError:
            await redis.delete(_KEY + _digest(handle))
            return None
        await _save(redis, settings, handle, Stored(pair.access_token, pair.refresh_token))
        return pair.access_token
    finally:
        await redis.delete(lock)


def _same_origin(request: Request) -> bool:
    """Whether the request says it comes from this site (Origin, else Referer)."""
    source = request.headers.get("origin") or request.headers.get("referer")
    if not source or source == "null":
        return False
    parts = urlsplit(source)
    host = request.headers.get("host", "")
    return bool(parts.scheme in ("http", "https") and parts.netloc and parts.netloc == host)


async def _presented_token(request: Request) -> str | None:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        # Cached by Starlette: the route reads the same parsed form afterwards (the upload
        # form's limits of one file and a few fields are kept for it here).
        multipart = content_type.startswith("multipart/")
        form = await request.form(max_files=2, max_fields=8 if multipart else 64)
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


async def check_csrf(request: Request, expected: str) -> None:
    """Refuse a state-changing browser request that is cross-site or lacks the token."""
    if request.method in SAFE_METHODS:
        return
    if not _same_origin(request):
        raise CsrfFailedError("The request does not come from this site (Origin).")
    presented = await _presented_token(request)
    if presented is None or not hmac.compare_digest(presented, expected):
        raise CsrfFailedError("The CSRF token is missing or wrong; reload the page.")
