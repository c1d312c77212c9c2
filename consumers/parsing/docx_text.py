"""DOCX text: body paragraphs and tables in document order, headers, footers, text boxes.

The archive is vetted before python-docx sees it: a DOCX is a zip of XML, so it can
carry a decompression bomb or XML entity declarations (billion laughs); neither is
ever produced by a word processor, so both are refused outright.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from lxml.etree import LxmlError

from consumers.parsing.errors import FILE_TOO_COMPLEX, UNREADABLE_FILE, ParseError
from consumers.parsing.typography import StyledLine, prominent_lines

MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
# One XML part (document.xml of a long CV is well under 1 MiB); python-docx holds the
# whole tree in memory, at about 15 times the XML's size.
MAX_XML_PART_BYTES = 16 * 1024 * 1024
# Members are inflated this much at a time, so a member that lies about its size can
# never make one read allocate more.
_CHUNK_BYTES = 64 * 1024
MAX_ENTRIES = 2000
MAX_RATIO = 100
# Ratios are only suspicious for members big enough to matter.
_RATIO_FLOOR_BYTES = 1024 * 1024

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_P, _TBL, _TR, _TC, _R = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc", f"{_W}r"
_T, _TAB, _BR, _CR = f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"
_TXBX = f"{_W}txbxContent"
_PAGES = re.compile(rb"<(?:\w+:)?Pages>\s*(\d+)\s*</(?:\w+:)?Pages>")


@dataclass(frozen=True, slots=True)
class DocxText:
    text: str
    page_count: int | None
    # Paragraphs set apart by style (Title, Heading) or by larger/bold runs, largest first.
    prominent: tuple[str, ...] = ()
    photo: bool = False  # a picture the size of a portrait in the body


def read_docx(data: bytes) -> DocxText:
    """Return the text of a DOCX file; raises ``ParseError`` for unsafe or corrupt files."""
    page_count = _vet_archive(data)
    try:
        blocks, prominent, photo = _read_blocks(data)
    except (PackageNotFoundError, zipfile.BadZipFile, zlib.error, LxmlError) as exc:
        raise ParseError(UNREADABLE_FILE, "DOCX package is corrupt") from exc
    except (KeyError, ValueError, AttributeError, TypeError, IndexError) as exc:
        # python-docx reports malformed packages through builtin errors.
        raise ParseError(UNREADABLE_FILE, "DOCX structure is malformed") from exc
    return DocxText(text="\n".join(blocks), page_count=page_count, prominent=prominent, photo=photo)


def _read_blocks(data: bytes) -> tuple[list[str], tuple[str, ...], bool]:
    document = docx.Document(BytesIO(data))
    blocks: list[str] = []
    seen: set[int] = set()
    for section in document.sections:
        for header in (section.first_page_header, section.header, section.even_page_header):
            _add_story(header, blocks, seen)
    blocks.extend(_blocks(document.element.body))
    for section in document.sections:
        for footer in (section.first_page_footer, section.footer, section.even_page_footer):
            _add_story(footer, blocks, seen)
    body = document.element.body
    return blocks, prominent_lines(_styled(body)), _has_portrait(body)


_EXTENT = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent"
_PORTRAIT_EMU = 540_000  # about 1.5 cm a side; icons and rules are smaller
_MAX_DRAWINGS = 50


def _has_portrait(body: Any) -> bool:
    for index, extent in enumerate(body.iter(_EXTENT)):
        if index == _MAX_DRAWINGS:
            break
        try:
            width, height = int(extent.get("cx", 0)), int(extent.get("cy", 0))
        except ValueError:
            continue
        if min(width, height) >= _PORTRAIT_EMU and 0.5 <= width / height <= 1.6:
            return True
    return False


# Styles whose paragraphs stand out as much as a run of this many points would.
_STYLE_SIZES = {"title": 28.0, "subtitle": 15.0, "heading1": 16.0, "heading2": 13.0}
_DEFAULT_PT = 11.0
_MAX_STYLED_PARAGRAPHS = 60
_PSTYLE, _SZ, _B, _VAL = f"{_W}pStyle", f"{_W}sz", f"{_W}b", f"{_W}val"


def _styled(body: Any) -> list[StyledLine]:
    """The first paragraphs of the body (table cells included) with their size and weight."""
    lines: list[StyledLine] = []
    for index, paragraph in enumerate(body.iter(_P)):
        if index == _MAX_STYLED_PARAGRAPHS:
            break
        text = "".join(node.text or "" for node in paragraph.iter(_T)).strip()
        if not text:
            continue
        style = next((node.get(_VAL, "") for node in paragraph.iter(_PSTYLE)), "")
        sizes = [_half_points(node.get(_VAL)) for node in paragraph.iter(_SZ)]
        size = max([s for s in sizes if s] or [_STYLE_SIZES.get(style.lower(), _DEFAULT_PT)])
        bold = any(node.get(_VAL, "true") not in ("0", "false") for node in paragraph.iter(_B))
        lines.append(StyledLine(text, size, bold, float(index)))
    return lines


def _half_points(value: str | None) -> float | None:
    try:
        return int(value) / 2 if value else None
    except ValueError:
        return None


def _add_story(part: Any, blocks: list[str], seen: set[int]) -> None:
    if part.is_linked_to_previous:
        return
    element = part._element
    # Sections often share one header part; emit it once.
    if id(element) in seen:
        return
    seen.add(id(element))
    blocks.extend(_blocks(element))


def _vet_archive(data: bytes) -> int | None:
    return vet_archive(data, "word/document.xml", "DOCX")


def vet_archive(data: bytes, required: str, label: str) -> int | None:
    """Refuse a zip of XML parts that is a bomb, declares entities or lacks ``required``;
    returns the page count its metadata gives (DOCX), if any. ODT shares the shape."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ENTRIES:
                raise ParseError(FILE_TOO_COMPLEX, f"{label} has too many parts")
            total = 0
            for info in infos:
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > _RATIO_FLOOR_BYTES and ratio > MAX_RATIO:
                    raise ParseError(FILE_TOO_COMPLEX, f"{label} part is a decompression bomb")
            if total > MAX_UNCOMPRESSED_BYTES:
                raise ParseError(FILE_TOO_COMPLEX, f"{label} expands beyond the size limit")
            if required not in {info.filename for info in infos}:
                raise ParseError(UNREADABLE_FILE, f"{label} has no document part")
            # The declared sizes above are the archive's word; every member is now
            # inflated for real, counted as it streams, and refused at the limit.
            page_count = None
            inflated = 0
            for info in infos:
                is_xml = info.filename.endswith((".xml", ".rels"))
                budget = MAX_UNCOMPRESSED_BYTES - inflated
                limit = min(budget, MAX_XML_PART_BYTES) if is_xml else budget
                size, part = _inflate(archive, info, limit, keep=is_xml)
                inflated += size
                if is_xml:
                    _refuse_dtd(part)
                    if info.filename == "docProps/app.xml":
                        page_count = _pages(part)
    except ParseError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
    ) as exc:
        # zlib.error: a damaged deflate stream (found by fuzzing the parser).
        raise ParseError(UNREADABLE_FILE, f"{label} archive is corrupt") from exc
    except NotImplementedError as exc:
        # Encrypted members or unsupported compression methods.
        raise ParseError(UNREADABLE_FILE, f"{label} archive uses an unsupported feature") from exc
    return page_count


def _inflate(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, *, keep: bool
) -> tuple[int, bytes]:
    """A member's inflated size (and its bytes when ``keep``); ``file_too_complex`` as
    soon as more than ``limit`` bytes came out."""
    size = 0
    chunks: list[bytes] = []
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK_BYTES):
            size += len(chunk)
            if size > limit:
                raise ParseError(FILE_TOO_COMPLEX, "DOCX expands beyond the size limit")
            if keep:
                chunks.append(chunk)
    return size, b"".join(chunks)


def _refuse_dtd(part: bytes) -> None:
    # Dropping NULs also catches UTF-16-encoded declarations.
    head = part.replace(b"\x00", b"").upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise ParseError(UNREADABLE_FILE, "DOCX contains XML entity declarations")


def _pages(app_xml: bytes) -> int | None:
    match = _PAGES.search(app_xml)
    if match is None:
        return None
    value = int(match.group(1))
    return value if value > 0 else None


def _blocks(container: Any) -> Iterator[str]:
    """Yield one string per paragraph or table row, in document order."""
    for child in container:
        tag = child.tag
        if tag == _P:
            text, boxes = _paragraph(child)
            yield text
            for box in boxes:
                yield from _blocks(box)
        elif tag == _TBL:
            yield from _table(child)
        elif tag == _MC_FALLBACK:
            # Text boxes are stored twice (DrawingML choice + VML fallback).
            continue
        elif isinstance(tag, str):
            yield from _blocks(child)


def _paragraph(paragraph: Any) -> tuple[str, list[Any]]:
    parts: list[str] = []
    boxes: list[Any] = []
    stack = list(reversed(list(paragraph)))
    while stack:
        node = stack.pop()
        tag = node.tag
        if tag == _T:
            parts.append(node.text or "")
        elif tag == _TAB:
            parts.append("\t")
        elif tag in (_BR, _CR):
            parts.append("\n")
        elif tag == _TXBX:
            boxes.append(node)
        elif tag == _MC_FALLBACK:
            continue
        elif isinstance(tag, str):
            stack.extend(reversed(list(node)))
    return "".join(parts), boxes


def _table(table: Any) -> Iterator[str]:
    for row in table:
        if row.tag != _TR:
            continue
        cells = [list(_blocks(cell)) for cell in row if cell.tag == _TC]
        # Short one-line cells read best as a row ("Inglês | Avançado"); cells holding
        # whole blocks (layout tables) read best one after the other.
        if all(len([c for c in cell if c.strip()]) <= 1 for cell in cells):
            values = [" ".join(c.strip() for c in cell if c.strip()) for cell in cells]
            yield " | ".join(v for v in values if v)
        else:
            for cell in cells:
                yield from cell
