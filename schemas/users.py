"""Account events. They carry ids, the locale and field names only: notifications looks
the address up by ``user_id``, so no e-mail or name ever travels on the bus."""

from __future__ import annotations

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
