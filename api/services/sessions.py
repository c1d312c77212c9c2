"""Whether an access token still speaks for a live session, checked on every request.

A signature alone outlives the user (deleted) and the session (its refresh family
revoked on reuse). The check is one indexed query, and a success is remembered for a
few seconds so a busy client costs one query per interval, not one per request.
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
        self._live_until: dict[tuple[uuid.UUID, uuid.UUID | None], float] = {}

    async def is_live(self, claims: AccessClaims) -> bool:
        key = (claims.user_id, claims.family_id)
        now = time.monotonic()
        if self._live_until.get(key, 0.0) > now:
            return True
        async with self._db.sessions() as session:
            live = await users_repo.session_is_live(session, claims.user_id, claims.family_id)
        if live and self._remember > 0:
            if len(self._live_until) >= _MAX_REMEMBERED:
                self._live_until.clear()
            self._live_until[key] = now + self._remember
        elif not live:
            self._live_until.pop(key, None)
        return live

    def forget(self) -> None:
        """Drop what is remembered (a revocation happened in this process)."""
        self._live_until.clear()
