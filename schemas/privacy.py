"""Messages of the data-subject rights: export and erasure. Ids only, never personal data."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from schemas.envelope import Event


class ExportStatus(StrEnum):
    QUEUED = "queued"
    READY = "ready"
    FAILED = "failed"
    # Past its link: the archive is deleted (producers/expiry.py).
    EXPIRED = "expired"


class UserExportRequested(Event):
    """The user asked for a copy of everything held about them."""

    TYPE: ClassVar[str] = "user.export-requested"

    export_id: uuid.UUID


class UserExportReady(Event):
    """The export archive is stored and can be downloaded by its owner until it expires."""

    TYPE: ClassVar[str] = "user.export-ready"

    export_id: uuid.UUID
    download_path: str = Field(
        description="API route of the download; it needs the owner's bearer token"
    )
    size_bytes: int


class UserErasureRequested(Event):
    """The user asked to be erased; every holder of their data deletes its part."""

    TYPE: ClassVar[str] = "user.erasure-requested"

    erasure_id: uuid.UUID
