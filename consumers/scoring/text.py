"""Text helpers shared by the rubric, the suggestions and job matching."""

from __future__ import annotations

import re
import unicodedata

from consumers.parsing.text import CharTable

_BULLET_RE = re.compile(r"^\s*(?:[•●▪■◦‣∙·*\-–—>➢✓✔]|\d{1,2}[.)])\s*")
_WORD_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_SPACE_RE = re.compile(r"\s+")
_FIRST_WORD_RE = re.compile(r"[^\W\d_]+")

# A digit group that is not glued to letters (so "B2B" or "S4HANA" do not count as impact).
_NUMBER_RE = re.compile(r"(?<![^\W\d_])(\d+(?:[.,]\d+)*)(\s*%|\s*(?:k|mi|mil|mm|bi|x)\b)?")
_YEAR_RE = re.compile(r"(?:19|20)\d{2}")
_CURRENCY_BEFORE_RE = re.compile(r"(?:R\$|US\$|\$|€|£)\s*$")

# Text extraction failures: replacement and private-use glyphs, control characters, PDF
# "(cid:12)" glyph ids, and UTF-8 read as Latin-1 ("Ã§" for "ç", "â€™" for "’").
_GARBLED_RE = re.compile(
    r"[\ufffd\ue000-\uf8ff\x00-\x08\x0b\x0e-\x1f\x7f]|\(cid:\d+\)|[ÃÂ][\u0080-\u00bf]|â€"
)


def _without_marks(ch: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))


# Decomposing character by character gives what decomposing the whole text would, once
# the marks (the only characters a decomposition reorders) are dropped.
_WITHOUT_MARKS = CharTable(_without_marks)


def fold(text: str) -> str:
    """Lowercase ``text`` and drop accents, so "Gestão" and "gestao" compare equal."""
    if text.isascii():
        return text.lower()
    return text.translate(_WITHOUT_MARKS).lower()


def words(text: str) -> list[str]:
    return _WORD_RE.findall(text)


def squash(text: str) -> str:
    """Collapse whitespace and case, for comparing a parsed fragment with a raw line."""
    return _SPACE_RE.sub(" ", text).strip().casefold()


def strip_bullet(line: str) -> str:
    return _BULLET_RE.sub("", line, count=1).strip()


def is_bullet_line(line: str) -> bool:
    return bool(_BULLET_RE.match(line)) and bool(strip_bullet(line))


def first_word(text: str) -> str:
    """The first word of a bullet, folded ("" when there is none)."""
    match = _FIRST_WORD_RE.search(strip_bullet(text))
    return fold(match.group()) if match else ""


def is_quantified(bullet: str, number_words: frozenset[str]) -> bool:
    """Whether a bullet states a quantity: a number, percentage, amount of money or a
    number word. A bare year ("em 2019") is a date, not a result."""
    for match in _NUMBER_RE.finditer(bullet):
        digits, suffix = match.group(1), match.group(2)
        if suffix or not _YEAR_RE.fullmatch(digits):
            return True
        if _CURRENCY_BEFORE_RE.search(bullet[: match.start()]):
            return True
    return any(word in number_words for word in words(fold(bullet)))


def garbled_count(text: str) -> int:
    return sum(len(match.group()) for match in _GARBLED_RE.finditer(text))


def has_garbled(text: str) -> bool:
    return _GARBLED_RE.search(text) is not None


class CvLines:
    """The non-empty lines of a CV text, to quote a parsed fragment as it was written.

    Parsers strip bullet markers and may join wrapped lines, so a fragment is matched
    ignoring whitespace and case, and a wrapped bullet is quoted by its first line.
    """

    def __init__(self, text: str) -> None:
        self.lines: list[str] = [line.strip() for line in text.splitlines() if line.strip()]
        self._keys: list[str] = [squash(strip_bullet(line)) for line in self.lines]
        self._exact: dict[str, str] = {}
        for key, line in zip(self._keys, self.lines, strict=True):
            self._exact.setdefault(key, line)

    def find(self, fragment: str | None) -> str | None:
        """The first CV line that holds ``fragment``, or None when it is not in the text."""
        if not fragment:
            return None
        key = squash(strip_bullet(fragment))
        if not key:
            return None
        if key in self._exact:
            return self._exact[key]
        for line_key, line in zip(self._keys, self.lines, strict=True):
            if key in line_key:
                return line
        # A bullet wrapped over several lines: its first line starts the fragment.
        for line_key, line in zip(self._keys, self.lines, strict=True):
            if len(line_key) >= 20 and key.startswith(line_key):
                return line
        return None

    def find_all(self, *parts: str | None) -> str | None:
        """The first line holding every given part (None parts ignored)."""
        keys = [squash(part) for part in parts if part and part.strip()]
        if not keys:
            return None
        for line_key, line in zip(self._keys, self.lines, strict=True):
            if all(key in line_key for key in keys):
                return line
        return None
