"""FastAPI dependencies, as ``Annotated`` aliases."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from api.services.audit import RequestMeta
from api.services.errors import NotAuthenticatedError
from api.services.event_stream import Wakeups
from api.services.sessions import SessionChecks
from infra.db.session import Database
from infra.readiness import Readiness
from infra.security import AccessClaims, Hashing, InvalidTokenError, decode_access_token
from infra.settings import Settings
from infra.storage import ObjectStore
from infra.vault import Vault


@dataclass
class Resources:
    """Connections the API opens at start-up and closes at shutdown."""

    settings: Settings
    db: Database
    redis: Redis
    storage: ObjectStore
    wakeups: Wakeups
    # The other components of this process (relay, workers), when it runs them.
    readiness: Readiness | None
    # Set when the process shuts down: open streams end at once.
    stopping: asyncio.Event
    sessions: SessionChecks
    hashing: Hashing
    vault: Vault


def get_resources(request: Request) -> Resources:
    resources: Resources = request.app.state.resources
    return resources


ResourcesDep = Annotated[Resources, Depends(get_resources)]


def get_settings_dep(resources: ResourcesDep) -> Settings:
    return resources.settings


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


async def get_session(resources: ResourcesDep) -> AsyncIterator[AsyncSession]:
    async with resources.db.sessions() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]

_bearer = OAuth2PasswordBearer(tokenUrl="/v1/auth/token", auto_error=False)


async def get_access_claims(
    resources: ResourcesDep, token: Annotated[str | None, Depends(_bearer)]
) -> AccessClaims:
    """The caller's verified claims; the user must exist and the session be live."""
    if not token:
        raise NotAuthenticatedError()
    try:
        claims = decode_access_token(token, resources.settings.auth.secret_key.get_secret_value())
    except InvalidTokenError as exc:
        raise NotAuthenticatedError("The access token is invalid or expired.") from exc
    if not await resources.sessions.is_live(claims):
        raise NotAuthenticatedError("The session of this access token has ended.")
    return claims


AccessClaimsDep = Annotated[AccessClaims, Depends(get_access_claims)]


def get_current_user_id(claims: AccessClaimsDep) -> uuid.UUID:
    return claims.user_id


CurrentUserId = Annotated[uuid.UUID, Depends(get_current_user_id)]


def get_request_id(request: Request) -> str:
    request_id: str = request.state.request_id
    return request_id


RequestIdDep = Annotated[str, Depends(get_request_id)]


def get_request_meta(request: Request) -> RequestMeta:
    client = request.client.host if request.client else None
    return RequestMeta.of(client, request.headers.get("user-agent"), request.state.request_id)


RequestMetaDep = Annotated[RequestMeta, Depends(get_request_meta)]
