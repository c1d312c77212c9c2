"""Tables of the system of record (SQLAlchemy 2 typed models)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names, so Alembic autogenerate and downgrades name them the same way.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSONB, uuid.UUID: UUID(as_uuid=True)}  # noqa: RUF012


def _created_at() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), server_default=func.now())


class User(Base):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    # What the coach, the analysis and the mails speak to: the person's own settings.
    display_name: Mapped[str | None] = mapped_column(String(120))
    locale: Mapped[str] = mapped_column(String(8), server_default="pt-BR")
    time_zone: Mapped[str] = mapped_column(String(64), server_default="America/Sao_Paulo")
    target_role: Mapped[str | None] = mapped_column(String(120))
    seniority: Mapped[str | None] = mapped_column(String(16))
    # user | operator | admin (see api/policies.py for what each may do).
    role: Mapped[str] = mapped_column(String(16), server_default="user")
    # A disabled account is refused on its next request, whatever tokens it holds.
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set when the user asked to be erased: every token and log-in stops at once, and
    # workers drop what they were doing for the user.
    erasure_requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When the owner of ``email`` followed the link of the welcome mail.
    email_verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = _created_at()
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class RefreshToken(Base):
    """One row per issued refresh token; a reused token revokes its whole family."""

    __tablename__ = "refresh_tokens"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    family_id: Mapped[uuid.UUID] = mapped_column(index=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Where the family was opened, for the user's list of sessions.
    user_agent: Mapped[str | None] = mapped_column(String(256))
    ip: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = _created_at()


class Cv(Base):
    __tablename__ = "cvs"
    __table_args__ = (Index("ix_cvs_user_id_created_at", "user_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # A file's name often is its owner's name: new rows keep a neutral one here
    # ("cv.pdf") and the real one sealed.
    filename: Mapped[str] = mapped_column(String(255))
    filename_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    storage_key: Mapped[str] = mapped_column(String(512))
    file_kind: Mapped[str] = mapped_column(String(16))
    size_bytes: Mapped[int] = mapped_column(Integer)
    # Legacy rows only: new job descriptions are sealed with the user's key.
    job_description: Mapped[str | None] = mapped_column(Text)
    job_description_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    # The upload's request id, so later re-publications keep the same trail in the logs.
    correlation_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_reason: Mapped[str | None] = mapped_column(Text)
    # What identifies nobody (language, sections, skills...), queryable; the text and the
    # contact details are in ``parsed_sealed`` (a row written before encryption has all in
    # ``parsed``).
    parsed: Mapped[dict[str, Any] | None]
    parsed_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    # Parses started, committed before each one: counts the ones that never finished.
    parse_attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    created_at: Mapped[datetime] = _created_at()
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class Analysis(Base):
    """Analyses are versioned: reprocessing adds a version, never overwrites one."""

    __tablename__ = "analyses"
    __table_args__ = (UniqueConstraint("cv_id", "version", name="uq_analyses_cv_id_version"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    cv_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cvs.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    provider: Mapped[str] = mapped_column(String(32))
    rubric_version: Mapped[str] = mapped_column(String(32))
    score: Mapped[int] = mapped_column(Integer)
    # The parts that identify nobody (score, breakdown, skills); the rest is sealed.
    body: Mapped[dict[str, Any]]
    body_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = _created_at()


class CvSearch(Base):
    """What search may find of a CV: lexemes of its latest analysis's skills, job titles,
    headings and suggestions, in Portuguese and English, accents folded. Never contact
    fields, employers or raw text (those are sealed at rest)."""

    __tablename__ = "cv_search"
    __table_args__ = (Index("ix_cv_search_document", "document", postgresql_using="gin"),)

    cv_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("cvs.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    analysis_version: Mapped[int] = mapped_column(Integer)
    document: Mapped[str] = mapped_column(TSVECTOR)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class OutboxMessage(Base):
    """Messages written in the same transaction as the change that caused them."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    topic: Mapped[str] = mapped_column(String(255))
    key: Mapped[str | None] = mapped_column(String(255))
    headers: Mapped[dict[str, Any]]
    payload: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = _created_at()


class ProcessedMessage(Base):
    """(consumer, event_id) of every message whose effect is committed."""

    __tablename__ = "processed_messages"

    consumer: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    processed_at: Mapped[datetime] = _created_at()


class UserEvent(Base):
    """The durable log behind SSE: ids are the stream's event ids (``Last-Event-ID``)."""

    __tablename__ = "user_events"
    __table_args__ = (Index("ix_user_events_user_id_id", "user_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = _created_at()


class DeadLetterRedrive(Base):
    """Dead letters already sent back to their topic, so a redrive is done once."""

    __tablename__ = "dead_letter_redrives"

    dlq_topic: Mapped[str] = mapped_column(String(255), primary_key=True)
    partition: Mapped[int] = mapped_column(Integer, primary_key=True)
    offset: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    event_id: Mapped[str | None] = mapped_column(String(64))
    redriven_at: Mapped[datetime] = _created_at()


class AuditEntry(Base):
    """Append-only record of security-relevant actions.

    Actor and subject are plain ids, not foreign keys: the trail outlives an erased
    account (its entries stay, pseudonymised)."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_subject_id_id", "subject_id", "id"),
        Index("ix_audit_log_actor_id_id", "actor_id", "id"),
        Index("ix_audit_log_action_id", "action", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    action: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16), server_default="ok")
    actor_id: Mapped[uuid.UUID | None]
    subject_id: Mapped[uuid.UUID | None]
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(256))
    request_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(server_default="{}")
    created_at: Mapped[datetime] = _created_at()


class ApiKey(Base):
    """A key an integration sends as its bearer token; only its SHA-256 is kept."""

    __tablename__ = "api_keys"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    # The key's public part, looked up on every request (the secret part is hashed).
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[bytes] = mapped_column(LargeBinary)
    scopes: Mapped[list[str]] = mapped_column(ARRAY(String(32)))
    created_at: Mapped[datetime] = _created_at()
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class UserKey(Base):
    """A user's data key, wrapped by a master key; deleting the row shreds the user's data."""

    __tablename__ = "user_keys"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    master_key_id: Mapped[str] = mapped_column(String(32), index=True)
    wrapped: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = _created_at()
    rewrapped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Export(Base):
    """A user's request for a copy of everything held about them."""

    __tablename__ = "exports"
    __table_args__ = (Index("ix_exports_user_id_created_at", "user_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # queued | ready | failed
    status: Mapped[str] = mapped_column(String(16))
    storage_key: Mapped[str | None] = mapped_column(String(512))
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = _created_at()
    ready_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Erasure(Base):
    """An erasure request and its completion. Once complete, only a pseudonym of the
    user remains here."""

    __tablename__ = "erasures"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    # Cleared when the erasure completes; not a foreign key, the user row goes first.
    user_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    subject_pseudonym: Mapped[uuid.UUID]
    requested_at: Mapped[datetime] = _created_at()
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ErasurePart(Base):
    """One holder of the user's data confirming it deleted its part."""

    __tablename__ = "erasure_parts"

    erasure_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("erasures.id", ondelete="CASCADE"), primary_key=True
    )
    part: Mapped[str] = mapped_column(String(64), primary_key=True)
    completed_at: Mapped[datetime] = _created_at()


class UserMfa(Base):
    """A user's TOTP authenticator; pending until a first code confirms it."""

    __tablename__ = "user_mfa"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # The RFC 6238 seed, sealed by infra/secrets_box.py: a database dump alone cannot
    # mint codes.
    secret_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The last time step whose code was accepted: a code is good once, even in its window.
    last_used_step: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = _created_at()


class MfaRecoveryCode(Base):
    """Single-use codes for a lost authenticator, stored as hashes."""

    __tablename__ = "mfa_recovery_codes"
    __table_args__ = (
        Index("ix_mfa_recovery_codes_user_id_code_hash", "user_id", "code_hash", unique=True),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = _created_at()


class MfaChallenge(Base):
    """The pending second step of one log-in: its mfa_token names it by id."""

    __tablename__ = "mfa_challenges"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    # Wrong codes so far; past the bound the challenge is spent.
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = _created_at()


class CoachSession(Base):
    """A conversation with the coach, about one CV (or none) and optionally a job."""

    __tablename__ = "coach_sessions"
    __table_args__ = (Index("ix_coach_sessions_user_id_created_at", "user_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # None: the user's latest scored CV at the time of each reply.
    cv_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cvs.id", ondelete="SET NULL"))
    # None: detected from each message.
    mode: Mapped[str | None] = mapped_column(String(16))
    job_description_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = _created_at()
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class CoachMessage(Base):
    """One turn, the user's or the coach's; the text is sealed with the user's key.

    A reply names the message it answers in ``reply_to`` (unique): a redelivered message
    finds its reply instead of getting a second one."""

    __tablename__ = "coach_messages"
    __table_args__ = (
        # A reply shares the turn of the message it answers: a second message sent while a
        # reply streams still reads after that reply.
        Index("ix_coach_messages_session_id_seq_role", "session_id", "seq", "role", unique=True),
        Index("ix_coach_messages_user_id", "user_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("coach_sessions.id", ondelete="CASCADE")
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    reply_to: Mapped[uuid.UUID | None] = mapped_column(unique=True)
    text_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    # ReplyMetadata of a reply (identifies nobody: provider, mode, sources, flags).
    meta: Mapped[dict[str, Any]] = mapped_column(server_default="{}")
    cancel_requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Who is streaming the reply and until when it counts as alive: a reply whose lease
    # ran out (its worker died) is taken over by the next delivery.
    lease_owner: Mapped[uuid.UUID | None]
    lease_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = _created_at()
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CoachFeedback(Base):
    """The user's rating of one reply (the latest rating counts)."""

    __tablename__ = "coach_feedback"

    message_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("coach_messages.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    rating: Mapped[str] = mapped_column(String(8))
    comment_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = _created_at()


class UsageRecord(Base):
    """One use of a plan limit (an analysis, a coach message), counted per period.

    Kept apart from what it counts so that deleting a coach session gives nothing back;
    an analysis whose CV failed is not counted (see repositories/billing.py)."""

    __tablename__ = "usage_records"
    __table_args__ = (
        Index("ix_usage_records_user_id_metric_created_at", "user_id", "metric", "created_at"),
        UniqueConstraint("metric", "subject_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    metric: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[uuid.UUID]
    created_at: Mapped[datetime] = _created_at()


class StripeEvent(Base):
    """The webhook inbox: every verified Stripe event once, by Stripe's id.

    The payload holds personal data (names, e-mails, addresses): it stays here, and is
    emptied when the user is erased."""

    __tablename__ = "stripe_events"
    __table_args__ = (Index("ix_stripe_events_customer_id_created", "customer_id", "created"),)

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    type: Mapped[str] = mapped_column(String(128))
    # Stripe's creation time of the event (what orders a customer's events).
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    customer_id: Mapped[str | None] = mapped_column(String(255))
    livemode: Mapped[bool]
    payload: Mapped[dict[str, Any]]
    received_at: Mapped[datetime] = _created_at()
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # applied | ignored | stale | unattributed (waiting for its customer's user)
    outcome: Mapped[str | None] = mapped_column(String(16))


class BillingCustomer(Base):
    """A Stripe customer and the user it pays for."""

    __tablename__ = "billing_customers"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    # Null once the user is erased (the pseudonym keeps the tax records together).
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), unique=True
    )
    pseudonym: Mapped[uuid.UUID | None]
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = _created_at()


class Subscription(Base):
    """Our copy of a Stripe subscription, as of ``state_at`` (the Stripe time of the
    newest fact applied): an older event never overwrites it."""

    __tablename__ = "subscriptions"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(255), index=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(32))
    price_id: Mapped[str | None] = mapped_column(String(255))
    interval: Mapped[str | None] = mapped_column(String(8))
    currency: Mapped[str | None] = mapped_column(String(8))
    current_period_end: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancel_at_period_end: Mapped[bool] = mapped_column(server_default="false")
    # When the subscription became past due (the grace period runs from here).
    past_due_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set once the downgrade after the grace period has been announced.
    grace_expired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    state_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    state_rank: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = _created_at()
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class Invoice(Base):
    """A Stripe invoice: a tax record, kept (pseudonymised) after the user is erased."""

    __tablename__ = "invoices"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(255), index=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    pseudonym: Mapped[uuid.UUID | None]
    subscription_id: Mapped[str | None] = mapped_column(String(255))
    number: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str | None] = mapped_column(String(32))
    amount_due: Mapped[int] = mapped_column(BigInteger)
    amount_paid: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(8))
    hosted_invoice_url: Mapped[str | None] = mapped_column(Text)
    invoice_pdf: Mapped[str | None] = mapped_column(Text)
    stripe_created: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    state_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    state_rank: Mapped[int] = mapped_column(Integer)


class CoachSuggestion(Base):
    """One CV change a tailor reply proposed (sealed: it quotes the CV) and what the user
    decided about it."""

    __tablename__ = "coach_suggestions"
    __table_args__ = (
        UniqueConstraint("reply_id", "position", name="uq_coach_suggestions_reply_id_position"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    reply_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coach_messages.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    section: Mapped[str] = mapped_column(String(16))
    change_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    # proposed, accepted or rejected
    status: Mapped[str] = mapped_column(String(16), server_default="proposed")
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = _created_at()


class Notification(Base):
    """One message of one event on one channel: sent at most once (the unique key), with
    what happened when it was delivered."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint(
            "event_id", "channel", "template", name="uq_notifications_event_id_channel_template"
        ),
        Index("ix_notifications_user_id_channel_created_at", "user_id", "channel", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    event_id: Mapped[uuid.UUID]
    # email | in_app
    channel: Mapped[str] = mapped_column(String(16))
    template: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(32))
    locale: Mapped[str] = mapped_column(String(8))
    # queued | sent | failed | suppressed
    status: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(Text)
    # What the in-app list shows (title, text, link) and what the mail was rendered from.
    data: Mapped[dict[str, Any]]
    message_id: Mapped[str | None] = mapped_column(String(255))
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    smtp_reply: Mapped[str | None] = mapped_column(Text)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = _created_at()
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class NotificationPreference(Base):
    """A user's choice for one optional category on one channel (absent: on)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    enabled: Mapped[bool]
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class UsedLink(Base):
    """A single-use link from a mail (unsubscribe) that has been followed: the second
    use of the same link finds its row."""

    __tablename__ = "used_links"

    purpose: Mapped[str] = mapped_column(String(32), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    used_at: Mapped[datetime] = _created_at()
