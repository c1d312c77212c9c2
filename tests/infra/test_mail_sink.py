"""The local mail sink of `make run`: without RECOLOCA_SMTP_HOST, mail is kept as .eml."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from entrypoints.dev import with_mail_sink
from infra import mail
from infra.mail_sink import read_messages
from infra.settings import Settings


async def test_without_a_host_mail_is_kept_as_eml_files(tmp_path: Path) -> None:
    settings, sink = with_mail_sink(Settings(data_dir=tmp_path))
    assert sink is not None
    try:
        assert settings.smtp.host == "127.0.0.1"
        outgoing = mail.OutgoingMail(
            to="ana@example.com",
            subject="Olá",
            text="texto",
            html="<p>texto</p>",
            message_id=mail.new_message_id(settings.smtp.from_address),
            date=datetime.now(UTC),
            unsubscribe_url="http://127.0.0.1:8000/v1/notifications/unsubscribe?token=t",
        )
        reply = await mail.send(settings.smtp, outgoing)
        assert reply.startswith("250")
    finally:
        sink.stop()
    (message,) = read_messages(tmp_path / "mail")
    assert message["Subject"] == "Olá"
    assert message["Message-ID"] == outgoing.message_id
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_body(preferencelist=("html",)) is not None


def test_with_a_host_no_sink_is_started(tmp_path: Path) -> None:
    configured = Settings(data_dir=tmp_path)
    configured = configured.model_copy(
        update={"smtp": configured.smtp.model_copy(update={"host": "mail.example.com"})}
    )
    settings, sink = with_mail_sink(configured)
    assert sink is None
    assert settings.smtp.host == "mail.example.com"
