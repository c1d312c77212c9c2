"""Bytes of a CV file -> clean text, refusing files we cannot or should not read."""

from __future__ import annotations

import codecs
import math
import unicodedata
from dataclasses import dataclass

from consumers.parsing.bounds import MAX_RAW_CHARS, bound_raw, bound_text
from consumers.parsing.docx_text import read_docx
from consumers.parsing.errors import NO_EXTRACTABLE_TEXT, ParseError
from consumers.parsing.odt_text import read_odt
from consumers.parsing.pdf_text import read_pdf
from consumers.parsing.rtf_text import read_rtf
from consumers.parsing.text import normalize_text
from schemas.files import FileKind

MIN_LETTERS = 40
# Above these shares of the non-space characters, text is garbage (bad font
# encodings give replacement, private-use or control characters).
MAX_JUNK_SHARE = 0.10
MIN_LETTER_SHARE = 0.45
# Accented Latin letters are a few percent of a Portuguese text's letters; random bytes
# and mis-decoded files come out as mostly accented letters ("ÃÂ¢Ã©...").
MAX_ACCENTED_SHARE = 0.35
# Rough characters per page, to give DOCX/TXT files a page count.
_CHARS_PER_PAGE = 3500


@dataclass(frozen=True, slots=True)
class ExtractedText:
    text: str
    page_count: int
    prominent: tuple[str, ...] = ()  # lines set apart by type (see ``typography``)
    photo: bool = False


def extract_text(data: bytes, kind: FileKind) -> ExtractedText:
    """Extract normalised text from a PDF, DOCX, ODT, RTF or TXT file.

    Raises ``ParseError``: ``no_extractable_text`` (scanned, garbled or empty),
    ``unreadable_file`` (corrupt, truncated, encrypted) or ``file_too_complex``
    (decompression bombs, too many pages, over the time budget).
    """
    prominent: tuple[str, ...] = ()
    photo = False
    if kind is FileKind.PDF:
        pdf = read_pdf(data)
        raw, pages = "\n\n".join(pdf.pages), pdf.page_count
        prominent, photo = pdf.prominent, pdf.photo
    elif kind is FileKind.DOCX:
        document = read_docx(data)
        raw, pages = document.text, document.page_count or 0
        prominent, photo = document.prominent, document.photo
    elif kind is FileKind.ODT:
        odt = read_odt(data)
        raw, pages = odt.text, odt.page_count or 0
        prominent, photo = odt.prominent, odt.photo
    elif kind is FileKind.RTF:
        raw, photo = read_rtf(data)
        pages = 0
    else:
        raw, pages = decode_text(data), 0
    text = bound_text(normalize_text(bound_raw(raw)))
    _require_real_text(text)
    return ExtractedText(
        text=text, page_count=pages or _estimate_pages(text), prominent=prominent, photo=photo
    )


def decode_text(data: bytes) -> str:
    """Decode a plain-text CV: UTF-16 with a BOM, UTF-8 (with or without BOM), else line
    by line, each line as UTF-8 when it holds UTF-8 sequences, else as Windows-1252.

    One stray byte in a UTF-8 file costs one replacement character, not the whole file
    read as Windows-1252 ("SÃ£o Paulo"). Only the start of a huge file is decoded: the
    text kept is bounded anyway.
    """
    data = data[: 4 * MAX_RAW_CHARS]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    raws = data.split(b"\n")
    lines: list[str | None] = []
    utf8_seen = False
    for raw in raws:
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            lines.append(None)
            continue
        utf8_seen = utf8_seen or not line.isascii()
        lines.append(line)
    # Windows-1252 accents almost never form valid UTF-8: one line that decodes as UTF-8
    # with accents says the file is UTF-8, and its broken lines get replacement marks.
    fallback = "utf-8" if utf8_seen else "cp1252"
    # Five cp1252 bytes are undefined; replacing them lets the junk check decide.
    return "\n".join(
        line if line is not None else raw.decode(fallback, errors="replace")
        for line, raw in zip(lines, raws, strict=True)
    )


def _require_real_text(text: str) -> None:
    visible = [ch for ch in text if not ch.isspace()]
    letters = sum(1 for ch in visible if ch.isalpha())
    if letters < MIN_LETTERS:
        raise ParseError(NO_EXTRACTABLE_TEXT, "the file has (almost) no text")
    junk = sum(1 for ch in visible if _is_junk(ch))
    if junk > MAX_JUNK_SHARE * len(visible) or letters < MIN_LETTER_SHARE * len(visible):
        raise ParseError(NO_EXTRACTABLE_TEXT, "the file's text is garbled")
    accented = sum(1 for ch in visible if "\u00c0" <= ch <= "\u024f" and ch.isalpha())
    if accented > MAX_ACCENTED_SHARE * letters:
        raise ParseError(NO_EXTRACTABLE_TEXT, "the file's text is noise, not a CV")


def _is_junk(ch: str) -> bool:
    if ch == "\ufffd":
        return True
    category = unicodedata.category(ch)
    # Co: private use (unmapped glyphs), Cc/Cs/Cn: controls, surrogates, unassigned.
    return category in {"Co", "Cc", "Cs", "Cn"}


def _estimate_pages(text: str) -> int:
    return max(1, math.ceil(len(text) / _CHARS_PER_PAGE))
