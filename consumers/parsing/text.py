"""Text clean-up shared by every extractor, and accent folding for matching."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

BULLET = "•"

# Glyphs CVs use as list markers, including the private-use code points Word's
# Symbol/Wingdings bullets come out as.
_BULLET_CHARS = "•●▪■◦○‣⁃∙·➢➤►▸▹✓✔✗❖◆◇□★☆→⇒*\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8\uf06e"
_BULLET_LINE = re.compile(rf"^\s*(?:[{re.escape(_BULLET_CHARS)}]|[-–—](?=\s))\s*")
_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
)
# Zero-width characters and the soft hyphen carry no text.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_RUNS = re.compile(r"\n{3,}")
# Text pasted out of a document (or out of a spreadsheet cell) often lost its line
# breaks but kept a wide gap where each one was: a long line with many such gaps is
# several lines run together. Short lines keep their gaps (columns of a table).
_GAP = re.compile(r"[ \t\u00a0]{2,}")
_JOINED_LINE_CHARS = 80
_JOINED_LINE_GAPS = 3


def normalize_text(text: str) -> str:
    """Return ``text`` with uniform line ends, spaces and bullets, and no NULs.

    Idempotent: extractors call it, and ``parse_cv`` calls it again on text that may
    come from elsewhere.
    """
    text = unicodedata.normalize("NFC", text).translate(_LIGATURES)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    # Some PDF encodings turn the bullet glyph into DEL (0x7F).
    text = _CONTROLS.sub("", _INVISIBLE.sub("", text.replace("\x7f", BULLET)))
    text = _unquoted(text)
    lines = []
    for raw in _split_joined_lines(text.split("\n")):
        line = _SPACES.sub(" ", raw).strip()
        if line:
            line = _unify_bullet(line)
        lines.append(line)
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()


def _unquoted(text: str) -> str:
    """A CV copied out of a spreadsheet cell comes quoted (the end quote is often lost)."""
    stripped = text.strip()
    first_line = stripped.split("\n", 1)[0]
    if stripped[:1] in ('"', "“") and not re.search('["”]', first_line[1:]):
        return stripped[1:].removesuffix('"').removesuffix("”")
    return text


def _split_joined_lines(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if len(line) > _JOINED_LINE_CHARS and len(_GAP.findall(line)) >= _JOINED_LINE_GAPS:
            out.extend(_GAP.split(line))
        else:
            out.append(line)
    return out


def _unify_bullet(line: str) -> str:
    match = _BULLET_LINE.match(line)
    if match is None:
        return line
    rest = line[match.end() :]
    return f"{BULLET} {rest}" if rest else ""


class CharTable(dict[int, str]):
    """A ``str.translate`` table that computes (and keeps) each character's mapping."""

    def __init__(self, mapping: Callable[[str], str]) -> None:
        super().__init__()
        self._mapping = mapping

    def __missing__(self, code: int) -> str:
        value = self._mapping(chr(code))
        self[code] = value
        return value


def _fold_char(ch: str) -> str:
    decomposed = unicodedata.normalize("NFD", ch.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _strip_char(ch: str) -> str:
    decomposed = unicodedata.normalize("NFD", ch)
    return "".join(c for c in decomposed if not unicodedata.combining(c)) or ch


_FOLD = CharTable(_fold_char)
_FOLD_SAME_LENGTH = CharTable(lambda ch: (_fold_char(ch) or ch)[0])
_STRIP = CharTable(_strip_char)


def fold(text: str) -> str:
    """Lower-case ``text`` and strip its accents ("Experiência" -> "experiencia")."""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFC", text).translate(_FOLD)


def fold_in_place(text: str) -> str:
    """``fold`` one character at a time, so spans found in the result index ``text``."""
    if text.isascii():
        return text.lower()
    return text.translate(_FOLD_SAME_LENGTH)


def strip_accents(text: str) -> str:
    """Strip accents but keep case, for case-sensitive matching."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", text).translate(_STRIP)


def is_bullet(line: str) -> bool:
    return line.startswith(BULLET)


def strip_bullet(line: str) -> str:
    return line[len(BULLET) :].strip() if is_bullet(line) else line.strip()
