"""API keys for integrations: issued once, kept as a hash, looked up by a public prefix.

A key reads ``rk_live_<prefix>_<secret>``. The prefix finds the row with one indexed
query; the secret's SHA-256 is compared in constant time. A key has 256 random bits, so
a fast hash is enough (a slow one exists for what people choose, not for this).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal, get_args

from sqlalchemy.ext.asyncio import AsyncSession

from api.services import audit, security_alerts
from api.services.audit import RequestMeta
from api.services.errors import NotFoundError, TooManyApiKeysError
from infra.db.models import ApiKey
from infra.db.repositories import api_keys as keys_repo
from infra.db.session import Database
from schemas.users import SecurityAlertKind

ApiKeyScope = Literal["cvs:read", "cvs:write", "coach"]
SCOPES: tuple[str, ...] = get_args(ApiKeyScope)
CVS_READ, CVS_WRITE, COACH = SCOPES

_MARK = "rk_live_"
_PREFIX_BYTES = 6  # 12 hex characters
_MAX_KEY_CHARS = 128
MAX_ACTIVE_KEYS = 20
_TOUCH_EVERY = timedelta(minutes=1)


def looks_like_key(token: str) -> bool:
    return token.startswith(_MARK)


def _digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


def new_key() -> tuple[str, str, bytes]:
    """A fresh key, its lookup prefix and the hash to store."""
    prefix = secrets.token_hex(_PREFIX_BYTES)
    secret = secrets.token_urlsafe(32)
    return f"{_MARK}{prefix}_{secret}", prefix, _digest(secret)


def split_key(token: str) -> tuple[str, str] | None:
    """The prefix and secret of a well-formed key, else None."""
    if not looks_like_key(token) or len(token) > _MAX_KEY_CHARS:
        return None
    prefix, sep, secret = token[len(_MARK) :].partition("_")
    if not sep or len(prefix) != 2 * _PREFIX_BYTES or not secret:
        return None
    return prefix, secret


@dataclass(frozen=True, slots=True)
class KeyIdentity:
    id: uuid.UUID
    user_id: uuid.UUID
    role: str
    scopes: frozenset[str]


class ApiKeys:
    """Checks the API keys presented on requests (one query per request: a revoked key
    is refused on its very next use, in every process)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def authenticate(self, token: str) -> KeyIdentity | None:
        parts = split_key(token)
        if parts is None:
            return None
        prefix, secret = parts
        async with self._db.sessions() as session:
            found = await keys_repo.live_by_prefix(session, prefix)
            if found is None or not hmac.compare_digest(found[0].key_hash, _digest(secret)):
                return None
            key, role = found
            now = datetime.now(UTC)
            if key.last_used_at is None or key.last_used_at < now - _TOUCH_EVERY:
                await keys_repo.touch(session, key.id, now, _TOUCH_EVERY)
                await session.commit()
        return KeyIdentity(id=key.id, user_id=key.user_id, role=role, scopes=frozenset(key.scopes))

    async def is_live(self, key_id: uuid.UUID) -> bool:
        async with self._db.reads() as session:
            return await keys_repo.is_live(session, key_id)


async def create(
    session: AsyncSession, user_id: uuid.UUID, name: str, scopes: Sequence[str], meta: RequestMeta
) -> tuple[ApiKey, str]:
    """A new key of the user's and its secret, which is never shown again."""
    if len(await keys_repo.active_of_user(session, user_id)) >= MAX_ACTIVE_KEYS:
        raise TooManyApiKeysError()
    token, prefix, key_hash = new_key()
    key = await keys_repo.add(
        session,
        user_id=user_id,
        name=name,
        prefix=prefix,
        key_hash=key_hash,
        scopes=sorted(set(scopes)),
    )
    await security_alerts.record(
        session,
        "api_key.created",
        meta,
        SecurityAlertKind.API_KEY_CREATED,
        user_id=user_id,
        detail={"key_id": str(key.id), "prefix": prefix, "scopes": key.scopes},
    )
    await session.commit()
    return key, token


async def list_active(session: AsyncSession, user_id: uuid.UUID) -> list[ApiKey]:
    return await keys_repo.active_of_user(session, user_id)


async def revoke(
    session: AsyncSession, user_id: uuid.UUID, key_id: uuid.UUID, meta: RequestMeta
) -> None:
    key = await keys_repo.revoke(session, user_id, key_id)
    if key is None:
        raise NotFoundError("No such API key.")
    await audit.record(
        session,
        "api_key.revoked",
        meta,
        actor_id=user_id,
        subject_id=user_id,
        detail={"key_id": str(key.id), "prefix": key.prefix},
    )
    await session.commit()
