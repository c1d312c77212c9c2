"""The notifications service against a real SMTP server (aiosmtpd) started here: both
parts and the headers arrive, each event mails once, transient failures are retried,
permanent ones recorded, choices respected."""

from __future__ import annotations

import asyncio
import email
import email.policy
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from consumers.context import WorkerContext
from consumers.notifications import service
from consumers.notifications.render import sample_data
from consumers.runtime import PermanentError
from infra import mail
from infra.db.models import Analysis, Cv, Notification, User, UserEvent
from infra.db.repositories import audit as audit_repo
from infra.db.repositories import notifications as repo
from infra.embedded import free_port
from infra.ratelimit import StreamSlots
from infra.settings import Settings
from schemas import notifications as cat
from schemas.billing import PaymentFailed, Plan, SubscriptionChanged
from schemas.coach import CoachReplyCompleted
from schemas.envelope import Event
from schemas.events import CvFailed, CvScored
from schemas.privacy import UserExportReady
from schemas.users import (
    NotificationRequested,
    SecurityAlertKind,
    UserRegistered,
    UserSecurityAlert,
)


class ScriptedServer:
    """An SMTP handler that answers DATA with the scripted replies first, then 250."""

    def __init__(self) -> None:
        self.replies: list[str] = []
        self.received: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.replies:
            return self.replies.pop(0)
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        parsed["X-Envelope-To"] = ",".join(envelope.rcpt_tos)
        self.received.append(parsed)
        return "250 2.0.0 Ok: queued"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.received if m["To"] == address]


@pytest.fixture
def smtp_server() -> Iterator[tuple[ScriptedServer, int]]:
    handler = ScriptedServer()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@pytest.fixture
async def ctx(
    settings: Settings, smtp_server: tuple[ScriptedServer, int]
) -> AsyncIterator[WorkerContext]:
    _, port = smtp_server
    smtp = settings.smtp.model_copy(
        update={"host": "127.0.0.1", "port": port, "backoff_seconds": 0.01, "timeout_seconds": 5}
    )
    context = WorkerContext.from_settings(settings.model_copy(update={"smtp": smtp}))
    yield context
    await context.close()


async def _user(ctx: WorkerContext, locale: str = "pt-BR", name: str | None = "Ana") -> User:
    async with ctx.db.transaction() as session:
        user = User(
            id=uuid.uuid4(),
            email=f"n-{uuid.uuid4().hex[:10]}@example.com",
            password_hash="x",
            locale=locale,
            display_name=name,
        )
        session.add(user)
    return user


async def _rows(ctx: WorkerContext, user_id: uuid.UUID) -> list[Notification]:
    async with ctx.db.sessions() as session:
        return list(await repo.of_user(session, user_id))


async def _scored_cv(ctx: WorkerContext, user: User, score: int = 58) -> Cv:
    async with ctx.db.transaction() as session:
        cv = Cv(
            id=uuid.uuid4(),
            user_id=user.id,
            filename="cv.pdf",
            storage_key="k",
            file_kind="pdf",
            size_bytes=1,
            correlation_id="test",
            status="scored",
        )
        session.add(cv)
        await session.flush()
        suggestions = [
            {"category": "impact", "severity": "low", "message": "Say more about the team"},
            {"category": "impact", "severity": "high", "message": "Quantify your results"},
            {"category": "format", "severity": "medium", "message": "Use one date format"},
            {"category": "skills", "severity": "high", "message": "List your tools"},
        ]
        session.add(
            Analysis(
                id=uuid.uuid4(),
                cv_id=cv.id,
                version=1,
                provider="offline",
                rubric_version="t",
                score=score,
                body=_analysis_body(score, suggestions),
            )
        )
    return cv


def _analysis_body(score: int, suggestions: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "score": score,
        "language": "en",
        "provider": "offline",
        "rubric_version": "t",
        "contact": {},
        "sections": [],
        "skills": [],
        "experience": [],
        "education": [],
        "breakdown": [],
        "suggestions": suggestions,
    }


def _parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None
    assert html is not None
    return text.get_content(), html.get_content()


async def _audit_entry(ctx: WorkerContext, user: User, action: str = "auth.login") -> int:
    async with ctx.db.transaction() as session:
        entry = await audit_repo.append(
            session,
            action=action,
            outcome="ok",
            actor_id=user.id,
            subject_id=user.id,
            ip="203.0.113.9",
            user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Version/18.0 Safari/604.1",
            request_id=None,
            detail={},
        )
        return entry.id


def _events_for(user: User, cv: Cv | None = None, audit_id: int = 0) -> dict[str, Event]:
    common: dict[str, Any] = {"correlation_id": "t", "user_id": user.id}
    cv_id = cv.id if cv else uuid.uuid4()
    return {
        "security_alert": UserSecurityAlert(
            kind=SecurityAlertKind.NEW_DEVICE, audit_id=audit_id, **common
        ),
        "coach_replied": CoachReplyCompleted(
            session_id=uuid.uuid4(), message_id=uuid.uuid4(), **common
        ),
        "announcement": NotificationRequested(
            template="announcement",
            data={"title": "Novidade", "body": "Um parágrafo.\n\nOutro parágrafo."},
            **common,
        ),
        "welcome": UserRegistered(locale="pt-BR", **common),
        "cv_scored": CvScored(cv_id=cv_id, analysis_version=1, score=58, provider="x", **common),
        "cv_failed": CvFailed(
            cv_id=cv_id, stage="parsing", code="no_extractable_text", reason="r", **common
        ),
        "subscription_changed": SubscriptionChanged(
            plan=Plan.PRO,
            previous_plan=Plan.FREE,
            status="active",
            previous_status="none",
            reason="customer.subscription.created",
            **common,
        ),
        "payment_failed": PaymentFailed(
            invoice_id="in_1", amount_due=2990, currency="brl", **common
        ),
        "export_ready": UserExportReady(
            export_id=uuid.uuid4(), download_path="/v1/me/exports/x", size_bytes=10, **common
        ),
    }


@pytest.mark.parametrize("locale", cat.LOCALES)
async def test_each_template_arrives_with_both_parts_and_headers(
    ctx: WorkerContext, smtp_server: tuple[ScriptedServer, int], locale: str
) -> None:
    server, _ = smtp_server
    user = await _user(ctx, locale=locale)
    cv = await _scored_cv(ctx, user)
    events = _events_for(user, cv, await _audit_entry(ctx, user))
    assert set(events) == set(cat.TEMPLATES)
    for event in events.values():
        await service.handle(ctx, event)

    received = server.to(user.email)
    assert len(received) == len(cat.TEMPLATES)
    ids = set()
    for message in received:
        text, html = _parts(message)
        assert "Ana" in text
        assert "Ana" in html
        assert message["Date"]
        assert message["Message-ID"].startswith("<")
        assert message["Message-ID"].endswith("@recoloca.local>")
        ids.add(message["Message-ID"])
        assert f'lang="{locale}"' in html
    assert len(ids) == len(received)
    subjects = {m["Subject"] for m in received}
    scored = next(m for m in received if "58" in m["Subject"])
    text, html = _parts(scored)
    # The real score and the three most severe fixes, most severe first.
    assert "58/100" in text
    assert text.index("Quantify your results") < text.index("Use one date format")
    assert "List your tools" in html
    assert "Say more about the team" not in text
    assert f"/v1/cvs/{cv.id}" in text
    # Optional mail carries RFC 8058 headers; transactional mail does not.
    assert scored["List-Unsubscribe"].startswith("<http")
    assert scored["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    welcome = next(
        m for m in received if ("Welcome" if locale == "en" else "Boas-vindas") in m["Subject"]
    )
    assert welcome["List-Unsubscribe"] is None
    assert len(subjects) == len(received)

    rows = await _rows(ctx, user.id)
    emails = [r for r in rows if r.channel == cat.EMAIL]
    assert {r.status for r in emails} == {cat.SENT}
    assert all(r.attempts == 1 and r.smtp_reply and "250" in r.smtp_reply for r in emails)
    in_app = [r for r in rows if r.channel == cat.IN_APP]
    assert len(in_app) == len(cat.TEMPLATES)
    async with ctx.db.sessions() as session:
        created = await session.scalar(
            select(func.count())
            .select_from(UserEvent)
            .where(UserEvent.user_id == user.id, UserEvent.type == "notification.created")
        )
    assert created == len(cat.TEMPLATES)


async def test_the_same_event_twice_sends_one_email(
    ctx: WorkerContext, smtp_server: tuple[ScriptedServer, int]
) -> None:
    server, _ = smtp_server
    user = await _user(ctx)
    event = UserRegistered(locale="pt-BR", correlation_id="t", user_id=user.id)
    await service.handle(ctx, event)
    await service.handle(ctx, event)
    # Replayed by an operator: the same event id again, as a fresh copy.
    await service.handle(ctx, UserRegistered.model_validate_json(event.model_dump_json()))
    assert len(server.to(user.email)) == 1
    assert len(await _rows(ctx, user.id)) == 2  # one email, one in-app


async def test_concurrent_deliveries_of_one_event_send_one_email(
    ctx: WorkerContext, smtp_server: tuple[ScriptedServer, int]
) -> None:
    server, _ = smtp_server
    user = await _user(ctx)
    event = UserRegistered(locale="pt-BR", correlation_id="t", user_id=user.id)
    await asyncio.gather(*(service.handle(ctx, event) for _ in range(5)))
    assert len(server.to(user.email)) == 1


async def test_transient_failure_then_success_sends_once(
    ctx: WorkerContext, smtp_server: tuple[ScriptedServer, int]
) -> None:
    server, _ = smtp_server
    server.replies = ["451 4.3.0 Try again later"]
    user = await _user(ctx)
    await service.handle(ctx, UserRegistered(locale="pt-BR", correlation_id="t", user_id=user.id))
    assert len(server.to(user.email)) == 1
    (row,) = [r for r in await _rows(ctx, user.id) if r.channel == cat.EMAIL]
    assert row.status == cat.SENT
    assert row.attempts == 2
    assert row.last_error is None


async def test_transient_failures_past_the_bound_go_to_the_runtime(
    ctx: WorkerContext, smtp_server: tuple[ScriptedServer, int]
) -> None:
    server, _ = smtp_server
    attempts = ctx.settings.smtp.send_attempts
    server.replies = ["421 4.7.0 Busy"] * attempts
    user = await _user(ctx)
    event = UserRegistered(locale="pt-BR", correlation_id="t", user_id=user.id)
    with pytest.raises(mail.TransientMailError):
        await service.handle(ctx, event)
    (row,) = [r for r in await _rows(ctx, user.id) if r.channel == cat.EMAIL]
    assert row.status == cat.QUEUED
    assert row.attempts == attempts
    assert row.smtp_reply is not None
    assert row.smtp_reply.startswith("421")
    # The runtime's retry delivers the event again: now it goes through, once.
    await service.handle(ctx, event)
    await service.handle(ctx, event)
    assert len(server.to(user.email)) == 1


async def test_permanent_failure_is_recorded_and_not_retried(
    ctx: WorkerContext, smtp_server: tuple[ScriptedServer, int]
) -> None:
    server, _ = smtp_server
    server.replies = ["550 5.1.1 Mailbox unavailable"]
    user = await _user(ctx)
    event = UserRegistered(locale="pt-BR", correlation_id="t", user_id=user.id)
    await service.handle(ctx, event)
    (row,) = [r for r in await _rows(ctx, user.id) if r.channel == cat.EMAIL]
    assert row.status == cat.FAILED
    assert row.attempts == 1
    assert row.smtp_reply is not None
    assert row.smtp_reply.startswith("550")
    await service.handle(ctx, event)
    assert server.received == [] or server.to(user.email) == []


async def test_a_hard_bounce_suppresses_later_optional_mail(
    ctx: WorkerContext, smtp_server: tuple[ScriptedServer, int]
) -> None:
    server, _ = smtp_server
    server.replies = ["550 5.1.1 No such user"]
    user = await _user(ctx)
    cv = await _scored_cv(ctx, user)
    events = _events_for(user, cv)
    await service.handle(ctx, events["welcome"])
    await service.handle(ctx, events["cv_scored"])
    await service.handle(ctx, events["payment_failed"])
    rows = {(r.template, r.channel): r.status for r in await _rows(ctx, user.id)}
    assert rows[("welcome", cat.EMAIL)] == cat.FAILED
    assert rows[("cv_scored", cat.EMAIL)] == cat.SUPPRESSED
    # Transactional mail is still tried, and goes through once the address works.
    assert rows[("payment_failed", cat.EMAIL)] == cat.SENT
    assert len(server.to(user.email)) == 1


async def test_connection_refused_is_transient(settings: Settings) -> None:
    smtp = settings.smtp.model_copy(update={"host": "127.0.0.1", "port": free_port()})
    outgoing = mail.OutgoingMail(
        to="a@example.com",
        subject="s",
        text="t",
        html="<p>t</p>",
        message_id=mail.new_message_id(smtp.from_address),
        date=datetime.now(UTC),
    )
    with pytest.raises(mail.TransientMailError):
        await mail.send(smtp, outgoing)


async def test_opting_out_suppresses_optional_mail_only(
    ctx: WorkerContext, smtp_server: tuple[ScriptedServer, int]
) -> None:
    server, _ = smtp_server
    user = await _user(ctx, locale="en")
    cv = await _scored_cv(ctx, user)
    async with ctx.db.transaction() as session:
        await repo.set_choice(session, user.id, "analysis", cat.EMAIL, False)
    events = _events_for(user, cv)
    await service.handle(ctx, events["cv_scored"])
    await service.handle(ctx, events["payment_failed"])
    received = server.to(user.email)
    assert [m["Subject"] for m in received] == ["We could not charge your subscription"]
    rows = {(r.template, r.channel): r.status for r in await _rows(ctx, user.id)}
    assert rows[("cv_scored", cat.EMAIL)] == cat.SUPPRESSED
    # The in-app channel is a choice of its own.
    assert rows[("cv_scored", cat.IN_APP)] == cat.SENT


async def test_a_cv_outcome_the_user_watched_arrive_is_not_mailed(
    ctx: WorkerContext, smtp_server: tuple[ScriptedServer, int]
) -> None:
    server, _ = smtp_server
    user = await _user(ctx, locale="en")
    watched, unwatched = await _scored_cv(ctx, user), await _scored_cv(ctx, user)
    slots = StreamSlots(ctx.redis, ctx.settings.ratelimit)
    slot = await slots.acquire(str(user.id))
    try:
        await service.handle(ctx, _events_for(user, watched)["cv_scored"])
        await service.handle(ctx, _events_for(user, watched)["cv_failed"])
    finally:
        await slots.release(slot)
    assert server.to(user.email) == []
    rows = await _rows(ctx, user.id)
    assert {(r.template, r.channel, r.status) for r in rows} == {
        ("cv_scored", cat.EMAIL, cat.SUPPRESSED),
        ("cv_scored", cat.IN_APP, cat.SENT),
        ("cv_failed", cat.EMAIL, cat.SUPPRESSED),
        ("cv_failed", cat.IN_APP, cat.SENT),
    }
    # Once the stream is closed, the next outcome is mailed again.
    await service.handle(ctx, _events_for(user, unwatched)["cv_scored"])
    assert [m["Subject"] for m in server.to(user.email)] == ["Your analysis is ready: score 58/100"]


async def test_sample_data_covers_every_template() -> None:
    for template in cat.TEMPLATES:
        assert sample_data(template, "en")["name"]


async def test_a_burst_of_500_events_sends_500_emails_once_each(
    ctx: WorkerContext, smtp_server: tuple[ScriptedServer, int]
) -> None:
    server, _ = smtp_server
    async with ctx.db.transaction() as session:
        users = [
            User(
                id=uuid.uuid4(),
                email=f"b-{uuid.uuid4().hex[:12]}@example.com",
                password_hash="x",
                locale="en" if i % 2 else "pt-BR",
            )
            for i in range(500)
        ]
        session.add_all(users)
    events = [UserRegistered(locale="pt-BR", correlation_id="b", user_id=u.id) for u in users]
    # Every event twice, as a redelivery would, a few at a time (the pool's size).
    gate = asyncio.Semaphore(4)

    async def one(event: Event) -> None:
        async with gate:
            await service.handle(ctx, event)

    started = time.perf_counter()
    await asyncio.gather(*(one(e) for e in events + events))
    elapsed = time.perf_counter() - started
    addresses = [m["To"] for m in server.received]
    assert len(addresses) == 500
    assert set(addresses) == {u.email for u in users}
    print(f"\n500 emails (1000 deliveries) in {elapsed:.1f}s: {500 / elapsed:.0f} emails/s")


async def test_a_security_alert_names_the_time_address_and_device(
    ctx: WorkerContext, smtp_server: tuple[ScriptedServer, int]
) -> None:
    server, _ = smtp_server
    user = await _user(ctx, locale="en")
    events = _events_for(user, audit_id=await _audit_entry(ctx, user))
    await service.handle(ctx, events["security_alert"])
    (alert,) = server.to(user.email)
    text, _ = _parts(alert)
    assert alert["Subject"] == "New sign-in to your Recoloca account"
    assert "203.0.113.9" in text
    assert "Safari · iPhone" in text
    assert "(America/Sao_Paulo)" in text
    # Opting out is not possible for security mail: the choice is ignored.
    async with ctx.db.transaction() as session:
        await repo.set_choice(session, user.id, "security", cat.EMAIL, False)
    again = UserSecurityAlert(
        kind=SecurityAlertKind.PASSWORD_CHANGED,
        audit_id=await _audit_entry(ctx, user, "auth.password_changed"),
        correlation_id="t",
        user_id=user.id,
    )
    await service.handle(ctx, again)
    assert [m["Subject"] for m in server.to(user.email)][-1] == "Your Recoloca password was changed"


async def test_an_alert_naming_another_users_audit_entry_sends_nothing(
    ctx: WorkerContext, smtp_server: tuple[ScriptedServer, int]
) -> None:
    server, _ = smtp_server
    user, other = await _user(ctx), await _user(ctx)
    events = _events_for(user, audit_id=await _audit_entry(ctx, other))
    await service.handle(ctx, events["security_alert"])
    assert server.to(user.email) == []
    assert await _rows(ctx, user.id) == []


async def test_coach_replies_notify_once_per_session_per_hour_and_never_a_watcher(
    ctx: WorkerContext, smtp_server: tuple[ScriptedServer, int]
) -> None:
    server, _ = smtp_server
    user = await _user(ctx)
    first, second = uuid.uuid4(), uuid.uuid4()

    def reply(session_id: uuid.UUID) -> CoachReplyCompleted:
        return CoachReplyCompleted(
            session_id=session_id, message_id=uuid.uuid4(), correlation_id="t", user_id=user.id
        )

    # Three replies in one session, two of them handled at once by two workers.
    await asyncio.gather(service.handle(ctx, reply(first)), service.handle(ctx, reply(first)))
    await service.handle(ctx, reply(first))
    await service.handle(ctx, reply(second))
    subjects = [m["Subject"] for m in server.to(user.email)]
    assert subjects == ["Seu coach respondeu"] * 2
    links = sorted(_parts(m)[0] for m in server.to(user.email))
    assert any(f"/v1/coach/sessions/{first}" in t for t in links)
    assert any(f"/v1/coach/sessions/{second}" in t for t in links)

    # A user with a stream open watches the reply arrive: no notice.
    slots = StreamSlots(ctx.redis, ctx.settings.ratelimit)
    slot = await slots.acquire(str(user.id))
    try:
        await service.handle(ctx, reply(uuid.uuid4()))
    finally:
        await slots.release(slot)
    assert len(server.to(user.email)) == 2
    # Once the stream is closed, a new session's reply is noticed again.
    await service.handle(ctx, reply(uuid.uuid4()))
    assert len(server.to(user.email)) == 3


async def test_a_requested_notification_is_sent_once_by_its_templates_rules(
    ctx: WorkerContext, smtp_server: tuple[ScriptedServer, int]
) -> None:
    server, _ = smtp_server
    user = await _user(ctx, locale="en")
    event = _events_for(user)["announcement"]
    await service.handle(ctx, event)
    await service.handle(ctx, NotificationRequested.model_validate_json(event.model_dump_json()))
    (sent,) = server.to(user.email)
    text, html = _parts(sent)
    assert sent["Subject"] == "Novidade"
    assert "Um parágrafo." in text
    assert "<p>Outro parágrafo.</p>" in html
    assert sent["List-Unsubscribe"]  # product news can be turned off
    async with ctx.db.transaction() as session:
        await repo.set_choice(session, user.id, "product", cat.EMAIL, False)
    later = NotificationRequested(
        template="announcement",
        data={"title": "t", "body": "b"},
        correlation_id="t",
        user_id=user.id,
    )
    await service.handle(ctx, later)
    assert len(server.to(user.email)) == 1


@pytest.mark.parametrize(
    ("template", "data"),
    [("no_such_template", {}), ("announcement", {"title": "a title but no body"})],
)
async def test_a_request_that_cannot_be_rendered_is_permanent(
    ctx: WorkerContext, smtp_server: tuple[ScriptedServer, int], template: str, data: dict[str, Any]
) -> None:
    server, _ = smtp_server
    user = await _user(ctx)
    event = NotificationRequested(template=template, data=data, correlation_id="t", user_id=user.id)
    with pytest.raises(PermanentError):
        await service.handle(ctx, event)
    assert server.to(user.email) == []
    assert await _rows(ctx, user.id) == []
