"""Full-text search over a user's own CVs (the ``cv_search`` table).

Both the Portuguese and the English configuration index every document and read every
query, so "desenvolvedora" finds "desenvolvedor" and "managed" finds "manager". Accents
are folded here, in one place for documents and queries alike, because the embedded
PostgreSQL ships without the ``unaccent`` extension.
"""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Sequence

from sqlalchemy import func, literal_column, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db.models import Cv, CvSearch

MAX_FIELD_CHARS = 20_000


def fold(value: str) -> str:
    """Lower case without accents ("Gestão" -> "gestao") or control characters (Postgres
    refuses a NUL in text)."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(
        " " if unicodedata.category(c) == "Cc" else c
        for c in decomposed
        if not unicodedata.combining(c)
    ).lower()


def _joined(values: Sequence[str]) -> str:
    return fold(" \n".join(values))[:MAX_FIELD_CHARS]


_DOCUMENT = text(
    "setweight(to_tsvector('portuguese', :a), 'A') || setweight(to_tsvector('english', :a), 'A')"
    " || setweight(to_tsvector('portuguese', :b), 'B') || setweight(to_tsvector('english', :b), 'B')"
    " || setweight(to_tsvector('portuguese', :c), 'C') || setweight(to_tsvector('english', :c), 'C')"
)


async def index_cv(
    session: AsyncSession,
    *,
    cv_id: uuid.UUID,
    user_id: uuid.UUID,
    analysis_version: int,
    primary: Sequence[str],
    headings: Sequence[str],
    suggestions: Sequence[str],
) -> None:
    """Replace what search finds of a CV: ``primary`` (skills, job titles) ranks
    above ``headings``, which rank above ``suggestions``."""
    document = _DOCUMENT.bindparams(a=_joined(primary), b=_joined(headings), c=_joined(suggestions))
    statement = insert(CvSearch).values(
        cv_id=cv_id,
        user_id=user_id,
        analysis_version=analysis_version,
        document=document,
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[CvSearch.cv_id],
            set_={
                "analysis_version": statement.excluded.analysis_version,
                "document": statement.excluded.document,
                "updated_at": func.now(),
            },
            # A late redelivery of an older version never replaces a newer one.
            where=CvSearch.analysis_version <= statement.excluded.analysis_version,
        )
    )


async def search(
    session: AsyncSession, user_id: uuid.UUID, query: str, *, limit: int, offset: int
) -> tuple[Sequence[Cv], int]:
    """The user's CVs matching ``query`` (web-search syntax: words, "phrases", -not, or),
    best match first, then newest."""
    folded = fold(query)
    tsquery = func.websearch_to_tsquery(literal_column("'portuguese'::regconfig"), folded).op("||")(
        func.websearch_to_tsquery(literal_column("'english'::regconfig"), folded)
    )
    matches = CvSearch.document.op("@@")(tsquery)
    mine = (CvSearch.user_id == user_id) & matches
    total = await session.scalar(select(func.count()).select_from(CvSearch).where(mine))
    rank = func.ts_rank_cd(CvSearch.document, tsquery)
    rows = await session.scalars(
        select(Cv)
        .join(CvSearch, CvSearch.cv_id == Cv.id)
        .where(mine, Cv.user_id == user_id)
        .order_by(rank.desc(), Cv.created_at.desc(), Cv.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return rows.all(), int(total or 0)
