"""The topic catalogue: which event goes where, keyed by what."""

from __future__ import annotations

from dataclasses import dataclass

from schemas.billing import PaymentFailed, StripeEventReceived, SubscriptionChanged
from schemas.coach import CoachMessageSent, CoachReplyCompleted
from schemas.envelope import Event
from schemas.events import (
    CvFailed,
    CvMatchRequested,
    CvParsed,
    CvScored,
    CvUploaded,
    ReportReady,
)
from schemas.privacy import UserErasureRequested, UserExportReady, UserExportRequested
from schemas.users import NotificationRequested, UserRegistered, UserSecurityAlert, UserUpdated


@dataclass(frozen=True)
class Topic:
    name: str
    event: type[Event]
    key_field: str
    description: str

    @property
    def dlq(self) -> str:
        return f"{self.name}.dlq"

    def key_of(self, event: Event) -> bytes:
        return str(getattr(event, self.key_field)).encode()


CV_UPLOADED = Topic("cv.uploaded", CvUploaded, "cv_id", "A CV file was stored; parse it.")
CV_PARSED = Topic("cv.parsed", CvParsed, "cv_id", "A CV was parsed; score it.")
CV_MATCH_REQUESTED = Topic(
    "cv.match-requested", CvMatchRequested, "cv_id", "Match a scored CV against a job description."
)
CV_SCORED = Topic("cv.scored", CvScored, "cv_id", "A CV analysis was saved.")
CV_FAILED = Topic("cv.failed", CvFailed, "cv_id", "A CV could not be processed.")
USER_REGISTERED = Topic(
    "user.registered", UserRegistered, "user_id", "An account was created (welcome mail)."
)
USER_UPDATED = Topic("user.updated", UserUpdated, "user_id", "A user's profile changed.")
USER_SECURITY_ALERT = Topic(
    "user.security-alert",
    UserSecurityAlert,
    "user_id",
    "A new device signed in, or the password, MFA or API keys changed: tell the owner.",
)
NOTIFICATIONS_REQUESTED = Topic(
    "notifications.requested",
    NotificationRequested,
    "user_id",
    "Send a user a notification template with the given data.",
)
REPORT_READY = Topic(
    "report.ready", ReportReady, "cv_id", "The PDF report of a CV analysis was stored."
)

COACH_MESSAGE_SENT = Topic(
    "coach.message.sent",
    CoachMessageSent,
    "session_id",
    "A user wrote to the coach; answer it (a session's messages in order).",
)
COACH_REPLY_COMPLETED = Topic(
    "coach.reply.completed",
    CoachReplyCompleted,
    "session_id",
    "The coach finished a reply (tell a user who is not watching).",
)

BILLING_STRIPE_EVENT = Topic(
    "billing.stripe-event",
    StripeEventReceived,
    "customer_id",
    "A verified Stripe webhook is in the inbox; apply it (a customer's events in order).",
)
BILLING_SUBSCRIPTION_CHANGED = Topic(
    "billing.subscription.changed",
    SubscriptionChanged,
    "user_id",
    "A user's plan or subscription status changed.",
)
BILLING_PAYMENT_FAILED = Topic(
    "billing.payment-failed", PaymentFailed, "user_id", "A subscription payment failed."
)

USER_EXPORT_REQUESTED = Topic(
    "user.export-requested", UserExportRequested, "user_id", "Build a user's data export."
)
USER_EXPORT_READY = Topic(
    "user.export-ready", UserExportReady, "user_id", "A user's data export can be downloaded."
)
USER_ERASURE_REQUESTED = Topic(
    "user.erasure-requested",
    UserErasureRequested,
    "user_id",
    "Erase a user: every holder of their data deletes its part.",
)

TOPICS: tuple[Topic, ...] = (
    CV_UPLOADED,
    CV_PARSED,
    CV_MATCH_REQUESTED,
    CV_SCORED,
    CV_FAILED,
    USER_EXPORT_REQUESTED,
    USER_EXPORT_READY,
    USER_ERASURE_REQUESTED,
    USER_REGISTERED,
    USER_UPDATED,
    USER_SECURITY_ALERT,
    NOTIFICATIONS_REQUESTED,
    REPORT_READY,
    COACH_MESSAGE_SENT,
    COACH_REPLY_COMPLETED,
    BILLING_STRIPE_EVENT,
    BILLING_SUBSCRIPTION_CHANGED,
    BILLING_PAYMENT_FAILED,
)
_BY_EVENT: dict[type[Event], Topic] = {topic.event: topic for topic in TOPICS}


def topic_for(event: Event) -> Topic:
    return _BY_EVENT[type(event)]


# Which topics each consumer group (one per worker, named after it) reads: the workers
# subscribe by it and the operator tools read lag by it.
CONSUMER_GROUPS: dict[str, tuple[Topic, ...]] = {
    "parsing": (CV_UPLOADED,),
    "scoring": (CV_PARSED, CV_MATCH_REQUESTED),
    "export": (USER_EXPORT_REQUESTED,),
    "erasure": (USER_ERASURE_REQUESTED,),
    "report": (CV_SCORED,),
    "coaching": (COACH_MESSAGE_SENT,),
    "billing": (BILLING_STRIPE_EVENT,),
    "notifications": (
        USER_REGISTERED,
        CV_SCORED,
        CV_FAILED,
        BILLING_SUBSCRIPTION_CHANGED,
        BILLING_PAYMENT_FAILED,
        USER_EXPORT_READY,
        USER_SECURITY_ALERT,
        COACH_REPLY_COMPLETED,
        NOTIFICATIONS_REQUESTED,
    ),
}


def retry_topic(topic: str, consumer: str) -> str:
    """Each consumer has its own retry topic per source topic: retries of one consumer
    must not be seen again by the other groups reading the same source."""
    return f"{topic}.retry.{consumer}"


def group_topics(group: str) -> list[str]:
    """The topics a consumer group commits offsets on: its sources and their retries."""
    sources = [t.name for t in CONSUMER_GROUPS[group]]
    return sources + [retry_topic(name, group) for name in sources]


def all_topic_names() -> list[str]:
    """Every topic the system uses, dead-letter topics included."""
    return [name for topic in TOPICS for name in (topic.name, topic.dlq)]
