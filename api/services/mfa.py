"""Second factor: TOTP (RFC 6238) with single-use recovery codes, the second step of a
log-in, and the check other services call before a sensitive action.

- A code is accepted within ±1 time step (30 s) of the server's clock, and once: the
  last accepted step is stored per user and a code of that step or an earlier one is
  refused as reused (RFC 6238 §5.2).
- The seed is sealed at rest (``infra/secrets_box.py``), bound to its user's id.
- Recovery codes are 80 random bits each, so a plain SHA-256 (salted with the user's id)
  is enough: a slow hash protects guessable secrets, and these are not guessable.
- A log-in's first step yields an ``mfa_token``: a JWT of its own type, signed with a
  key derived for that one purpose, naming a challenge row that bounds the wrong codes.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import re
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

import jwt
import pyotp
import segno
from sqlalchemy.ext.asyncio import AsyncSession

from api.services import audit, security_alerts
from api.services.audit import NO_REQUEST, RequestMeta
from api.services.errors import (
    InvalidMfaCodeError,
    InvalidMfaTokenError,
    InvalidPasswordError,
    MfaAlreadyEnabledError,
    MfaAttemptsExceededError,
    MfaCodeRequiredError,
    MfaCodeReusedError,
    MfaNotEnabledError,
    MfaNotPendingError,
    NotFoundError,
    StepUpMfaCodeError,
    StepUpMfaCodeReusedError,
)
from infra.db.models import User, UserMfa
from infra.db.repositories import mfa as mfa_repo
from infra.db.repositories import users as users_repo
from infra.secrets_box import SecretBox, derive_key
from infra.security import ALGORITHM, Hashing
from infra.settings import MfaSettings, Settings
from schemas.users import SecurityAlertKind

STEP_SECONDS = 30
DIGITS = 6
# Steps of clock skew accepted on either side of the server's.
VALID_WINDOW = 1
RECOVERY_CODE_COUNT = 10
# No 0/O or 1/I: codes are read off paper.
_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_RECOVERY_CHARS = 16
_TOTP_CODE = re.compile(r"[0-9]{6}")
_MFA_TOKEN_TYPE = "mfa"


class Outcome(StrEnum):
    TOTP = "totp"
    RECOVERY = "recovery"
    INVALID = "invalid"
    REUSED = "reused"


@dataclass(frozen=True)
class Enrolment:
    secret: str
    otpauth_uri: str
    qr_svg: str


@dataclass(frozen=True)
class Challenge:
    user_id: uuid.UUID
    method: Outcome


# --- pure parts --------------------------------------------------------------------


def matching_step(secret: str, code: str, at: float) -> int | None:
    """The time step within the window whose code is ``code``, if any."""
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    now = totp.timecode(datetime.fromtimestamp(at, UTC))
    for step in (now, *range(now - VALID_WINDOW, now + VALID_WINDOW + 1)):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return int(step)
    return None


def _clean(code: str) -> str:
    return "".join(code.split()).replace("-", "").upper()


def recovery_code_hash(user_id: uuid.UUID, code: str) -> str:
    return hashlib.sha256(b"recoloca-recovery:" + user_id.bytes + _clean(code).encode()).hexdigest()


def new_recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_CHARS))
    return "-".join(raw[i : i + 4] for i in range(0, _RECOVERY_CHARS, 4))


def _box(settings: MfaSettings) -> SecretBox:
    return SecretBox.from_secret(settings.encryption_key.get_secret_value(), "totp-secret")


def _qr_svg(uri: str) -> str:
    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", scale=4, xmldecl=False)
    return out.getvalue().decode()


def _token_key(settings: Settings) -> bytes:
    # Not the access-token key: a decoder that forgot to check the type still cannot
    # take one token for the other.
    return derive_key(settings.auth.secret_key.get_secret_value(), "mfa-token")


def _encode_mfa_token(
    settings: Settings, challenge_id: uuid.UUID, user_id: uuid.UUID, expires_at: datetime
) -> str:
    claims = {
        "sub": str(user_id),
        "jti": str(challenge_id),
        "exp": expires_at,
        "typ": _MFA_TOKEN_TYPE,
    }
    return jwt.encode(claims, _token_key(settings), algorithm=ALGORITHM)


def _decode_mfa_token(settings: Settings, token: str) -> tuple[uuid.UUID, uuid.UUID]:
    if len(token) > 4096:
        raise InvalidMfaTokenError()
    try:
        claims = jwt.decode(
            token,
            _token_key(settings),
            algorithms=[ALGORITHM],
            options={"require": ["exp", "jti", "sub"]},
        )
        if claims.get("typ") != _MFA_TOKEN_TYPE:
            raise InvalidMfaTokenError()
        return uuid.UUID(claims["jti"]), uuid.UUID(claims["sub"])
    except (jwt.PyJWTError, ValueError, TypeError, AttributeError) as exc:
        raise InvalidMfaTokenError() from exc


# --- checking a code -----------------------------------------------------------------


async def _check(
    session: AsyncSession,
    settings: MfaSettings,
    mfa: UserMfa,
    code: str,
    *,
    allow_recovery: bool,
    at: float | None = None,
) -> Outcome:
    """Accept a TOTP code once, or spend a recovery code; ``mfa`` must be row-locked."""
    cleaned = _clean(code)
    if _TOTP_CODE.fullmatch(cleaned):
        secret = _box(settings).open(mfa.secret_sealed, mfa.user_id.bytes).decode()
        step = matching_step(secret, cleaned, time.time() if at is None else at)
        if step is None:
            return Outcome.INVALID
        if mfa.last_used_step is not None and step <= mfa.last_used_step:
            return Outcome.REUSED
        mfa.last_used_step = step
        return Outcome.TOTP
    if not allow_recovery or mfa.confirmed_at is None or len(cleaned) != _RECOVERY_CHARS:
        return Outcome.INVALID
    spent = await mfa_repo.use_recovery_code(
        session, mfa.user_id, recovery_code_hash(mfa.user_id, cleaned), datetime.now(UTC)
    )
    return Outcome.RECOVERY if spent else Outcome.INVALID


async def verify_second_factor(
    session: AsyncSession,
    settings: MfaSettings,
    user: User,
    code: str | None,
    meta: RequestMeta = NO_REQUEST,
) -> None:
    """For a signed-in user confirming a sensitive action: nothing to do when MFA is off;
    otherwise ``code`` (TOTP or recovery) must be good, else a 403 problem is raised.

    Joins the caller's transaction (the accepted step, a spent recovery code and its
    audit entry commit with the action) and never commits itself."""
    mfa = await mfa_repo.for_user(session, user.id, lock=True)
    if mfa is None or mfa.confirmed_at is None:
        return
    if not code:
        raise MfaCodeRequiredError()
    outcome = await _check(session, settings, mfa, code, allow_recovery=True)
    if outcome is Outcome.INVALID:
        raise StepUpMfaCodeError()
    if outcome is Outcome.REUSED:
        raise StepUpMfaCodeReusedError()
    if outcome is Outcome.RECOVERY:
        await audit.record(session, "mfa.recovery_code_used", meta, actor_id=user.id)


async def reauthenticate(
    session: AsyncSession,
    settings: MfaSettings,
    hashing: Hashing,
    user: User,
    password: str,
    code: str | None,
    meta: RequestMeta = NO_REQUEST,
) -> None:
    """Password, then the second factor when MFA is on (403 ``invalid_password``,
    ``mfa_code_required``, ``invalid_mfa_code`` or ``mfa_code_reused`` otherwise)."""
    if not await hashing.verify(user.password_hash, password):
        raise InvalidPasswordError()
    await verify_second_factor(session, settings, user, code, meta)


async def is_enabled(session: AsyncSession, user_id: uuid.UUID) -> bool:
    return await mfa_repo.is_enabled(session, user_id)


# --- enrolment -------------------------------------------------------------------------


async def _locked_user(session: AsyncSession, user_id: uuid.UUID) -> User:
    # Locking the user serialises enrolment steps: two at once cannot both insert.
    user = await users_repo.by_id(session, user_id, lock=True)
    if user is None:
        raise NotFoundError("No such user.")
    return user


async def _refuse(
    session: AsyncSession,
    action: str,
    meta: RequestMeta,
    user_id: uuid.UUID,
    error: Exception,
    reason: str,
) -> Exception:
    """Undo the attempt, keep a failed entry in the trail, and hand back the error."""
    await session.rollback()
    await audit.record(
        session, action, meta, actor_id=user_id, outcome="failed", detail={"reason": reason}
    )
    await session.commit()
    return error


async def start_enrolment(
    session: AsyncSession, settings: Settings, user_id: uuid.UUID, meta: RequestMeta
) -> Enrolment:
    user = await _locked_user(session, user_id)
    if await mfa_repo.is_enabled(session, user.id):
        raise MfaAlreadyEnabledError()
    secret = pyotp.random_base32(length=32)
    sealed = _box(settings.mfa).seal(secret.encode(), user.id.bytes)
    await mfa_repo.start_enrolment(session, user.id, sealed)
    uri = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=user.email, issuer_name=settings.mfa.issuer
    )
    await audit.record(session, "mfa.enrolled", meta, actor_id=user.id)
    await session.commit()
    return Enrolment(secret=secret, otpauth_uri=uri, qr_svg=_qr_svg(uri))


async def confirm_enrolment(
    session: AsyncSession,
    settings: Settings,
    hashing: Hashing,
    user_id: uuid.UUID,
    password: str,
    code: str,
    meta: RequestMeta,
) -> list[str]:
    """The password and the first good code turn MFA on; returns the recovery codes
    (shown this once)."""
    user = await _locked_user(session, user_id)
    mfa = await mfa_repo.for_user(session, user.id, lock=True)
    if mfa is None:
        raise MfaNotPendingError()
    if mfa.confirmed_at is not None:
        raise MfaAlreadyEnabledError()
    if not await hashing.verify(user.password_hash, password):
        error = InvalidPasswordError()
        raise await _refuse(session, "mfa.enabled", meta, user.id, error, error.code)
    outcome = await _check(session, settings.mfa, mfa, code, allow_recovery=False)
    if outcome is not Outcome.TOTP:
        raise await _refuse(
            session, "mfa.enabled", meta, user.id, StepUpMfaCodeError(), outcome.value
        )
    mfa.confirmed_at = datetime.now(UTC)
    codes = [new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    await mfa_repo.replace_recovery_codes(
        session, user.id, (recovery_code_hash(user.id, c) for c in codes)
    )
    await security_alerts.record(
        session, "mfa.enabled", meta, SecurityAlertKind.MFA_ENABLED, user_id=user.id
    )
    await session.commit()
    return codes


async def disable(
    session: AsyncSession,
    settings: Settings,
    hashing: Hashing,
    user_id: uuid.UUID,
    password: str,
    code: str,
    meta: RequestMeta,
) -> None:
    user = await _locked_user(session, user_id)
    if not await mfa_repo.is_enabled(session, user.id):
        raise MfaNotEnabledError()
    try:
        await reauthenticate(session, settings.mfa, hashing, user, password, code, meta)
    except (InvalidPasswordError, StepUpMfaCodeError, StepUpMfaCodeReusedError) as exc:
        raise await _refuse(session, "mfa.disabled", meta, user.id, exc, exc.code) from None
    await mfa_repo.remove(session, user.id)
    await security_alerts.record(
        session, "mfa.disabled", meta, SecurityAlertKind.MFA_DISABLED, user_id=user.id
    )
    await session.commit()


# --- the second step of a log-in ---------------------------------------------------------


async def begin_challenge(session: AsyncSession, settings: Settings, user_id: uuid.UUID) -> str:
    """Record a pending second step; returns its mfa_token. The caller commits."""
    now = datetime.now(UTC)
    expires_at = now + timedelta(seconds=settings.mfa.challenge_seconds)
    challenge = await mfa_repo.add_challenge(session, user_id, expires_at, now)
    return _encode_mfa_token(settings, challenge.id, user_id, expires_at)


async def complete_challenge(
    session: AsyncSession, settings: Settings, mfa_token: str, code: str, meta: RequestMeta
) -> Challenge:
    """Check the code of a log-in's second step. A wrong one counts against the challenge
    (committed at once); a good one spends it. The caller issues the tokens and commits."""
    challenge_id, user_id = _decode_mfa_token(settings, mfa_token)
    challenge = await mfa_repo.challenge_for_update(session, challenge_id)
    now = datetime.now(UTC)
    if (
        challenge is None
        or challenge.user_id != user_id
        or challenge.used_at is not None
        or challenge.expires_at <= now
    ):
        raise InvalidMfaTokenError()
    if challenge.attempts >= settings.mfa.challenge_attempts:
        raise MfaAttemptsExceededError()
    mfa = await mfa_repo.for_user(session, user_id, lock=True)
    if mfa is None or mfa.confirmed_at is None:
        # MFA was turned off after the first step: that log-in must start again.
        raise InvalidMfaTokenError()
    outcome = await _check(session, settings.mfa, mfa, code, allow_recovery=True)
    if outcome in (Outcome.INVALID, Outcome.REUSED):
        challenge.attempts += 1
        await audit.record(
            session,
            "auth.login",
            meta,
            actor_id=None,
            subject_id=user_id,
            outcome="failed",
            detail={"step": "mfa", "reason": outcome.value},
        )
        await session.commit()
        raise MfaCodeReusedError() if outcome is Outcome.REUSED else InvalidMfaCodeError()
    challenge.used_at = now
    if outcome is Outcome.RECOVERY:
        await audit.record(session, "mfa.recovery_code_used", meta, actor_id=user_id)
    return Challenge(user_id=user_id, method=outcome)
