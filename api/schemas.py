"""Request and response bodies of the HTTP API (the bus's messages live in ``schemas/``)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, field_validator

from api.services import api_keys
from api.services.api_keys import ApiKeyScope
from api.services.passwords import MAX_CHARS, MIN_CHARS
from api.services.profile import TIME_ZONES, check_time_zone
from api.validation import MAX_BIGINT, Moment, PlainText
from schemas.billing import Currency, Interval, Plan
from schemas.coach import (
    CoachMode,
    CoachRole,
    FailureReason,
    Rating,
    ReplyMetadata,
    ReplyStatus,
    SuggestionStatus,
)
from schemas.cv import Analysis, CvStatus
from schemas.users import Locale

# The policy (length after NFKC, the common list) answers with codes of its own
# (`password_too_short`, `password_too_common`...); the schema only bounds the size.
Password = Annotated[
    PlainText,
    Field(
        max_length=4096,
        description=f"{MIN_CHARS}–{MAX_CHARS} characters, not one of the most common passwords",
    ),
]


class RegisterIn(BaseModel):
    email: EmailStr
    password: Password
    locale: Locale | None = Field(
        default=None, description="Default: from Accept-Language (pt* → pt-BR, en* → en)"
    )


class UserOut(BaseModel):
    id: uuid.UUID
    email: str
    created_at: datetime


class TokenOut(BaseModel):
    access_token: str
    refresh_token: PlainText = Field(max_length=4096)
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires")


class RefreshIn(BaseModel):
    refresh_token: PlainText = Field(max_length=4096)


class CvSubmitted(BaseModel):
    id: uuid.UUID
    status: CvStatus


class MatchIn(BaseModel):
    job_description: PlainText = Field(min_length=30, max_length=20_000)


class CvError(BaseModel):
    code: str
    reason: str | None


class CvOut(BaseModel):
    id: uuid.UUID
    status: CvStatus
    filename: str
    created_at: datetime
    updated_at: datetime
    has_job_description: bool
    analysis_version: int | None
    analysis: Analysis | None
    error: CvError | None


class CvSummary(BaseModel):
    id: uuid.UUID
    status: CvStatus
    filename: str
    created_at: datetime
    score: int | None


class CvPage(BaseModel):
    items: list[CvSummary]
    total: int
    limit: int
    offset: int


class ExportRequested(BaseModel):
    id: uuid.UUID


class ExportOut(BaseModel):
    id: uuid.UUID
    status: str = Field(description="queued, ready, failed or expired")
    download_url: str | None = Field(
        description="When ready: the download route (send the same bearer token)"
    )
    expires_at: datetime | None


class ErasureIn(BaseModel):
    password: PlainText = Field(min_length=1, max_length=128)
    code: PlainText | None = Field(
        default=None, max_length=32, description="TOTP or recovery code when MFA is on"
    )


class ErasureRequested(BaseModel):
    id: uuid.UUID
    status: str = "requested"


# --- identity: profile, sessions, second factor ----------------------------------------

Seniority = Literal["intern", "junior", "mid", "senior", "lead", "principal", "executive"]


def _no_default(schema: dict[str, Any]) -> None:
    # The omitted value is "unchanged", not a null the client could send.
    schema.pop("default", None)


def _time_zone_schema(schema: dict[str, Any]) -> None:
    _no_default(schema)
    schema["enum"] = list(TIME_ZONES)


TimeZone = Annotated[
    str,
    AfterValidator(check_time_zone),
    Field(description="An IANA time zone", json_schema_extra=_time_zone_schema),
]


class MeOut(BaseModel):
    id: uuid.UUID
    email: str
    display_name: str | None
    locale: Locale
    time_zone: str
    target_role: str | None
    seniority: Seniority | None
    role: str
    mfa_enabled: bool
    # Set once the link of the welcome mail was followed.
    email_verified_at: datetime | None
    created_at: datetime
    updated_at: datetime


class EmailVerifiedOut(BaseModel):
    email: str
    email_verified_at: datetime


class MeUpdate(BaseModel):
    """Only these fields; any other (``role``, ``email``, ``id``...) is refused with a 422."""

    model_config = ConfigDict(extra="forbid")

    display_name: PlainText | None = Field(default=None, min_length=1, max_length=120)
    # Not nullable: they always have a value (omit them to leave them alone).
    locale: Locale = Field(default=None, json_schema_extra=_no_default)  # type: ignore[arg-type]
    time_zone: TimeZone = Field(default=None)  # type: ignore[assignment]
    target_role: PlainText | None = Field(default=None, min_length=1, max_length=120)
    seniority: Seniority | None = None

    @field_validator("locale", "time_zone", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("must not be null; omit the field to leave it unchanged")
        return value


class ChangePasswordIn(BaseModel):
    current_password: PlainText = Field(min_length=1, max_length=4096)
    new_password: Password


class SessionOut(BaseModel):
    id: uuid.UUID = Field(description="The session (refresh-token family) id")
    created_at: datetime
    last_used_at: datetime
    user_agent: str | None
    ip: str | None
    current: bool = Field(description="The session of the token making this request")


class TotpEnrolmentOut(BaseModel):
    secret: str = Field(description="Base32 seed, for typing into an authenticator app")
    otpauth_uri: str
    qr_svg: str = Field(description="The otpauth URI as a QR code (SVG document)")


class MfaCodeIn(BaseModel):
    code: PlainText = Field(min_length=1, max_length=64)


class MfaConfirmIn(BaseModel):
    # The password too: a stolen session alone must not bind the account to an attacker's
    # authenticator.
    password: PlainText = Field(min_length=1, max_length=4096)
    code: PlainText = Field(min_length=1, max_length=64, description="TOTP code")


class RecoveryCodesOut(BaseModel):
    recovery_codes: list[str] = Field(description="Single-use; shown this once")


class MfaDisableIn(BaseModel):
    password: PlainText = Field(min_length=1, max_length=4096)
    code: PlainText = Field(min_length=1, max_length=64, description="TOTP or recovery code")


class MfaLogInIn(BaseModel):
    mfa_token: PlainText = Field(min_length=1, max_length=4096)
    code: PlainText = Field(min_length=1, max_length=64, description="TOTP or recovery code")


class ApiKeyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: PlainText = Field(min_length=1, max_length=100)
    scopes: list[ApiKeyScope] = Field(min_length=1, max_length=len(api_keys.SCOPES))


class ApiKeyOut(BaseModel):
    id: uuid.UUID
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    last_used_at: datetime | None


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="The key itself: shown this once, keep it safe")


# -- the coach -------------------------------------------------------------------------


class CoachSessionIn(BaseModel):
    cv_id: uuid.UUID | None = Field(
        default=None, description="Default: your latest scored CV, at each reply"
    )
    mode: CoachMode | None = Field(default=None, description="Default: detected per message")
    job_description: PlainText | None = Field(default=None, max_length=20_000)


class CoachSessionOut(BaseModel):
    id: uuid.UUID
    cv_id: uuid.UUID | None
    mode: CoachMode | None
    has_job_description: bool
    created_at: datetime
    updated_at: datetime


class CoachSessionPage(BaseModel):
    items: list[CoachSessionOut]
    total: int
    limit: int
    offset: int


# --- operations: the bus -----------------------------------------------------------------

# What Kafka allows in a topic name; anything else cannot name one of ours.
TopicName = Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]{1,249}$")]
LetterId = Annotated[
    str,
    Field(
        pattern=r"^[0-9A-Za-z:-]{1,64}$",
        description="`partition:offset` in the dead-letter topic, or the message's event id",
    ),
]


class TopicPartitionOut(BaseModel):
    topic: str
    partition: int
    beginning: int = Field(description="The oldest offset still held")
    end: int = Field(description="The offset the next message will get")


class GroupPartitionOut(BaseModel):
    topic: str
    partition: int
    committed: int | None = Field(description="None when the group never committed here")
    end: int
    lag: int


class GroupOut(BaseModel):
    group: str = Field(description="A worker's consumer group (named after the worker)")
    lag: int = Field(description="Messages not yet consumed, over every partition")
    partitions: list[GroupPartitionOut]


class DeadLetterOut(BaseModel):
    id: str = Field(description="`partition:offset` in the dead-letter topic")
    original_topic: str
    redriven: bool
    envelope: dict[str, str] = Field(description="type, version, event_id, correlation ids…")
    failure: dict[str, str] = Field(description="consumer, attempts, error type and message…")
    body_fields: list[str] = Field(description="The body's field names; values are never shown")


class DeadLetterPage(BaseModel):
    items: list[DeadLetterOut]
    total: int
    limit: int
    offset: int


class RedriveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ids: list[LetterId] = Field(
        default_factory=list, max_length=1000, description="Default: every waiting dead letter"
    )
    force: bool = Field(default=False, description="Send again what was redriven before")


class RedriveOut(BaseModel):
    redriven: list[str] = Field(description="Ids of the letters sent back to their topic")


GroupName = Annotated[
    str, Field(pattern=r"^[a-z0-9-]{1,64}$", description="A worker's name, e.g. `parsing`")
]


class _ReplayOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reprocess: bool = Field(
        default=False, description="Run the work again (a new analysis version), not skip it"
    )
    dry_run: bool = Field(default=False, description="Only the plan; nothing moves")


class ReplayFromBeginning(_ReplayOptions):
    from_beginning: Literal[True]


class ReplayFromOffset(_ReplayOptions):
    from_offset: int = Field(ge=0, le=MAX_BIGINT, description="The same offset on every partition")


class ReplayFromTime(_ReplayOptions):
    since: Moment = Field(description="From the first message at or after this time")


# Where to start is exactly one of the three: a body naming two matches no variant.
ReplayIn = ReplayFromBeginning | ReplayFromOffset | ReplayFromTime


class ReplayPartitionOut(BaseModel):
    partition: int
    committed: int | None
    target: int
    end: int
    to_reconsume: int = Field(description="Delivered again (negative: skipped)")


class ReplayOut(BaseModel):
    group: str
    topic: str
    reprocess: bool
    dry_run: bool
    total: int = Field(description="Messages that will be delivered again")
    partitions: list[ReplayPartitionOut]
    moved_by_members: dict[str, list[int]] = Field(
        description="Partitions each running worker moved itself"
    )
    committed_directly: list[int] = Field(description="Partitions committed for the idle group")


# --- administration ----------------------------------------------------------------------

Role = Literal["user", "operator", "admin"]


class AdminUserOut(BaseModel):
    id: uuid.UUID
    email: str
    display_name: str | None
    role: Role
    locale: str
    created_at: datetime
    disabled_at: datetime | None
    erasure_requested: bool


class AdminUserPage(BaseModel):
    items: list[AdminUserOut]
    total: int
    limit: int
    offset: int


class CoachMessageIn(BaseModel):
    # The cap is the service's (422 message_too_long), not a schema bound.
    text: PlainText = Field(min_length=1, max_length=1_000_000)


class CoachMessageAccepted(BaseModel):
    message_id: uuid.UUID
    reply_id: uuid.UUID = Field(description="The id the reply's deltas and completion carry")


class CoachMessageOut(BaseModel):
    id: uuid.UUID
    role: CoachRole
    status: ReplyStatus
    text: str
    reply_to: uuid.UUID | None
    metadata: ReplyMetadata | None = None
    failure_reason: FailureReason | None = Field(
        default=None, description="Why a ``failed`` reply failed"
    )
    rating: Rating | None = None
    created_at: datetime
    completed_at: datetime | None


class CoachMessagePage(BaseModel):
    items: list[CoachMessageOut]
    total: int
    limit: int
    offset: int


class CoachCancelOut(BaseModel):
    message_id: uuid.UUID
    status: ReplyStatus


class CoachSuggestionOut(BaseModel):
    """One line of a tailor reply's diff: the CV's ``before`` becomes ``after``. Only
    changes checked to keep employers, titles, dates and degrees exactly as they are (and
    to add nothing the CV does not say) are ever proposed."""

    id: uuid.UUID
    reply_id: uuid.UUID
    section: str = Field(description="'headline' or 'skills': the only sections changed")
    before: str
    after: str
    status: SuggestionStatus
    decided_at: datetime | None


class CoachFeedbackIn(BaseModel):
    rating: Rating
    comment: PlainText | None = Field(default=None, max_length=2000)


class RoleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role


class AuditEntryOut(BaseModel):
    id: int
    action: str = Field(description="e.g. `auth.login`, `admin.role_changed`, `ops.replay`")
    outcome: str
    actor_id: uuid.UUID | None
    subject_id: uuid.UUID | None
    ip: str | None
    user_agent: str | None
    request_id: str | None
    detail: dict[str, Any]
    created_at: datetime


class AuditPageOut(BaseModel):
    items: list[AuditEntryOut]
    next_cursor: int | None = Field(description="`before` for the next, older page")


class SecurityActivityOut(BaseModel):
    id: int
    action: str
    outcome: str
    by_self: bool = Field(description="False when someone else acted on the account")
    ip: str | None
    user_agent: str | None
    detail: dict[str, Any]
    created_at: datetime


class SecurityActivityPage(BaseModel):
    items: list[SecurityActivityOut]
    next_cursor: int | None = Field(description="`before` for the next, older page")


class PriceOut(BaseModel):
    interval: Interval
    currency: Currency
    amount: int = Field(description="In the currency's minor unit (centavos, cents)")


class PlanOut(BaseModel):
    plan: Plan
    limits: dict[str, int] = Field(
        description="analyses (per calendar month) and coach_messages (per day)"
    )
    prices: list[PriceOut]


class UsageOut(BaseModel):
    used: int
    limit: int
    period: Literal["month", "day"]
    resets_at: datetime = Field(description="Start of the next period, in the user's time zone")


class SubscriptionOut(BaseModel):
    plan: Plan
    status: str = Field(description="Stripe's subscription status, or 'none'")
    current_period_end: datetime | None
    cancel_at_period_end: bool
    grace_ends_at: datetime | None = Field(
        description="Past due: when the plan falls back to free unless the payment succeeds"
    )
    usage: dict[str, UsageOut]


class CheckoutIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    plan: Plan = Plan.PRO
    interval: Interval = Interval.MONTH
    currency: Currency = Currency.BRL


class RedirectOut(BaseModel):
    url: str


class InvoiceOut(BaseModel):
    id: str
    number: str | None
    amount_due: int
    amount_paid: int
    currency: str
    status: str | None
    hosted_invoice_url: str | None
    invoice_pdf: str | None
    created: datetime


class WebhookAck(BaseModel):
    received: bool = True
    duplicate: bool


class NotificationOut(BaseModel):
    id: uuid.UUID
    template: str
    category: str
    title: str
    link: str | None
    created_at: datetime
    read_at: datetime | None


class NotificationPage(BaseModel):
    items: list[NotificationOut]
    total: int
    unread: int
    limit: int
    offset: int


class NotificationsRead(BaseModel):
    marked: int = Field(description="How many were unread and are now read")


class NotificationChoice(BaseModel):
    category: str
    channel: str
    enabled: bool


class NotificationChoiceOut(NotificationChoice):
    optional: bool = Field(description="False: transactional or security, always sent")


class NotificationChoicesIn(BaseModel):
    choices: list[NotificationChoice] = Field(max_length=50)
