"""Experience dates as month numbers: parsing, timelines, overlaps and seniority."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from schemas.cv import ExperienceEntry

_MONTH_RE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?\s*$")


def parse_month(value: str | None) -> int | None:
    """``"YYYY-MM"`` (or a bare ``"YYYY"``) as a month count, None when unreadable."""
    if not value:
        return None
    match = _MONTH_RE.match(value)
    if not match:
        return None
    year = int(match.group(1))
    month = int(match.group(2) or 1)
    if not 1 <= month <= 12 or not 1950 <= year <= 2100:
        return None
    return year * 12 + month - 1


def month_of(day: date) -> int:
    return day.year * 12 + day.month - 1


@dataclass(frozen=True, slots=True)
class Span:
    """One experience entry on the timeline; ``end`` is None while the job is current."""

    index: int
    entry: ExperienceEntry
    start: int
    end: int | None


def spans(entries: list[ExperienceEntry]) -> list[Span]:
    """The entries that have a readable start, in the CV's order."""
    found: list[Span] = []
    for index, entry in enumerate(entries):
        start = parse_month(entry.start)
        if start is None:
            continue
        end = None if entry.current else parse_month(entry.end)
        found.append(Span(index, entry, start, end))
    return found


def reference_month(found: list[Span], today: date | None) -> int:
    """The month that closes current jobs: ``today`` when given, otherwise the latest
    month the CV mentions (so the result never depends on the clock)."""
    if today is not None:
        return month_of(today)
    months = [s.start for s in found] + [s.end for s in found if s.end is not None]
    return max(months, default=0)


def experience_years(found: list[Span], today: date | None) -> float:
    """Years covered by the entries, counting overlapping months once."""
    ref = reference_month(found, today)
    intervals = sorted((s.start, max(s.start, s.end if s.end is not None else ref)) for s in found)
    total = 0
    current_start, current_end = None, None
    for start, end in intervals:
        if current_end is None or current_start is None or start > current_end + 1:
            if current_end is not None and current_start is not None:
                total += current_end - current_start + 1
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None and current_start is not None:
        total += current_end - current_start + 1
    return total / 12
