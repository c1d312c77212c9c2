"""Date ranges as CVs write them -> ``YYYY-MM`` strings.

Handles month names and abbreviations in Portuguese and English ("mar. 2018",
"Janeiro de 2020", "March 2018", "jun/22"), numeric months ("03/2018"), bare years, and
"current" words ("atual", "o momento", "Present"), joined by dashes, "a", "até", "to".
A bare start year maps to January and a bare end year to December.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from consumers.parsing.text import fold_in_place

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "jan janeiro january",
        "fev fevereiro feb february",
        "mar marco march",
        "abr abril apr april",
        "mai maio may",
        "jun junho june",
        "jul julho july",
        "ago agosto aug august",
        "set setembro sep sept september",
        "out outubro oct october",
        "nov novembro november",
        "dez dezembro dec december",
    ],
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_MONTH_NAME = "|".join(sorted(_MONTHS, key=len, reverse=True))
_YEAR = r"(?:19[5-9]\d|20\d\d)"
# One date: "mar. 2018", "março de 2018", "03/2018", "2018-03", "2018".
_DATE = (
    rf"(?:(?P<{{p}}mon>{_MONTH_NAME})\.?(?:\s*(?:de|of)\s+|\s*[/.\-]\s*|\s+)(?P<{{p}}y1>{_YEAR})"
    rf"|(?P<{{p}}mm>0?[1-9]|1[0-2])\s*[/.\-]\s*(?P<{{p}}y2>{_YEAR})"
    rf"|(?P<{{p}}y3>{_YEAR})\s*[/\-]\s*(?P<{{p}}mm2>0[1-9]|1[0-2])(?!\d)"
    rf"|(?P<{{p}}mon2>{_MONTH_NAME})\.?\s*(?:/|\s'|')\s*(?P<{{p}}y5>\d\d)(?![\d/])"
    rf"|(?P<{{p}}y4>{_YEAR}))"
)
_CURRENT = (
    r"(?:(?:ate\s+)?(?:o\s+)?(?:presente|momento|atual(?:mente)?|hoje|dias\s+atuais)"
    r"|em\s+andamento|cursando|present|current(?:ly)?|now|today|ongoing|date)"
)
_SEPARATOR = r"\s*(?:[-–—−‒]+|\bate\b|\ba\b|\bto\b|\buntil\b|\btill\b|\bthrough\b)\s*"
_RANGE = re.compile(
    rf"(?<![\w/])(?:desde\s+|since\s+|from\s+|de\s+)?{_DATE.format(p='s')}"
    rf"(?:{_SEPARATOR}(?:{_DATE.format(p='e')}|(?P<current>{_CURRENT}))"
    rf"|\s+(?P<onwards>onwards|em diante|ate hoje))?(?![\w/])",
    re.IGNORECASE,
)
# Two-digit years up to this one are read as 20xx; CVs rarely look further ahead.
_SHORT_YEAR_PIVOT = 40
_SINCE = re.compile(r"^(?:desde|since)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DateRange:
    start: str | None
    end: str | None
    current: bool
    # Where the range sits in the text, to cut it out of a line.
    span: tuple[int, int]


def find_date_range(text: str) -> DateRange | None:
    """Return the first date range in ``text`` (a single date counts), or None.

    Ranges with an end before their start are ignored.
    """
    folded = fold_in_place(text)
    for match in _RANGE.finditer(folded):
        parsed = _from_match(match)
        if parsed is not None:
            return parsed
    return None


def parse_date_range(text: str) -> tuple[str | None, str | None]:
    """Return ``(start, end)`` as ``YYYY-MM``; end is None for current roles."""
    found = find_date_range(text)
    return (None, None) if found is None else (found.start, found.end)


def years_in(text: str) -> list[int]:
    """All plausible years in ``text``, in order."""
    return [int(y) for y in re.findall(rf"(?<!\d){_YEAR}(?!\d)", text)]


def _from_match(match: re.Match[str]) -> DateRange | None:
    start = _date(match, "s", end=False)
    if start is None:
        return None
    current = match.group("current") is not None or match.group("onwards") is not None
    end = None if current else _date(match, "e", end=True)
    single = not current and not any(
        match.group(f"e{g}") for g in ("mon", "mm", "y1", "y2", "y3", "y4", "mm2", "y5")
    )
    if single:
        # A lone date: "since 2020" is current; a lone "2019" is one whole year.
        if _SINCE.match(match.group(0)):
            current = True
        elif match.group("sy4"):
            end = f"{match.group('sy4')}-12"
        else:
            end = start
    if end is not None and end < start:
        return None
    return DateRange(start=start, end=end, current=current, span=match.span())


def _date(match: re.Match[str], prefix: str, *, end: bool) -> str | None:
    month_name = match.group(f"{prefix}mon")
    if month_name:
        return f"{match.group(f'{prefix}y1')}-{_MONTHS[month_name.lower()]:02d}"
    if match.group(f"{prefix}mm"):
        return f"{match.group(f'{prefix}y2')}-{int(match.group(f'{prefix}mm')):02d}"
    if match.group(f"{prefix}y3"):
        return f"{match.group(f'{prefix}y3')}-{match.group(f'{prefix}mm2')}"
    short = match.group(f"{prefix}y5")
    if short:
        # "jun/22", "Mar '19": a two-digit year on a CV is this century unless that would
        # put it in the future.
        century = 2000 if int(short) <= _SHORT_YEAR_PIVOT else 1900
        month = _MONTHS[match.group(f"{prefix}mon2").lower()]
        return f"{century + int(short)}-{month:02d}"
    year = match.group(f"{prefix}y4")
    if year:
        return f"{year}-{'12' if end else '01'}"
    return None
