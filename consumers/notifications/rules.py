"""The pure rules of notifications: which locale, which fixes. No I/O."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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


_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def local_time(moment: datetime, time_zone: str, locale: str) -> str:
    """``moment`` as the user reads a clock: in their time zone, named, in their locale's
    order ("02/12/2026 12:04 (America/Sao_Paulo)", "2 Dec 2026, 12:04 (...)")."""
    try:
        zone = ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        zone, time_zone = ZoneInfo("UTC"), "UTC"
    local = moment.astimezone(zone)
    if locale == "en":
        return (
            f"{local.day} {_MONTHS_EN[local.month - 1]} {local.year}, {local:%H:%M} ({time_zone})"
        )
    return f"{local:%d/%m/%Y %H:%M} ({time_zone})"


_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chromium/", "Chromium"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def device_of(user_agent: str | None) -> str | None:
    """A short, readable name for the device a User-Agent describes ("Firefox on
    Windows"); a program's own name ("curl/8.5.0") when it is no browser."""
    if not user_agent:
        return None
    browser = next((name for token, name in _BROWSERS if token in user_agent), None)
    system = next((name for token, name in _SYSTEMS if token in user_agent), None)
    if browser and system:
        return f"{browser} · {system}"
    if browser or system:
        return browser or system
    return user_agent.split()[0][:60]
