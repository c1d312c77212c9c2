"""Looking for a person's data everywhere it could be: Postgres, object storage, Redis."""

from __future__ import annotations

import random
import string
import uuid
from dataclasses import dataclass
from pathlib import Path

from redis.asyncio import Redis
from sqlalchemy import text

from infra.db.session import Database
from tests.support.documents import CV_PT_LEFT, CV_PT_RIGHT

_SYLLABLES = ("ba", "ce", "di", "lo", "mu", "ra", "se", "ti", "vo", "za", "ne", "qui")


@dataclass(frozen=True)
class Person:
    name: str
    email: str

    def cv(self) -> bytes:
        """A text CV that carries this person's name and e-mail."""
        lines = [self.name, *CV_PT_LEFT[1:3], self.email, *CV_PT_LEFT[4:], *CV_PT_RIGHT]
        return "\n".join(lines).encode()

    @property
    def needles(self) -> tuple[str, ...]:
        return (self.name, self.email)


def unique_person() -> Person:
    """A name and an e-mail found nowhere else (a random, pronounceable surname)."""
    rng = random.Random()
    surname = "".join(rng.choice(_SYLLABLES) for _ in range(4)).capitalize()
    local = "".join(rng.choice(string.ascii_lowercase) for _ in range(10))
    return Person(name=f"Ludmila {surname}", email=f"{local}@example.org")


async def postgres_hits(db: Database, needles: tuple[str, ...]) -> list[str]:
    """``table: row`` for every row of every table whose text holds a needle, as text or
    as the hex of its bytes (a plaintext kept in a bytea column)."""
    hits: list[str] = []
    async with db.sessions() as session:
        tables = await session.scalars(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        )
        for table in list(tables):
            for needle in needles:
                for pattern in (needle, needle.encode().hex()):
                    rows = await session.scalars(
                        text(f'SELECT t::text FROM "{table}" t WHERE t::text ILIKE :p'),
                        {"p": f"%{pattern}%"},
                    )
                    hits.extend(f"{table}: {row[:200]}" for row in rows)
    return hits


def storage_hits(files_root: Path, user_id: uuid.UUID, needles: tuple[str, ...]) -> list[str]:
    """Stored files whose path names the user or whose bytes hold a needle."""
    if not files_root.exists():
        return []
    hits = []
    for path in files_root.rglob("*"):
        if not path.is_file():
            continue
        content = path.read_bytes()
        if str(user_id) in str(path) or any(n.encode() in content for n in needles):
            hits.append(str(path.relative_to(files_root)))
    return hits


async def redis_hits(redis: Redis, user_id: uuid.UUID) -> list[str]:
    return [key async for key in redis.scan_iter(match=f"*{user_id}*")]
