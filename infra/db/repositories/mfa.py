"""TOTP authenticators, recovery codes and the pending second steps of log-ins."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db.models import MfaChallenge, MfaRecoveryCode, UserMfa


async def for_user(
    session: AsyncSession, user_id: uuid.UUID, *, lock: bool = False
) -> UserMfa | None:
    query = select(UserMfa).where(UserMfa.user_id == user_id)
    if lock:
        # Serialises code checks of one user: a code raced twice is accepted once.
        query = query.with_for_update()
    return await session.scalar(query)


async def is_enabled(session: AsyncSession, user_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(UserMfa.user_id).where(UserMfa.user_id == user_id, UserMfa.confirmed_at.is_not(None))
    )
    return found is not None


async def start_enrolment(session: AsyncSession, user_id: uuid.UUID, secret_sealed: bytes) -> None:
    """A new pending authenticator, replacing a pending one (never a confirmed one)."""
    await session.execute(
        delete(UserMfa).where(UserMfa.user_id == user_id, UserMfa.confirmed_at.is_(None))
    )
    session.add(UserMfa(user_id=user_id, secret_sealed=secret_sealed))
    await session.flush()


async def remove(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(delete(MfaRecoveryCode).where(MfaRecoveryCode.user_id == user_id))
    await session.execute(delete(UserMfa).where(UserMfa.user_id == user_id))


async def replace_recovery_codes(
    session: AsyncSession, user_id: uuid.UUID, code_hashes: Iterable[str]
) -> None:
    await session.execute(delete(MfaRecoveryCode).where(MfaRecoveryCode.user_id == user_id))
    session.add_all(
        MfaRecoveryCode(id=uuid.uuid4(), user_id=user_id, code_hash=code_hash)
        for code_hash in code_hashes
    )
    await session.flush()


async def use_recovery_code(
    session: AsyncSession, user_id: uuid.UUID, code_hash: str, at: datetime
) -> bool:
    """Spend an unused code; False when there is none (wrong, or used before)."""
    spent = await session.scalar(
        update(MfaRecoveryCode)
        .where(
            MfaRecoveryCode.user_id == user_id,
            MfaRecoveryCode.code_hash == code_hash,
            MfaRecoveryCode.used_at.is_(None),
        )
        .values(used_at=at)
        .returning(MfaRecoveryCode.id)
    )
    return spent is not None


async def add_challenge(
    session: AsyncSession, user_id: uuid.UUID, expires_at: datetime, now: datetime
) -> MfaChallenge:
    # Expired challenges of the user are of no use to anyone: clear them as we go.
    await session.execute(
        delete(MfaChallenge).where(MfaChallenge.user_id == user_id, MfaChallenge.expires_at < now)
    )
    challenge = MfaChallenge(id=uuid.uuid4(), user_id=user_id, expires_at=expires_at)
    session.add(challenge)
    await session.flush()
    return challenge


async def challenge_for_update(
    session: AsyncSession, challenge_id: uuid.UUID
) -> MfaChallenge | None:
    return await session.scalar(
        select(MfaChallenge).where(MfaChallenge.id == challenge_id).with_for_update()
    )
