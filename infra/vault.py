"""Users' data keys: created on first need, unwrapped when a service needs plaintext,
re-wrapped on master-key rotation, destroyed on erasure."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from infra.crypto import DataKey, MasterKeys, WrappedKey
from infra.db.repositories import user_keys as user_keys_repo
from infra.db.session import Database


class DataKeyMissingError(LookupError):
    """The user has no data key: never had personal data, or was erased (shredded)."""


@dataclass(frozen=True)
class Vault:
    keys: MasterKeys

    async def key(self, session: AsyncSession, user_id: uuid.UUID) -> DataKey:
        stored = await user_keys_repo.get(session, user_id)
        if stored is None:
            raise DataKeyMissingError(str(user_id))
        return self.keys.unwrap(user_id, WrappedKey(stored.master_key_id, stored.wrapped))

    async def key_if_any(self, session: AsyncSession, user_id: uuid.UUID) -> DataKey | None:
        """For reads: rows written before encryption need no key, and a user who never
        stored anything has none."""
        try:
            return await self.key(session, user_id)
        except DataKeyMissingError:
            return None

    async def key_or_create(self, session: AsyncSession, user_id: uuid.UUID) -> DataKey:
        """The user's key, created in the caller's transaction if there is none yet."""
        stored = await user_keys_repo.get(session, user_id)
        if stored is None:
            _, wrapped = self.keys.new_data_key(user_id)
            stored = await user_keys_repo.add_if_missing(
                session, user_id, wrapped.key_id, wrapped.wrapped
            )
        return self.keys.unwrap(user_id, WrappedKey(stored.master_key_id, stored.wrapped))

    async def destroy(self, session: AsyncSession, user_id: uuid.UUID) -> None:
        await user_keys_repo.destroy(session, user_id)


async def rotate(db: Database, keys: MasterKeys, batch: int = 500) -> int:
    """Re-wrap every data key not yet under the current master key; returns how many.

    Batches commit one by one, so a rotation stopped midway resumes where it stopped; the
    previous master key must stay configured until it reports nothing left."""
    done = 0
    while True:
        async with db.transaction() as session:
            rows = await user_keys_repo.not_wrapped_by(session, keys.current_id, batch)
            for row in rows:
                wrapped = keys.rewrap(row.user_id, WrappedKey(row.master_key_id, row.wrapped))
                user_keys_repo.rewrapped(row, wrapped.key_id, wrapped.wrapped)
        done += len(rows)
        if len(rows) < batch:
            return done
