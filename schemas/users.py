"""Account events. They carry ids, the locale and field names only: notifications looks
the address up by ``user_id``, so no e-mail or name ever travels on the bus."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar, Literal

from pydantic import Field

from schemas.envelope import Event

Locale = Literal["pt-BR", "en"]


class UserRegistered(Event):
    TYPE: ClassVar[str] = "user.registered"

    locale: Locale


class UserUpdated(Event):
    """The profile changed; ``changed`` names the fields, never their values."""

    TYPE: ClassVar[str] = "user.updated"

    locale: Locale
    changed: list[str] = Field(description="Names of the profile fields that changed")


class SecurityAlertKind(StrEnum):
    NEW_DEVICE = "new_device"
    PASSWORD_CHANGED = "password_changed"
    MFA_ENABLED = "mfa_enabled"
    MFA_DISABLED = "mfa_disabled"
    API_KEY_CREATED = "api_key_created"


class UserSecurityAlert(Event):
    """Something the owner of an account must hear of. The time, address and device are
    read from the audit entry it names, so none of them travels on the bus."""

    TYPE: ClassVar[str] = "user.security-alert"

    kind: SecurityAlertKind
    audit_id: int = Field(description="The audit entry of the action")


class NotificationRequested(Event):
    """Send a user one of the notification templates with the given data (operators and
    features without an event of their own). Whether the user can turn it off follows
    the template's category."""

    TYPE: ClassVar[str] = "notifications.requested"

    template: str = Field(max_length=64)
    data: dict[str, str | int | float | bool | list[str] | None] = Field(default_factory=dict)
    link: str = Field(default="/", max_length=2048)
