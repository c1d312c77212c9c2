"""The pure rules of notifications: which locale, which fixes. No I/O."""

from __future__ import annotations

from schemas.notifications import DEFAULT_LOCALE, LOCALES


def locale_of(value: str | None) -> str:
    """The user's locale if we write in it, else Portuguese (Brazil first)."""
    if value in LOCALES:
        return value
    if value and value.lower().startswith("en"):
        return "en"
    return DEFAULT_LOCALE


SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def top_fixes(suggestions: list[dict[str, str]], n: int = 3) -> list[str]:
    """The ``n`` most severe suggestions' messages, in the analyser's order within a level."""
    ranked = sorted(
        enumerate(suggestions),
        key=lambda p: (SEVERITY_ORDER.get(p[1].get("severity", ""), 3), p[0]),
    )
    return [s["message"] for _, s in ranked[:n] if s.get("message")]
