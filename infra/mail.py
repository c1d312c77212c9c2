"""The email channel's adapter: build a MIME message and hand it to an SMTP server.

What went wrong is sorted for the caller: :class:`TransientMailError` (4xx replies,
refused connections, timeouts: try again later) or :class:`PermanentMailError` (5xx:
trying again will not help), each with the server's reply when there was one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import aiosmtplib

from infra.settings import SmtpSettings


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
