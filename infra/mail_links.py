"""The signed links that mails carry: one-click unsubscribe (RFC 8058) and e-mail
verification. Each token is valid for one purpose only; a verification token names the
address it was sent to and expires; an unsubscribe token carries a nonce so that each
mail's link can be used once."""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass

from infra.settings import Settings
from infra.signing import InvalidSignatureError, sign_token, verify_token

UNSUBSCRIBE = "unsubscribe"
VERIFY_EMAIL = "verify-email"


class ExpiredLinkError(InvalidSignatureError):
    """Signed by us, but past its validity."""


@dataclass(frozen=True)
class UnsubscribeLink:
    user_id: uuid.UUID
    category: str
    nonce: str


@dataclass(frozen=True)
class VerificationLink:
    user_id: uuid.UUID
    email_digest: str


def _key(settings: Settings) -> bytes:
    return b"notifications:" + settings.auth.secret_key.get_secret_value().encode()


def email_digest(email: str) -> str:
    """What a verification token says of the address: enough to tell a changed address,
    nothing to read it from."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def _user(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise InvalidSignatureError("malformed token") from exc


def unsubscribe_url(settings: Settings, user_id: uuid.UUID, category: str) -> str:
    """The one-click link of an optional mail: turns ``category`` mail off for the user,
    without logging in."""
    body = f"{user_id}:{category}:{secrets.token_urlsafe(12)}"
    token = sign_token(_key(settings), UNSUBSCRIBE, body)
    return f"{settings.notifications.public_url}/v1/notifications/unsubscribe?token={token}"


def read_unsubscribe(settings: Settings, token: str) -> UnsubscribeLink:
    """What an unsubscribe token says, or ``InvalidSignatureError``."""
    parts = verify_token(_key(settings), UNSUBSCRIBE, token).split(":")
    if len(parts) != 3 or not parts[2]:
        raise InvalidSignatureError("malformed token")
    return UnsubscribeLink(_user(parts[0]), parts[1], parts[2])


def verification_url(
    settings: Settings, user_id: uuid.UUID, email: str, *, now: float | None = None
) -> str:
    """The link that proves ``email`` reaches the user; valid for the configured hours."""
    issued = time.time() if now is None else now
    expires = int(issued + settings.notifications.verify_link_hours * 3600)
    token = sign_token(_key(settings), VERIFY_EMAIL, f"{user_id}:{email_digest(email)}:{expires}")
    return f"{settings.notifications.public_url}/v1/auth/verify?token={token}"


def read_verification(
    settings: Settings, token: str, *, now: float | None = None
) -> VerificationLink:
    """What a verification token says; ``ExpiredLinkError`` past its time, and
    ``InvalidSignatureError`` for anything we did not sign."""
    parts = verify_token(_key(settings), VERIFY_EMAIL, token).split(":")
    if len(parts) != 3 or not parts[2].isdigit():
        raise InvalidSignatureError("malformed token")
    if int(parts[2]) < (time.time() if now is None else now):
        raise ExpiredLinkError("expired")
    return VerificationLink(_user(parts[0]), parts[1])
