"""Notifications use case: turn a domain event into one message per channel, then
deliver the email.

- Once: each (event, channel, template) is a row under a unique key, inserted with ON
  CONFLICT DO NOTHING, so a redelivered, replayed or concurrently handled event finds
  its row already there. The email is sent while its row is locked ``FOR UPDATE`` and
  marked ``sent`` in the same transaction: a second process waits, then sees ``sent``.
  Only a crash between the server's 250 and our commit can repeat a mail; it then
  carries the same Message-ID, so the receiving side can tell.
- Transient SMTP failures are retried here a few times with exponential backoff and
  jitter (short outages resolve within the handler); after that the row stays
  ``queued`` with its attempts and last error, and the error is raised so the consumer
  runtime re-delivers the event through its retry topic later (and dead-letters it in
  the end). A 5xx is ``failed`` with the reply and never retried.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from jinja2 import TemplateError, UndefinedError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from consumers import user_events
from consumers.context import WorkerContext
from consumers.notifications import rules
from consumers.notifications.render import render
from consumers.runtime import PermanentError
from infra import mail, mail_links
from infra.db.models import ApiKey, AuditEntry, Cv, User
from infra.db.repositories import cvs as cvs_repo
from infra.db.repositories import notifications as repo
from infra.db.repositories import users as users_repo
from infra.personal_data import analysis_body
from infra.ratelimit import StreamSlots
from infra.settings import Settings
from schemas import notifications as cat
from schemas.billing import PaymentFailed, SubscriptionChanged
from schemas.coach import CoachReplyCompleted
from schemas.cv import Analysis
from schemas.envelope import Event
from schemas.events import CvFailed, CvScored
from schemas.privacy import UserExportReady
from schemas.users import (
    NotificationRequested,
    SecurityAlertKind,
    UserRegistered,
    UserSecurityAlert,
)

CONSUMER = "notifications"
CREATED = "notification.created"
COACH_NOTICE_WINDOW = timedelta(hours=1)
log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Planned:
    """What one event becomes, before the user's choices and locale are applied."""

    template: cat.Template
    user_id: uuid.UUID
    link: str
    data: dict[str, Any] = field(default_factory=dict)
    # Coach replies: at most one notification per session in this window.
    per_session_window: timedelta | None = None
    # The user has the result on screen: the in-app notice is kept, the email is not sent.
    seen_live: bool = False


async def handle(ctx: WorkerContext, event: Event) -> None:
    planned = await plan(ctx, event)
    if planned is None:
        log.info("nothing to notify", type=event.type)
        return
    await deliver(ctx, event.event_id, planned)


def _money(amount: int, currency: str) -> str:
    value = f"{amount / 100:,.2f}"
    if currency.lower() == "brl":
        return "R$ " + value.replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{currency.upper()} {value}"


async def plan(ctx: WorkerContext, event: Event) -> Planned | None:
    if isinstance(event, CvScored | CvFailed):
        # The CV says whose it is, whatever the envelope carries.
        return await _plan_cv(ctx, event)
    if event.user_id is None:
        return None
    if isinstance(event, UserRegistered):
        return Planned(cat.WELCOME, event.user_id, "/")
    if isinstance(event, UserSecurityAlert):
        return await _plan_security_alert(ctx, event)
    if isinstance(event, CoachReplyCompleted):
        return await _plan_coach_reply(ctx, event)
    if isinstance(event, NotificationRequested):
        return _plan_requested(event)
    if isinstance(event, SubscriptionChanged):
        return Planned(
            cat.SUBSCRIPTION_CHANGED,
            event.user_id,
            "/v1/billing/subscription",
            {
                "plan": str(event.plan),
                "previous_plan": str(event.previous_plan),
                "status": event.status,
                "cancel_at_period_end": event.cancel_at_period_end,
                "period_end": event.current_period_end.date().isoformat()
                if event.current_period_end
                else None,
            },
        )
    if isinstance(event, PaymentFailed):
        return Planned(
            cat.PAYMENT_FAILED,
            event.user_id,
            event.hosted_invoice_url or "/v1/billing/portal",
            {
                "amount": _money(event.amount_due, event.currency),
                "next_attempt": event.next_attempt_at.date().isoformat()
                if event.next_attempt_at
                else None,
            },
        )
    if isinstance(event, UserExportReady):
        return Planned(cat.EXPORT_READY, event.user_id, event.download_path)
    return None


async def _plan_cv(ctx: WorkerContext, event: CvScored | CvFailed) -> Planned | None:
    async with ctx.db.reads() as session:
        cv = await session.get(Cv, event.cv_id)
        if cv is None:
            return None
        link = f"/v1/cvs/{cv.id}"
        # Someone with a stream open saw the outcome arrive: a mail would only repeat it.
        seen_live = bool(await _watching(ctx, cv.user_id))
        if isinstance(event, CvFailed):
            failed = {"code": event.code}
            return Planned(cat.CV_FAILED, cv.user_id, link, failed, seen_live=seen_live)
        fixes: list[str] = []
        row = await cvs_repo.analysis_version(session, cv.id, event.analysis_version)
        if row is not None:
            key = await ctx.vault.key_if_any(session, cv.user_id)
            analysis = Analysis.model_validate(analysis_body(key, row))
            fixes = rules.top_fixes([s.model_dump(mode="json") for s in analysis.suggestions])
        scored = {"score": event.score, "fixes": fixes}
        return Planned(cat.CV_SCORED, cv.user_id, link, scored, seen_live=seen_live)


async def _watching(ctx: WorkerContext, user_id: uuid.UUID) -> int | None:
    """How many event streams the user has open; None when that cannot be known."""
    return await StreamSlots(ctx.redis, ctx.settings.ratelimit).open_count(str(user_id))


async def _plan_security_alert(ctx: WorkerContext, event: UserSecurityAlert) -> Planned | None:
    assert event.user_id is not None
    async with ctx.db.reads() as session:
        entry = await session.get(AuditEntry, event.audit_id)
        user = await session.get(User, event.user_id)
        if entry is None or user is None or entry.actor_id != user.id:
            return None
        key_name = None
        if event.kind == SecurityAlertKind.API_KEY_CREATED and "key_id" in entry.detail:
            key = await session.get(ApiKey, uuid.UUID(entry.detail["key_id"]))
            key_name = key.name if key is not None else None
    return Planned(
        cat.SECURITY_ALERT,
        user.id,
        "/v1/me/security-activity",
        {
            "kind": event.kind.value,
            "when": rules.local_time(
                entry.created_at, user.time_zone, rules.locale_of(user.locale)
            ),
            "ip": entry.ip,
            "device": rules.device_of(entry.user_agent),
            "key_name": key_name,
        },
    )


async def _plan_coach_reply(ctx: WorkerContext, event: CoachReplyCompleted) -> Planned | None:
    assert event.user_id is not None
    # Someone watching a stream sees the reply arrive; the notice is for those who left.
    watching = await _watching(ctx, event.user_id)
    if watching:
        log.info("user is watching, no coach notice", streams=watching)
        return None
    return Planned(
        cat.COACH_REPLIED,
        event.user_id,
        f"/v1/coach/sessions/{event.session_id}",
        {"session_id": str(event.session_id)},
        per_session_window=COACH_NOTICE_WINDOW,
    )


def _plan_requested(event: NotificationRequested) -> Planned:
    assert event.user_id is not None
    template = cat.TEMPLATES.get(event.template)
    if template is None:
        raise PermanentError(f"unknown template {event.template!r}")
    try:
        for locale in cat.LOCALES:
            render(template.name, locale, {**event.data, "link": event.link})
    except (UndefinedError, TemplateError) as exc:
        # The request lacks what the template needs: no retry can mend it.
        raise PermanentError(f"template {template.name!r} cannot render: {exc}") from exc
    return Planned(template, event.user_id, event.link, dict(event.data))


def _absolute(settings: Settings, link: str) -> str:
    return (
        link
        if link.startswith(("http://", "https://"))
        else settings.notifications.public_url + link
    )


async def deliver(ctx: WorkerContext, event_id: uuid.UUID, planned: Planned) -> None:
    template, settings = planned.template, ctx.settings
    wake: dict[str, Any] | None = None
    notice: dict[str, Any] | None = None
    # Unless this delivery wrote the email row as suppressed, a queued one may be waiting
    # (written by an earlier delivery that stopped before sending it).
    email_queued = True
    async with ctx.db.transaction() as session:
        # Serialised with an erasure request: it waits for these rows, or they are not made.
        if not await users_repo.hold_unless_erasing(session, planned.user_id):
            log.info("user gone or being erased, nothing sent")
            return
        user = await session.get(User, planned.user_id)
        assert user is not None
        locale = rules.locale_of(user.locale)
        choices = await repo.choices(session, user.id)
        link = _absolute(settings, planned.link)
        # An address that hard-bounced gets no more optional mail (transactional mail is
        # still tried: the address may have been fixed since).
        bounced = template.category.optional and await repo.hard_bounced(
            session, user.id, cat.EMAIL
        )
        if planned.per_session_window is not None and await _told_lately(session, planned):
            log.info("coach notice sent lately for this session", template=template.name)
            return
        for channel in cat.CHANNELS:
            on = cat.enabled(template.category, channel, choices)
            data = {**planned.data, "name": user.display_name, "link": link}
            if channel == cat.EMAIL:
                data.update(_mail_links(settings, template, user))
            rendered = render(template.name, locale, data)
            if channel == cat.EMAIL:
                mailed = on and not bounced and not planned.seen_live
                status = cat.QUEUED if mailed else cat.SUPPRESSED
            else:
                status = cat.SENT if on else cat.SUPPRESSED
            new_id = await repo.add_once(
                session,
                user_id=user.id,
                event_id=event_id,
                channel=channel,
                template=template.name,
                category=template.category.name,
                locale=locale,
                status=status,
                subject=rendered.subject,
                data=data,
                message_id=mail.new_message_id(settings.smtp.from_address)
                if channel == cat.EMAIL
                else None,
                sent_at=datetime.now(UTC) if status == cat.SENT else None,
            )
            if new_id is None:
                log.info("notification exists already", channel=channel, template=template.name)
            elif channel == cat.EMAIL:
                email_queued = status == cat.QUEUED
            elif channel == cat.IN_APP and status == cat.SENT:
                notice = {
                    "notification_id": str(new_id),
                    "template": template.name,
                    "title": rendered.subject,
                    "link": link,
                }
        if notice is not None:
            # Last: recording holds the user's event log until the commit.
            wake = await user_events.record(session, user.id, CREATED, notice)
    if wake is not None:
        await ctx.wake_user_streams(planned.user_id, wake)
    if email_queued:
        await send_email(ctx, event_id, template.name)


def _mail_links(settings: Settings, template: cat.Template, user: User) -> dict[str, Any]:
    """The signed links only the mail carries."""
    links: dict[str, Any] = {}
    if template.category.optional:
        links["unsubscribe_url"] = mail_links.unsubscribe_url(
            settings, user.id, template.category.name
        )
    if template is cat.WELCOME and user.email_verified_at is None:
        links["verify_url"] = mail_links.verification_url(settings, user.id, user.email)
        links["verify_hours"] = settings.notifications.verify_link_hours
    return links


async def _told_lately(session: AsyncSession, planned: Planned) -> bool:
    """Whether the session was noticed within the window. A transaction-scoped lock on
    (user, session) makes two workers handling replies of one session take turns."""
    assert planned.per_session_window is not None
    session_id = str(planned.data["session_id"])
    await session.execute(
        select(func.pg_advisory_xact_lock(func.hashtextextended(f"notice:{session_id}", 0)))
    )
    return await repo.recent_for_session(
        session,
        planned.user_id,
        planned.template.name,
        session_id,
        datetime.now(UTC) - planned.per_session_window,
    )


async def send_email(ctx: WorkerContext, event_id: uuid.UUID, template: str) -> None:
    """Deliver the event's queued email, if it still is; see the module's docstring."""
    smtp = ctx.settings.smtp
    transient: mail.TransientMailError | None = None
    async with ctx.db.transaction() as session:
        row = await repo.of_event(session, event_id, cat.EMAIL, template, lock=True)
        if row is None or row.status != cat.QUEUED:
            return
        user = await session.get(User, row.user_id)
        if user is None or user.erasure_requested_at is not None:
            row.status = cat.SUPPRESSED
            return
        rendered = render(row.template, row.locale, row.data)
        outgoing = mail.OutgoingMail(
            to=user.email,
            subject=rendered.subject,
            text=rendered.text,
            html=rendered.html,
            message_id=row.message_id or mail.new_message_id(smtp.from_address),
            date=datetime.now(UTC),
            unsubscribe_url=row.data.get("unsubscribe_url"),
        )
        for attempt in range(smtp.send_attempts):
            row.attempts += 1
            try:
                row.smtp_reply = await mail.send(smtp, outgoing)
            except mail.PermanentMailError as exc:
                row.status, row.smtp_reply, row.last_error = cat.FAILED, exc.reply, str(exc)
                log.warning("email refused for good", template=template, reply=exc.reply)
                return
            except mail.TransientMailError as exc:
                row.last_error = str(exc)
                if exc.reply:
                    row.smtp_reply = exc.reply
                transient = exc
                if attempt + 1 < smtp.send_attempts:
                    await asyncio.sleep(backoff(smtp.backoff_seconds, attempt))
                continue
            row.status, row.sent_at, row.last_error = cat.SENT, datetime.now(UTC), None
            log.info("email sent", template=template, attempts=row.attempts)
            return
    if transient is not None:
        log.warning(
            "email not delivered yet, retried later", template=template, error=str(transient)
        )
        raise transient


def backoff(base: float, attempt: int) -> float:
    """Exponential backoff with full jitter: uniform in [0, base·2^attempt]."""
    return random.uniform(0, base * 2**attempt)  # noqa: S311 - jitter, not a secret
