"""Registration, log-in (one or two steps), refresh-token rotation and log-out."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from sqlalchemy.ext.asyncio import AsyncSession

from api.services import audit, mfa, security_alerts
from api.services.audit import RequestMeta
from api.services.errors import (
    AccountDisabledError,
    EmailTakenError,
    ExpiredVerificationLinkError,
    InvalidCredentialsError,
    InvalidMfaTokenError,
    InvalidRefreshTokenError,
    InvalidVerificationLinkError,
    MfaRequiredError,
)
from api.services.passwords import check_password
from api.services.sessions import SessionChecks
from infra import mail_links
from infra.db.models import User
from infra.db.repositories import users as users_repo
from infra.ratelimit import Bucket, RateLimitedError, RateLimiter
from infra.security import ALGORITHM, DUMMY_HASH, Hashing, create_access_token
from infra.settings import AuthSettings, Settings
from infra.signing import InvalidSignatureError
from producers.outbox import stage_events
from schemas.users import Locale, UserRegistered


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int


def normalise_email(email: str) -> str:
    return email.strip().lower()


async def register(
    session: AsyncSession,
    hashing: Hashing,
    email: str,
    password: str,
    *,
    locale: Locale,
    meta: RequestMeta,
) -> User:
    check_password(password)
    password_hash = await hashing.hash(password)
    try:
        user = await users_repo.create(
            session, email=normalise_email(email), password_hash=password_hash, locale=locale
        )
    except users_repo.EmailTakenError as exc:
        raise EmailTakenError() from exc
    # The welcome mail follows from the event: the account and its event commit together.
    await stage_events(
        session, UserRegistered(correlation_id=meta.correlation_id, user_id=user.id, locale=locale)
    )
    await audit.record(session, "auth.registered", meta, actor_id=user.id)
    await session.commit()
    return user


async def log_in(
    session: AsyncSession,
    settings: Settings,
    hashing: Hashing,
    email: str,
    password: str,
    meta: RequestMeta,
    limiter: RateLimiter,
) -> TokenPair:
    """Tokens, or ``MfaRequiredError`` carrying the mfa_token of the second step.

    Every attempt on an address spends its budget, known or not, right or wrong: the
    refusal comes before the password is checked, so it tells nothing about either.
    """
    email = normalise_email(email)
    # Postgres refuses NUL in text; no stored address holds one, so no user has it.
    user = None if "\x00" in email else await users_repo.by_email(session, email)
    try:
        await limiter.hit(Bucket.LOGIN_ACCOUNT, f"email:{email}")
    except RateLimitedError:
        # The owner sees the guessing in their security activity; the caller learns nothing.
        await audit.record(
            session,
            "auth.login",
            meta,
            actor_id=None,
            subject_id=user.id if user else None,
            outcome="failed",
            detail={"reason": "rate_limited"},
        )
        await session.commit()
        raise
    # Verify against a dummy hash when the user is unknown: same timing either way.
    ok = await hashing.verify(user.password_hash if user else DUMMY_HASH, password)
    # An account being erased answers like a wrong password: nothing tells it apart.
    if user is None or not ok or user.erasure_requested_at is not None:
        await audit.record(
            session,
            "auth.login",
            meta,
            actor_id=None,
            subject_id=user.id if user else None,
            outcome="failed",
            detail={"reason": "invalid_credentials"},
        )
        await session.commit()
        raise InvalidCredentialsError()
    if user.disabled_at is not None:
        await _refuse_disabled(session, user.id, meta)
    if await mfa.is_enabled(session, user.id):
        mfa_token = await mfa.begin_challenge(session, settings, user.id)
        await audit.record(session, "auth.login", meta, actor_id=user.id, outcome="mfa_required")
        await session.commit()
        raise MfaRequiredError(mfa_token)
    await security_alerts.record_sign_in(session, user.id, meta, {"method": "password"})
    pair = await issue(session, settings.auth, user.id, family_id=uuid.uuid4(), meta=meta)
    await session.commit()
    return pair


async def complete_mfa(
    session: AsyncSession, settings: Settings, mfa_token: str, code: str, meta: RequestMeta
) -> TokenPair:
    """The second step of a log-in: a good code for the mfa_token gives the tokens."""
    challenge = await mfa.complete_challenge(session, settings, mfa_token, code, meta)
    user = await users_repo.by_id(session, challenge.user_id)
    if user is None or user.erasure_requested_at is not None:
        # Erased between the two steps: the second one opens nothing.
        raise InvalidMfaTokenError()
    if user.disabled_at is not None:
        await _refuse_disabled(session, user.id, meta)
    await security_alerts.record_sign_in(
        session, challenge.user_id, meta, {"method": challenge.method}
    )
    pair = await issue(session, settings.auth, challenge.user_id, family_id=uuid.uuid4(), meta=meta)
    await session.commit()
    return pair


async def _refuse_disabled(session: AsyncSession, user_id: uuid.UUID, meta: RequestMeta) -> None:
    # Only once the password is right: a disabled account is no hint to a guesser.
    await audit.record(
        session,
        "auth.login",
        meta,
        actor_id=None,
        subject_id=user_id,
        outcome="failed",
        detail={"reason": "account_disabled"},
    )
    await session.commit()
    raise AccountDisabledError()


async def log_out(
    session: AsyncSession,
    sessions: SessionChecks,
    user_id: uuid.UUID,
    family_id: uuid.UUID | None,
    meta: RequestMeta,
) -> None:
    """End the caller's session: its refresh family is revoked, its access tokens die."""
    if family_id is not None:
        await users_repo.revoke_family(session, family_id, datetime.now(UTC))
    await audit.record(session, "auth.logout", meta, actor_id=user_id)
    await session.commit()
    sessions.forget()


async def refresh(
    session: AsyncSession,
    auth: AuthSettings,
    sessions: SessionChecks,
    refresh_token: str,
    meta: RequestMeta | None = None,
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
    # Disabling revokes the tokens; one issued by a refresh racing it is refused here.
    if await users_repo.live_role(session, stored.user_id, None) is None:
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
    pair = await issue(session, auth, stored.user_id, family_id=stored.family_id, meta=meta)
    await session.commit()
    return pair


async def issue(
    session: AsyncSession,
    auth: AuthSettings,
    user_id: uuid.UUID,
    family_id: uuid.UUID,
    meta: RequestMeta | None = None,
) -> TokenPair:
    secret = auth.secret_key.get_secret_value()
    expires_at = datetime.now(UTC) + timedelta(days=auth.refresh_token_days)
    # Where each token was issued, for the user's list of sessions.
    stored = await users_repo.add_refresh_token(
        session,
        user_id=user_id,
        family_id=family_id,
        expires_at=expires_at,
        user_agent=meta.user_agent if meta else None,
        ip=meta.ip if meta else None,
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


async def verify_email(
    session: AsyncSession, settings: Settings, token: str, meta: RequestMeta
) -> User:
    """Mark the address a verification link was sent to as the user's; following the
    link again changes nothing. A link for an address the account no longer has is
    refused like a forged one."""
    try:
        link = mail_links.read_verification(settings, token)
    except mail_links.ExpiredLinkError as exc:
        raise ExpiredVerificationLinkError() from exc
    except InvalidSignatureError as exc:
        raise InvalidVerificationLinkError() from exc
    user = await users_repo.by_id(session, link.user_id, lock=True)
    if (
        user is None
        or user.erasure_requested_at is not None
        or mail_links.email_digest(user.email) != link.email_digest
    ):
        raise InvalidVerificationLinkError()
    if user.email_verified_at is None:
        user.email_verified_at = datetime.now(UTC)
        await audit.record(session, "auth.email_verified", meta, actor_id=user.id)
        await session.commit()
    return user
