"""Every message on the bus. Past-tense names: they record what happened."""

from __future__ import annotations

import uuid
from typing import ClassVar

from pydantic import Field

from schemas.envelope import Event
from schemas.files import FileKind


class CvUploaded(Event):
    TYPE: ClassVar[str] = "cv.uploaded"

    cv_id: uuid.UUID
    storage_key: str
    file_kind: FileKind
    size_bytes: int
    # Re-runs of an existing CV (operator replays) ask for a new analysis version.
    reprocess: bool = False


class CvParsed(Event):
    TYPE: ClassVar[str] = "cv.parsed"

    cv_id: uuid.UUID
    language: str
    reprocess: bool = False


class CvMatchRequested(Event):
    """The user gave a (new) job description for a scored CV: analyse it against it."""

    TYPE: ClassVar[str] = "cv.match-requested"

    cv_id: uuid.UUID


class CvScored(Event):
    TYPE: ClassVar[str] = "cv.scored"

    cv_id: uuid.UUID
    analysis_version: int
    score: int = Field(ge=0, le=100)
    provider: str


class ReportReady(Event):
    """The PDF report of one analysis version is in object storage."""

    TYPE: ClassVar[str] = "report.ready"

    cv_id: uuid.UUID
    analysis_version: int
    report_key: str = Field(description="Object storage key of the PDF")


class CvFailed(Event):
    TYPE: ClassVar[str] = "cv.failed"

    cv_id: uuid.UUID
    stage: str = Field(description="'parsing' or 'scoring'")
    code: str = Field(description="Machine-readable reason, e.g. no_extractable_text")
    reason: str
