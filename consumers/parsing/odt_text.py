"""ODT text (OpenDocument, as LibreOffice and Google Docs export it): headings,
paragraphs, lists and tables of ``content.xml`` in document order.

An ODT is a zip of XML like a DOCX, so it is vetted the same way before any part is
parsed (``vet_archive``: no decompression bomb, no entity declarations). The XML is read
with the standard OpenDocument names; no library beyond lxml is needed.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from lxml import etree

from consumers.parsing.docx_text import MAX_XML_PART_BYTES, vet_archive
from consumers.parsing.errors import UNREADABLE_FILE, ParseError
from consumers.parsing.typography import StyledLine, prominent_lines

_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
_SVG = "{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}"
_P, _H, _SPAN, _A = f"{_TEXT}p", f"{_TEXT}h", f"{_TEXT}span", f"{_TEXT}a"
_S, _TAB, _BREAK = f"{_TEXT}s", f"{_TEXT}tab", f"{_TEXT}line-break"
_LIST_ITEM, _ROW, _CELL = f"{_TEXT}list-item", f"{_TABLE}table-row", f"{_TABLE}table-cell"
_TABLE_EL = f"{_TABLE}table"
# Notes, annotations and tracked deletions are not the CV's text.
_SKIPPED = frozenset({f"{_TEXT}note", f"{_OFFICE}annotation", f"{_TEXT}tracked-changes"})
_PAGES = re.compile(rb'meta:page-count="(\d+)"')
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass(frozen=True, slots=True)
class OdtText:
    text: str
    page_count: int | None
    prominent: tuple[str, ...] = ()
    photo: bool = False


def read_odt(data: bytes) -> OdtText:
    """Return the text of an ODT file; raises ``ParseError`` for unsafe or corrupt files."""
    vet_archive(data, "content.xml", "ODT")
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            content = archive.read("content.xml")
            meta = archive.read("meta.xml") if "meta.xml" in archive.namelist() else b""
        if len(content) > MAX_XML_PART_BYTES:
            raise ParseError(UNREADABLE_FILE, "ODT content part is too large")
        root = etree.fromstring(content, parser=_PARSER)
    except (zipfile.BadZipFile, zlib.error, etree.XMLSyntaxError, KeyError, OSError) as exc:
        raise ParseError(UNREADABLE_FILE, "ODT package is corrupt") from exc
    body = root.find(f"{_OFFICE}body/{_OFFICE}text")
    if body is None:
        raise ParseError(UNREADABLE_FILE, "ODT has no text body")
    pages = _PAGES.search(meta)
    return OdtText(
        text="\n".join(_blocks(body)),
        page_count=int(pages.group(1)) if pages else None,
        prominent=prominent_lines(_styled(body)),
        photo=_has_portrait(body),
    )


def _blocks(container: Any) -> Iterator[str]:
    for child in container:
        tag = child.tag
        if tag in _SKIPPED:
            continue
        if tag in (_P, _H):
            text = _inline(child)
            bullet = "• " if child.getparent() is not None and _in_list(child) else ""
            yield bullet + text if text.strip() else text
        elif tag == _TABLE_EL:
            yield from _table(child)
        else:
            yield from _blocks(child)


def _in_list(paragraph: Any) -> bool:
    parent = paragraph.getparent()
    return parent is not None and parent.tag == _LIST_ITEM and parent.index(paragraph) == 0


def _table(table: Any) -> Iterator[str]:
    # A row is read across, its cells joined as DOCX table rows are.
    for row in table.iter(_ROW):
        cells = []
        for cell in row.iter(_CELL):
            text = " ".join(line for line in _blocks(cell) if line.strip())
            if text and text not in cells:
                cells.append(text)
        if cells:
            yield " | ".join(cells)


def _inline(node: Any) -> str:
    parts: list[str] = [node.text or ""]
    for child in node:
        tag = child.tag
        if tag == _S:
            parts.append(" " * min(int(child.get(f"{_TEXT}c", "1") or 1), 40))
        elif tag == _TAB:
            parts.append("\t")
        elif tag == _BREAK:
            parts.append("\n")
        elif tag not in _SKIPPED:
            parts.append(_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


# Heading levels and title styles stand out as runs of this many points would.
_LEVEL_SIZES = {"1": 16.0, "2": 13.0}
_TITLE_SIZE = 28.0
_DEFAULT_PT = 11.0
_MAX_STYLED_PARAGRAPHS = 60


def _styled(body: Any) -> list[StyledLine]:
    lines: list[StyledLine] = []
    for index, paragraph in enumerate(body.iter(_P, _H)):
        if index == _MAX_STYLED_PARAGRAPHS:
            break
        text = " ".join(_inline(paragraph).split())
        if not text:
            continue
        style = (paragraph.get(f"{_TEXT}style-name") or "").lower()
        if "title" in style and "subtitle" not in style:
            size = _TITLE_SIZE
        elif paragraph.tag == _H:
            size = _LEVEL_SIZES.get(paragraph.get(f"{_TEXT}outline-level", "1"), 12.0)
        else:
            size = _DEFAULT_PT
        lines.append(StyledLine(text, size, paragraph.tag == _H, float(index)))
    return lines


_PORTRAIT_CM = 1.5
_MAX_FRAMES = 50
_LENGTH = re.compile(r"^([\d.]+)(cm|mm|in|pt)$")
_TO_CM = {"cm": 1.0, "mm": 0.1, "in": 2.54, "pt": 2.54 / 72}


def _has_portrait(body: Any) -> bool:
    for index, frame in enumerate(body.iter(f"{_DRAW}frame")):
        if index == _MAX_FRAMES:
            break
        if frame.find(f"{_DRAW}image") is None:
            continue
        width, height = _cm(frame.get(f"{_SVG}width")), _cm(frame.get(f"{_SVG}height"))
        if width and height and min(width, height) >= _PORTRAIT_CM and 0.5 <= width / height <= 1.6:
            return True
    return False


def _cm(value: str | None) -> float | None:
    match = _LENGTH.match(value or "")
    if match is None:
        return None
    try:
        return float(match.group(1)) * _TO_CM[match.group(2)]
    except ValueError:
        return None
