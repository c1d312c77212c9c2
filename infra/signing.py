"""Signing the operator control messages that travel over Redis pub/sub."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

from pydantic import ValidationError

from schemas.control import SignedMessage


class InvalidSignatureError(Exception):
    """Unsigned, wrongly signed, malformed, or too old (a replay)."""


def _mac(key: bytes, issued_at: float, body: str) -> str:
    return hmac.new(key, f"{issued_at!r}.{body}".encode(), hashlib.sha256).hexdigest()


def sign(key: bytes, body: str, *, now: float | None = None) -> str:
    issued_at = time.time() if now is None else now
    signed = SignedMessage(body=body, issued_at=issued_at, signature=_mac(key, issued_at, body))
    return signed.model_dump_json()


def verify(key: bytes, data: str | bytes, *, max_age_seconds: float) -> str:
    """The body of a signed message, or ``InvalidSignatureError``."""
    try:
        signed = SignedMessage.model_validate_json(data)
    except ValidationError as exc:
        raise InvalidSignatureError("not a signed message") from exc
    expected = _mac(key, signed.issued_at, signed.body)
    if not hmac.compare_digest(expected, signed.signature):
        raise InvalidSignatureError("bad signature")
    if abs(time.time() - signed.issued_at) > max_age_seconds:
        raise InvalidSignatureError("expired")
    return signed.body


def sign_token(key: bytes, purpose: str, body: str) -> str:
    """A URL-safe token carrying ``body``, valid only for ``purpose`` (e.g. unsubscribe
    links in mails): ``<body>.<mac>``, both base64url."""
    encoded = base64.urlsafe_b64encode(body.encode()).rstrip(b"=").decode()
    mac = hmac.new(key, f"{purpose}.{encoded}".encode(), hashlib.sha256).digest()
    return f"{encoded}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"


def verify_token(key: bytes, purpose: str, token: str) -> str:
    """The body of a token made by :func:`sign_token`, or ``InvalidSignatureError``."""
    encoded, _, given = token.partition(".")
    expected = hmac.new(key, f"{purpose}.{encoded}".encode(), hashlib.sha256).digest()
    try:
        mac = base64.urlsafe_b64decode(given + "=" * (-len(given) % 4))
        body = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidSignatureError("malformed token") from exc
    if not hmac.compare_digest(expected, mac):
        raise InvalidSignatureError("bad signature")
    return body
