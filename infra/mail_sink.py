"""A local SMTP server that keeps every message it receives as an .eml file: the mail
server of ``recoloca dev`` when no ``RECOLOCA_SMTP_HOST`` is set, and of the tests."""

from __future__ import annotations

import email
import email.policy
import logging
import os
import time
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from infra.embedded import free_port


class MaildirHandler:
    """aiosmtpd handler: one ``<time>-<id>.eml`` per message, written whole or not at all."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content: bytes = envelope.original_content or envelope.content
        name = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}.eml"
        partial = self.directory / f".{name}.part"
        partial.write_bytes(content)
        os.replace(partial, self.directory / name)
        return "250 Message accepted for delivery"


@dataclass
class MailSink:
    directory: Path
    host: str
    port: int
    _controller: Any

    def stop(self) -> None:
        self._controller.stop()


def start_mail_sink(directory: Path, host: str = "127.0.0.1", port: int | None = None) -> MailSink:
    from aiosmtpd.controller import Controller

    # aiosmtpd logs every command and line of DATA at INFO/DEBUG: addresses and message
    # bodies are personal data, kept out of the logs.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    chosen = port or free_port()
    controller = Controller(MaildirHandler(directory), hostname=host, port=chosen)
    controller.start()
    return MailSink(directory=directory, host=host, port=chosen, _controller=controller)


def read_messages(directory: Path) -> list[EmailMessage]:
    """Every message in the sink, oldest first."""
    if not directory.is_dir():
        return []
    messages = []
    for path in sorted(directory.glob("*.eml")):
        parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        messages.append(parsed)
    return messages
