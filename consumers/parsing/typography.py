"""Lines a document sets apart by type: larger or bolder than its body text.

A CV's name is usually the largest text near the top of the first page, in whichever
column it sits, under a photo or a contact block: text order alone loses that. The
extractors (``pdf_text``, ``docx_text``) describe the first page's lines as
``StyledLine``; ``prominent_lines`` picks the ones set apart, largest first, for the
name finder to try before it falls back to reading the text in order.
"""

from __future__ import annotations

from dataclasses import dataclass

# Larger than the body by this factor (or bold and a little larger) stands out.
_LARGER = 1.25
_BOLD_LARGER = 1.1
MAX_PROMINENT = 8
_MAX_LINE = 80


@dataclass(frozen=True, slots=True)
class StyledLine:
    text: str
    size: float
    bold: bool = False
    top: float = 0.0  # distance from the top of the page, any unit; smaller is higher
    x: float = 0.0  # left edge


def body_size(lines: list[StyledLine]) -> float:
    """The size most of the characters are set in."""
    weight: dict[float, int] = {}
    for line in lines:
        key = round(line.size, 1)
        weight[key] = weight.get(key, 0) + len(line.text)
    return max(weight, key=lambda k: weight[k]) if weight else 0.0


def prominent_lines(lines: list[StyledLine]) -> tuple[str, ...]:
    """Short lines set larger (or bold and larger) than the body: largest, then highest
    first. Empty when the page has one size throughout (nothing stands out)."""
    body = body_size(lines)
    if body <= 0:
        return ()
    picked = [
        line
        for line in lines
        if len(line.text) <= _MAX_LINE
        and (line.size >= body * _LARGER or (line.bold and line.size >= body * _BOLD_LARGER))
    ]
    picked.sort(key=lambda line: (-round(line.size, 1), line.top))
    out: list[str] = []
    for line in picked:
        if line.text not in out:
            out.append(line.text)
        if len(out) == MAX_PROMINENT:
            break
    return tuple(out)
