"""Operator commands to running workers (over Redis pub/sub) and their replies."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

CONTROL_CHANNEL = "recoloca:control"
REPLY_CHANNEL = "recoloca:control:replies"


class SignedMessage(BaseModel):
    """What travels on the control channels: a command or reply, signed (HMAC-SHA256
    over ``issued_at`` and ``body`` with the operators' key), so that access to Redis
    alone cannot move a consumer group or fake a worker's answer."""

    body: str = Field(description="The command or reply, as JSON")
    issued_at: float = Field(description="Unix time of signing; old messages are refused")
    signature: str


class SeekCommand(BaseModel):
    """Move a consumer group's position on a topic (``recoloca replay``)."""

    id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    group: str
    topic: str
    offsets: dict[int, int] = Field(description="partition -> offset to resume from")
    ends: dict[int, int] = Field(description="partition -> end offset when the command was made")
    reprocess: bool = False


class SeekReply(BaseModel):
    command_id: str
    instance: str
    group: str
    partitions: list[int]
