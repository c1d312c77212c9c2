"""Request and response bodies of the HTTP API (the bus's messages live in ``schemas/``)."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, EmailStr, Field

from api.validation import PlainText
from schemas.cv import Analysis, CvStatus


class RegisterIn(BaseModel):
    email: EmailStr
    password: PlainText = Field(min_length=8, max_length=128)


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
