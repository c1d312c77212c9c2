"""Pure ASGI middleware: request ids, the upload size cap, the body read deadline, the
browser security headers and the Host check."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import re
import uuid

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import problem

REQUEST_ID_HEADER = "x-request-id"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


class RequestIdMiddleware:
    """Takes ``X-Request-ID`` (or makes one), binds it as ``correlation_id`` for every
    log line of the request, and returns it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(REQUEST_ID_HEADER.encode(), b"").decode("latin-1")
        request_id = given if _VALID_REQUEST_ID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k != b"x-request-id"]
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        with structlog.contextvars.bound_contextvars(correlation_id=request_id):
            await self.app(scope, receive, send_with_id)


class BodyTooLargeError(Exception):
    pass


class BodySizeLimitMiddleware:
    """Refuses request bodies over ``max_bytes`` as they arrive, before they are parsed:
    at once from ``Content-Length``, or as soon as a chunked body passes the limit."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._reject(scope, receive, send)
            return
        received = 0
        exceeded = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    exceeded = True
                    raise BodyTooLargeError()
            return message

        async def guarded_send(message: Message) -> None:
            # Body parsers turn our error into their own 400: answer 413 instead.
            if not exceeded:
                await send(message)

        with contextlib.suppress(BodyTooLargeError):
            await self.app(scope, counting_receive, guarded_send)
        if exceeded:
            await self._reject(scope, receive, send)

    async def _reject(self, scope: Scope, receive: Receive, send: Send) -> None:
        mib = self.max_bytes // (1024 * 1024)
        response = problem(
            413,
            "file_too_large",
            "The request body is larger than the limit",
            f"The limit is {mib} MiB.",
        )
        response.headers["connection"] = "close"
        await response(scope, receive, send)


class BodyReadTimeoutError(Exception):
    pass


class BodyReadTimeoutMiddleware:
    """Bounds the time a client may take to send its body, so slow or stalled senders
    cannot hold connections (slowloris).

    Each chunk must arrive within ``idle_seconds``, and the whole body within
    ``grace_seconds`` plus its declared length at ``min_bytes_per_second`` (a slow but
    honest mobile upload passes; one byte every half second does not). Once the body is
    complete, ``receive`` is passed through untouched: streaming responses use it to
    hear a disconnect, for as long as they run.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        idle_seconds: float,
        grace_seconds: float,
        min_bytes_per_second: int,
    ) -> None:
        self.app = app
        self.idle_seconds = idle_seconds
        self.grace_seconds = grace_seconds
        self.min_bytes_per_second = min_bytes_per_second

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        declared = dict(scope["headers"]).get(b"content-length", b"")
        length = int(declared) if declared.isdigit() else 0
        deadline = loop.time() + self.grace_seconds + length / self.min_bytes_per_second
        body_done = False
        timed_out = False
        started = False

        async def timed_receive() -> Message:
            nonlocal body_done, timed_out
            if body_done:
                return await receive()
            wait = min(self.idle_seconds, deadline - loop.time())
            try:
                async with asyncio.timeout(max(wait, 0.0)):
                    message = await receive()
            except TimeoutError:
                timed_out = True
                raise BodyReadTimeoutError() from None
            if message["type"] != "http.request" or not message.get("more_body", False):
                body_done = True
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if timed_out:
                return  # the body parser's own error for our exception: answer 408 instead
            started = started or message["type"] == "http.response.start"
            await send(message)

        with contextlib.suppress(BodyReadTimeoutError):
            await self.app(scope, timed_receive, tracking_send)
        if timed_out and not started:
            response = problem(408, "request_timeout", "The request body arrived too slowly", None)
            response.headers["connection"] = "close"
            await response(scope, receive, send)


# For server-rendered pages whose scripts, styles and fonts are all served from here.
_CSP: dict[str, str] = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def content_security_policy(**overrides: str) -> str:
    """The site's policy with some directives replaced (``style_src="..."``), for a page
    that needs more than the rest."""
    directives = {**_CSP, **{name.replace("_", "-"): value for name, value in overrides.items()}}
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def csp_hash(inline: str) -> str:
    """The CSP source that allows exactly this inline ``<style>`` or ``<script>`` body."""
    digest = base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()
    return f"'sha256-{digest}'"


class SecurityHeadersMiddleware:
    """Adds the browser protections to every response; a header the route set itself
    (a page's own Content-Security-Policy) is kept."""

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.headers: list[tuple[bytes, bytes]] = [
            (b"content-security-policy", content_security_policy().encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"strict-origin-when-cross-origin"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
        ]
        if hsts:
            # Only behind TLS: a browser that saw it will refuse plain HTTP for a year.
            self.headers.append(
                (b"strict-transport-security", b"max-age=31536000; includeSubDomains")
            )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend(item for item in self.headers if item[0] not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


# Orchestrators probe these by address, with whatever Host header that gives.
_ANY_HOST_PATHS = frozenset({"/healthz", "/readyz"})


def _hostname(host_header: str) -> str:
    if host_header.startswith("["):  # an IPv6 address, whose colons are not the port's
        return host_header.split("]", 1)[0] + "]"
    return host_header.split(":", 1)[0]


class TrustedHostMiddleware:
    """Answers only requests whose Host is one of ``allowed`` (``*.example.com`` for
    subdomains), so links and redirects built from it cannot point elsewhere."""

    def __init__(self, app: ASGIApp, *, allowed: list[str]) -> None:
        self.app = app
        self.any_host = "*" in allowed
        self.exact = {host.lower() for host in allowed if not host.startswith("*.")}
        self.suffixes = tuple(host[1:].lower() for host in allowed if host.startswith("*."))

    def allows(self, host: str) -> bool:
        return (
            self.any_host
            or host in self.exact
            or (bool(self.suffixes) and host.endswith(self.suffixes))
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or scope.get("path") in _ANY_HOST_PATHS:
            await self.app(scope, receive, send)
            return
        host = _hostname(dict(scope["headers"]).get(b"host", b"").decode("latin-1").lower())
        if self.allows(host):
            await self.app(scope, receive, send)
            return
        response = problem(400, "invalid_host", "The Host header names no site served here")
        await response(scope, receive, send)
