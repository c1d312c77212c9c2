"""The envelope every message carries, in its body and in its Kafka headers."""

from __future__ import annotations

import builtins
import uuid
from datetime import UTC, datetime
from typing import ClassVar, Self, TypeVar

from pydantic import BaseModel, ConfigDict, Field

EventT = TypeVar("EventT", bound="Event")

HEADER_FIELDS = ("event_id", "type", "version", "correlation_id", "causation_id", "user_id")


def _now() -> datetime:
    return datetime.now(UTC)


class Event(BaseModel):
    """Base of every message. Subclasses set ``TYPE``/``VERSION`` and add their fields."""

    model_config = ConfigDict(frozen=True)

    TYPE: ClassVar[str]
    VERSION: ClassVar[int] = 1

    event_id: uuid.UUID = Field(default_factory=uuid.uuid4)
    type: str = ""
    version: int = 0
    occurred_at: datetime = Field(default_factory=_now)
    correlation_id: str
    causation_id: uuid.UUID | None = None
    user_id: uuid.UUID | None = None

    def model_post_init(self, __context: object) -> None:
        # The type and version are the class's; a body that names another is refused.
        if self.type and self.type != self.TYPE:
            raise ValueError(f"expected type {self.TYPE!r}, got {self.type!r}")
        object.__setattr__(self, "type", self.TYPE)
        if not self.version:
            object.__setattr__(self, "version", self.VERSION)

    def headers(self) -> dict[str, str]:
        """The envelope as Kafka headers (strings), so tools can read it without the body."""
        values = self.model_dump(mode="json", include=set(HEADER_FIELDS))
        return {name: str(values[name]) for name in HEADER_FIELDS if values[name] is not None}

    def caused(self, event_cls: builtins.type[EventT], **fields: object) -> EventT:
        """A follow-up event: same correlation and user, caused by this one."""
        return event_cls(
            correlation_id=self.correlation_id,
            causation_id=self.event_id,
            user_id=self.user_id,
            **fields,
        )

    @classmethod
    def from_json(cls, raw: bytes | str) -> Self:
        return cls.model_validate_json(raw)
