"""Signing the operator control messages that travel over Redis pub/sub."""

from __future__ import annotations

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
