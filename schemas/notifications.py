"""Notification templates, categories, channels and statuses: what the consumer writes
and the API shows. Data only."""

from __future__ import annotations

from dataclasses import dataclass

EMAIL = "email"
IN_APP = "in_app"
CHANNELS = (EMAIL, IN_APP)

QUEUED, SENT, FAILED, SUPPRESSED = "queued", "sent", "failed", "suppressed"

LOCALES = ("pt-BR", "en")
DEFAULT_LOCALE = "pt-BR"


@dataclass(frozen=True)
class Category:
    name: str
    # Transactional and security messages cannot be turned off.
    optional: bool


ACCOUNT = Category("account", optional=False)
SECURITY = Category("security", optional=False)
BILLING = Category("billing", optional=False)
PRIVACY = Category("privacy", optional=False)
ANALYSIS = Category("analysis", optional=True)
COACH = Category("coach", optional=True)
PRODUCT = Category("product", optional=True)
CATEGORIES: dict[str, Category] = {
    c.name: c for c in (ACCOUNT, SECURITY, BILLING, PRIVACY, ANALYSIS, COACH, PRODUCT)
}


@dataclass(frozen=True)
class Template:
    name: str
    category: Category


WELCOME = Template("welcome", ACCOUNT)
CV_SCORED = Template("cv_scored", ANALYSIS)
CV_FAILED = Template("cv_failed", ANALYSIS)
SUBSCRIPTION_CHANGED = Template("subscription_changed", BILLING)
PAYMENT_FAILED = Template("payment_failed", BILLING)
EXPORT_READY = Template("export_ready", PRIVACY)
SECURITY_ALERT = Template("security_alert", SECURITY)
COACH_REPLIED = Template("coach_replied", COACH)
# What operators write to users (notifications.requested): a title and plain text.
ANNOUNCEMENT = Template("announcement", PRODUCT)
TEMPLATES: dict[str, Template] = {
    t.name: t
    for t in (
        WELCOME,
        CV_SCORED,
        CV_FAILED,
        SUBSCRIPTION_CHANGED,
        PAYMENT_FAILED,
        EXPORT_READY,
        SECURITY_ALERT,
        COACH_REPLIED,
        ANNOUNCEMENT,
    )
}


def enabled(category: Category, channel: str, choices: dict[tuple[str, str], bool]) -> bool:
    """Whether a message of ``category`` goes out on ``channel`` given the user's choices."""
    if not category.optional:
        return True
    return choices.get((category.name, channel), True)


# cv.failed codes explained in the mail (consumers/parsing/errors.py); others get the
# general text.
FAILURE_CODES = ("no_extractable_text", "unreadable_file", "file_too_complex", "unsafe_content")
