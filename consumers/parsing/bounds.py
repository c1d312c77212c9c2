"""Size bounds applied to every text before it is analysed.

A CV is a few thousand words. Text beyond what any CV holds (a 10 MiB single line, a
50,000-character "word", a DOCX whose XML inflates to millions of characters) carries
no fact worth extracting, and it is exactly what makes pattern matching slow. Bounding
the text once, here, keeps every later stage's cost proportional to a CV's size
whatever the file held.
"""

from __future__ import annotations

import re
from typing import Final

# Twenty dense pages; the longest real CVs we have seen hold under a third of this.
MAX_TEXT_CHARS: Final = 120_000
# What an extractor may hand over before normalisation (which may drop spaces and
# control characters); anything longer is cut before any regex runs over it.
MAX_RAW_CHARS: Final = 4 * MAX_TEXT_CHARS
# Longer than any URL, e-mail or word a CV needs; a run of non-space characters past
# this is cut to it.
MAX_TOKEN_CHARS: Final = 200
# A paragraph longer than this is broken at a space (or hard, if it has none).
MAX_LINE_CHARS: Final = 2_000

# Anchored at a token's start so that the scan is linear: every character is looked at
# once, whatever the length of the token it belongs to.
_LONG_TOKEN = re.compile(rf"(?<!\S)\S{{{MAX_TOKEN_CHARS + 1},}}")


def bound_raw(text: str) -> str:
    """Cut extracted text to what normalisation may look at."""
    return text[:MAX_RAW_CHARS]


def bound_text(text: str) -> str:
    """``text`` with tokens, lines and the whole cut to the bounds above.

    Linear in ``len(text)``; text within the bounds comes back unchanged.
    """
    text = text[:MAX_RAW_CHARS]
    if len(text) > MAX_TOKEN_CHARS:
        text = _LONG_TOKEN.sub(lambda m: m.group(0)[:MAX_TOKEN_CHARS], text)
    if len(text) > MAX_LINE_CHARS:
        text = "\n".join(_wrap(line) for line in text.split("\n"))
    return text[:MAX_TEXT_CHARS]


def _wrap(line: str) -> str:
    if len(line) <= MAX_LINE_CHARS:
        return line
    pieces: list[str] = []
    start = 0
    while len(line) - start > MAX_LINE_CHARS:
        cut = line.rfind(" ", start, start + MAX_LINE_CHARS)
        if cut <= start:
            cut = start + MAX_LINE_CHARS
        pieces.append(line[start:cut])
        start = cut + 1 if line[cut : cut + 1] == " " else cut
    pieces.append(line[start:])
    return "\n".join(pieces)
