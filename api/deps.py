"""FastAPI dependencies, as ``Annotated`` aliases."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from api.services.api_keys import ApiKeys
from api.services.audit import RequestMeta
from api.services.event_stream import Wakeups
from api.services.sessions import SessionChecks
from infra.db.session import Database
from infra.ratelimit import RateLimiter, StreamSlots
from infra.readiness import Readiness
from infra.security import Hashing
from infra.settings import Settings
from infra.storage import ObjectStore
from infra.stripe_gateway import StripeGateway
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
    api_keys: ApiKeys
    limiter: RateLimiter
    stream_slots: StreamSlots
    # None without a Stripe API key: the routes that call Stripe answer 503.
    stripe: StripeGateway | None


async def get_resources(request: Request) -> Resources:
    resources: Resources = request.app.state.resources
    return resources


ResourcesDep = Annotated[Resources, Depends(get_resources)]


async def get_settings_dep(resources: ResourcesDep) -> Settings:
    return resources.settings


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


async def get_session(resources: ResourcesDep) -> AsyncIterator[AsyncSession]:
    async with resources.db.sessions() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]


async def get_request_id(request: Request) -> str:
    request_id: str = request.state.request_id
    return request_id


RequestIdDep = Annotated[str, Depends(get_request_id)]


async def get_request_meta(request: Request) -> RequestMeta:
    client = request.client.host if request.client else None
    return RequestMeta.of(client, request.headers.get("user-agent"), request.state.request_id)


RequestMetaDep = Annotated[RequestMeta, Depends(get_request_meta)]
