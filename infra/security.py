"""Password hashing (Argon2id) and JWT access tokens."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP's minimum for Argon2id: m=19 MiB, t=2, p=1.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
ALGORITHM = "HS256"


class InvalidTokenError(Exception):
    pass


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# A hash to verify against when the user does not exist, so timing does not reveal it.
DUMMY_HASH = hash_password("not-a-real-password")
_MAX_TOKEN_CHARS = 4096


class Hashing:
    """Argon2 in worker threads (it releases the interpreter lock), a few at a time.

    Each hash takes ~20 ms of CPU and 19 MiB: on the event loop, a burst of log-ins
    stalls every other request; unbounded in threads, it takes all the memory and cores.
    Callers past the bound wait their turn without holding the loop.
    """

    def __init__(self, concurrency: int) -> None:
        self._slots = asyncio.Semaphore(concurrency)

    async def hash(self, password: str) -> str:
        async with self._slots:
            return await asyncio.to_thread(hash_password, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        async with self._slots:
            return await asyncio.to_thread(verify_password, password_hash, password)


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: uuid.UUID
    # The refresh-token family the access token was issued with: revoking the family
    # ends the access token too. None for tokens issued outside a log-in (tests).
    family_id: uuid.UUID | None
    expires_at: datetime


def create_access_token(
    user_id: uuid.UUID, secret: str, minutes: int, family_id: uuid.UUID | None = None
) -> str:
    now = datetime.now(UTC)
    claims: dict[str, object] = {
        "sub": str(user_id),
        "iat": now,
        "exp": now + timedelta(minutes=minutes),
        "typ": "access",
    }
    if family_id is not None:
        claims["fam"] = str(family_id)
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def decode_access_token(token: str, secret: str) -> AccessClaims:
    # A JWT of a few hundred bytes is all we issue; a huge header is not worth decoding.
    if len(token) > _MAX_TOKEN_CHARS:
        raise InvalidTokenError("token too long")
    try:
        claims = jwt.decode(
            token, secret, algorithms=[ALGORITHM], options={"require": ["exp", "sub"]}
        )
    except jwt.PyJWTError as exc:
        raise InvalidTokenError(str(exc)) from exc
    if claims.get("typ") != "access":
        raise InvalidTokenError("not an access token")
    try:
        family = claims.get("fam")
        return AccessClaims(
            user_id=uuid.UUID(claims["sub"]),
            family_id=uuid.UUID(family) if family is not None else None,
            expires_at=datetime.fromtimestamp(claims["exp"], UTC),
        )
    except (ValueError, TypeError, AttributeError) as exc:
        raise InvalidTokenError("bad subject") from exc
