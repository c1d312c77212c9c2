"""Whether an access token still speaks for a live session, and with which role, checked
on every request.

A signature alone outlives the user (deleted) and the session (its refresh family
revoked on reuse), and a role changes. The check is one indexed query, and a success is
remembered for a few seconds so a busy client costs one query per interval, not one per
request; a role change or revocation in another process is seen within that interval.
"""

from __future__ import annotations

import time
import uuid

from infra.db.repositories import users as users_repo
from infra.db.session import Database
from infra.security import AccessClaims

_MAX_REMEMBERED = 10_000


class SessionChecks:
    def __init__(self, db: Database, remember_seconds: float) -> None:
        self._db = db
        self._remember = remember_seconds
        self._live_until: dict[tuple[uuid.UUID, uuid.UUID | None], tuple[float, str]] = {}

    async def live_role(self, claims: AccessClaims) -> str | None:
        """The user's role while the session is live, else None."""
        key = (claims.user_id, claims.family_id)
        now = time.monotonic()
        remembered = self._live_until.get(key)
        if remembered is not None and remembered[0] > now:
            return remembered[1]
        async with self._db.reads() as session:
            role = await users_repo.live_role(session, claims.user_id, claims.family_id)
        if role is not None and self._remember > 0:
            if len(self._live_until) >= _MAX_REMEMBERED:
                self._live_until.clear()
            self._live_until[key] = (now + self._remember, role)
        elif role is None:
            self._live_until.pop(key, None)
        return role

    async def is_live(self, claims: AccessClaims) -> bool:
        return await self.live_role(claims) is not None

    def forget(self) -> None:
        """Drop what is remembered (a revocation happened in this process)."""
        self._live_until.clear()
