"""The user's own profile: read it, change the fields a user may change."""

from __future__ import annotations

import importlib.resources
import uuid
import zoneinfo
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from api.services import audit
from api.services.audit import RequestMeta
from api.services.errors import NotFoundError
from infra.db.models import User
from infra.db.repositories import users as users_repo
from producers.outbox import stage_events
from schemas.users import UserUpdated

# The IANA zones of the tzdata package, so what is accepted does not depend on the
# machine's own time zone files.
TIME_ZONES: tuple[str, ...] = tuple(
    sorted(importlib.resources.files("tzdata").joinpath("zones").read_text().split())
)
_KNOWN_ZONES = frozenset(TIME_ZONES)


def check_time_zone(name: str) -> str:
    if name not in _KNOWN_ZONES:
        raise ValueError("must be an IANA time zone such as America/Sao_Paulo")
    zoneinfo.ZoneInfo(name)  # and it loads
    return name


# What PATCH /v1/me may set; everything else (role, email, id) is refused by the schema.
EDITABLE = ("display_name", "locale", "time_zone", "target_role", "seniority")


async def get(session: AsyncSession, user_id: uuid.UUID) -> User:
    user = await users_repo.by_id(session, user_id)
    if user is None:
        raise NotFoundError("No such user.")
    return user


async def update(
    session: AsyncSession, user_id: uuid.UUID, changes: dict[str, Any], meta: RequestMeta
) -> User:
    """Apply ``changes`` (only fields in ``EDITABLE``); an event and an audit entry name
    the fields that really changed, never their values."""
    user = await users_repo.by_id(session, user_id, lock=True)
    if user is None:
        raise NotFoundError("No such user.")
    changed = []
    for field in EDITABLE:
        if field in changes and getattr(user, field) != changes[field]:
            setattr(user, field, changes[field])
            changed.append(field)
    if not changed:
        return user
    user.updated_at = datetime.now(UTC)
    await stage_events(
        session,
        UserUpdated(
            correlation_id=meta.correlation_id,
            user_id=user.id,
            locale=user.locale,  # a column holding a Locale
            changed=changed,
        ),
    )
    await audit.record(
        session, "profile.updated", meta, actor_id=user.id, detail={"fields": changed}
    )
    await session.commit()
    return user
