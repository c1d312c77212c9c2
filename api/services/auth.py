"""Registration, log-in and refresh-token rotation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from sqlalchemy.ext.asyncio import AsyncSession

from api.services.errors import EmailTakenError, InvalidCredentialsError, InvalidRefreshTokenError
from api.services.sessions import SessionChecks
from infra.db.models import User
from infra.db.repositories import users as users_repo
from infra.security import ALGORITHM, DUMMY_HASH, Hashing, create_access_token
from infra.settings import AuthSettings


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int


def normalise_email(email: str) -> str:
    return email.strip().lower()


async def register(session: AsyncSession, hashing: Hashing, email: str, password: str) -> User:
    password_hash = await hashing.hash(password)
    try:
        user = await users_repo.create(
            session, email=normalise_email(email), password_hash=password_hash
        )
    except users_repo.EmailTakenError as exc:
        raise EmailTakenError() from exc
    await session.commit()
    return user


async def log_in(
    session: AsyncSession, auth: AuthSettings, hashing: Hashing, email: str, password: str
) -> TokenPair:
    email = normalise_email(email)
    # Postgres refuses NUL in text; no stored address holds one, so no user has it.
    user = None if "\x00" in email else await users_repo.by_email(session, email)
    # Verify against a dummy hash when the user is unknown: same timing either way.
    ok = await hashing.verify(user.password_hash if user else DUMMY_HASH, password)
    # An account being erased answers like a wrong password: nothing tells it apart.
    if user is None or not ok or user.erasure_requested_at is not None:
        raise InvalidCredentialsError()
    pair = await _issue(session, auth, user.id, family_id=uuid.uuid4())
    await session.commit()
    return pair


async def refresh(
    session: AsyncSession, auth: AuthSettings, sessions: SessionChecks, refresh_token: str
) -> TokenPair:
    """Rotate: the presented token is spent; presenting it again revokes its whole family."""
    secret = auth.secret_key.get_secret_value()
    try:
        claims = jwt.decode(
            refresh_token, secret, algorithms=[ALGORITHM], options={"require": ["exp", "jti"]}
        )
        token_id = uuid.UUID(claims["jti"])
    except (jwt.PyJWTError, ValueError) as exc:
        raise InvalidRefreshTokenError() from exc
    if claims.get("typ") != "refresh":
        raise InvalidRefreshTokenError()
    now = datetime.now(UTC)
    stored = await users_repo.refresh_token_for_update(session, token_id)
    if stored is None or stored.revoked_at is not None or stored.expires_at <= now:
        raise InvalidRefreshTokenError()
    if stored.used_at is not None:
        await users_repo.revoke_family(session, stored.family_id, now)
        await session.commit()
        # The family's access tokens end with it (other processes within the check interval).
        sessions.forget()
        raise InvalidRefreshTokenError(
            "This refresh token was already used; its sessions are revoked."
        )
    stored.used_at = now
    pair = await _issue(session, auth, stored.user_id, family_id=stored.family_id)
    await session.commit()
    return pair


async def _issue(
    session: AsyncSession, auth: AuthSettings, user_id: uuid.UUID, family_id: uuid.UUID
) -> TokenPair:
    secret = auth.secret_key.get_secret_value()
    expires_at = datetime.now(UTC) + timedelta(days=auth.refresh_token_days)
    stored = await users_repo.add_refresh_token(
        session, user_id=user_id, family_id=family_id, expires_at=expires_at
    )
    refresh_token = jwt.encode(
        {"sub": str(user_id), "jti": str(stored.id), "exp": expires_at, "typ": "refresh"},
        secret,
        algorithm=ALGORITHM,
    )
    return TokenPair(
        access_token=create_access_token(
            user_id, secret, auth.access_token_minutes, family_id=family_id
        ),
        refresh_token=refresh_token,
        expires_in=auth.access_token_minutes * 60,
    )
