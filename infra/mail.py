"""The email channel's adapter: build a MIME message and hand it to an SMTP server.

What went wrong is sorted for the caller: :class:`TransientMailError` (4xx replies,
refused connections, timeouts: try again later) or :class:`PermanentMailError` (5xx:
trying again will not help), each with the server's reply when there was one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import aiosmtplib

from infra.settings import Settings, SmtpSettings
from infra.signing import InvalidSignatureError, sign_token, verify_token

_UNSUBSCRIBE = "unsubscribe"


class MailError(Exception):
    def __init__(self, message: str, reply: str | None = None) -> None:
        super().__init__(message)
        self.reply = reply


class TransientMailError(MailError):
    """Worth another try later."""


class PermanentMailError(MailError):
    """Refused for good (a 5xx reply)."""


@dataclass(frozen=True)
class OutgoingMail:
    to: str
    subject: str
    text: str
    html: str
    message_id: str
    date: datetime
    # RFC 8058 one-click unsubscribe, on optional mail only.
    unsubscribe_url: str | None = None


def new_message_id(sender: str) -> str:
    """A Message-ID in the sender's domain."""
    domain = sender.rsplit("@", 1)[-1].strip(" >") or "recoloca.local"
    return make_msgid(domain=domain)


def build_message(mail: OutgoingMail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(mail.date)
    message["Message-ID"] = mail.message_id
    if mail.unsubscribe_url:
        message["List-Unsubscribe"] = f"<{mail.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    return message


async def send(settings: SmtpSettings, mail: OutgoingMail) -> str:
    """Deliver ``mail``; the server's reply to the message, or a :class:`MailError`."""
    if not settings.host:
        raise TransientMailError("no SMTP host configured (RECOLOCA_SMTP_HOST)")
    message = build_message(mail, settings.from_address)
    try:
        _, reply = await aiosmtplib.send(
            message,
            hostname=settings.host,
            port=settings.port,
            username=settings.username,
            password=settings.password.get_secret_value() if settings.password else None,
            start_tls=settings.starttls,
            use_tls=False,
            timeout=settings.timeout_seconds,
        )
    except aiosmtplib.SMTPRecipientsRefused as exc:
        codes = [r.code for r in exc.recipients]
        replies = "; ".join(f"{r.code} {r.message}" for r in exc.recipients)
        cls = PermanentMailError if codes and all(c >= 500 for c in codes) else TransientMailError
        raise cls(f"recipient refused: {replies}", replies) from exc
    except aiosmtplib.SMTPResponseException as exc:
        reply = f"{exc.code} {exc.message}"
        cls = PermanentMailError if exc.code >= 500 else TransientMailError
        raise cls(f"SMTP server replied {reply}", reply) from exc
    except (TimeoutError, aiosmtplib.SMTPException, OSError) as exc:
        # Refused, reset, timed out, dropped mid-conversation: the server may come back.
        raise TransientMailError(f"{type(exc).__name__}: {exc}") from exc
    # aiosmtplib gives the text of the reply to DATA, whose code is always 250 on success.
    return f"250 {reply}"


def _link_key(settings: Settings) -> bytes:
    return b"notifications:" + settings.auth.secret_key.get_secret_value().encode()


def unsubscribe_url(settings: Settings, user_id: uuid.UUID, category: str) -> str:
    """The one-click link of an optional mail: turns ``category`` mail off for the user,
    without logging in (RFC 8058)."""
    token = sign_token(_link_key(settings), _UNSUBSCRIBE, f"{user_id}:{category}")
    return f"{settings.notifications.public_url}/v1/notifications/unsubscribe?token={token}"


def read_unsubscribe(settings: Settings, token: str) -> tuple[uuid.UUID, str]:
    """(user, category) of an unsubscribe token, or ``InvalidSignatureError``."""
    body = verify_token(_link_key(settings), _UNSUBSCRIBE, token)
    user, _, category = body.partition(":")
    try:
        return uuid.UUID(user), category
    except ValueError as exc:
        raise InvalidSignatureError("malformed token") from exc
