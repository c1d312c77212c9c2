"""Checks that keep inputs within what the database and the workers accept."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, Field

from api.services.errors import InvalidFormError

# PostgreSQL's bigint: ids and offsets past it are not ours, and overflow in SQL.
MAX_BIGINT = 2**63 - 1


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL: refuse it here rather than fail in the database.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


# The OpenAPI document says it too, so clients (and fuzzers) know NUL is refused.
PlainText = Annotated[
    str, AfterValidator(_no_nul), Field(json_schema_extra={"pattern": "^[^\\x00]*$"})
]


def check_plain_text(value: str, field: str, max_chars: int) -> None:
    if "\x00" in value:
        raise InvalidFormError(f"`{field}` must not contain NUL characters.")
    if len(value) > max_chars:
        raise InvalidFormError(f"`{field}` is longer than {max_chars} characters.")


def _storable_moment(value: datetime) -> datetime:
    # An aware time near year 1 or 9999 overflows once moved to UTC (as the database does).
    try:
        return value.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("is out of range") from exc


# A point in time with its offset; a naive one would be read in some unknown zone.
Moment = Annotated[AwareDatetime, AfterValidator(_storable_moment)]
