"""The locale of a new account, from the browser's ``Accept-Language`` (RFC 9110)."""

from __future__ import annotations

from typing import get_args

from schemas.users import Locale

DEFAULT_LOCALE: Locale = "pt-BR"
SUPPORTED: tuple[Locale, ...] = get_args(Locale)
# A header past this is not a browser's; parse only its start.
_MAX_HEADER_CHARS = 1024


def _quality(parameters: list[str]) -> float:
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                q = float(value.strip())
            except ValueError:
                return 0.0
            return q if 0.0 <= q <= 1.0 else 0.0
    return 1.0


def _supported(tag: str) -> Locale | None:
    primary = tag.split("-", 1)[0].lower()
    if primary == "pt":
        return "pt-BR"
    if primary == "en":
        return "en"
    return None


def locale_from_accept_language(header: str | None) -> Locale:
    """The supported locale the client prefers most (q-values honoured, order breaks
    ties); Portuguese of any region is pt-BR, any English is en; otherwise pt-BR."""
    if not header:
        return DEFAULT_LOCALE
    ranges: list[tuple[float, int, str]] = []
    for position, item in enumerate(header[:_MAX_HEADER_CHARS].split(",")):
        tag, *parameters = item.split(";")
        tag = tag.strip()
        q = _quality(parameters)
        if tag and q > 0:
            ranges.append((-q, position, tag))
    for _, _, tag in sorted(ranges):
        found = _supported(tag)
        if found is not None:
            return found
    return DEFAULT_LOCALE
