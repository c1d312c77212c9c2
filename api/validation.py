"""Checks that keep inputs within what the database and the workers accept."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

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
