"""Lay a ``SyntheticCv`` out as a file: PDFs with reportlab, DOCX with python-docx, text.

Layouts: ``pdf`` (one column), ``pdf_two_column`` (a sidebar with contact, skills and
languages beside a main column; pages flow per column), ``docx`` (paragraphs, with
Word heading and list styles for some people), ``docx_table`` (a one-row, two-cell
layout table) and ``txt``. Half the PDFs use the standard Helvetica font, half embed a
TrueType font (Bitstream Vera, shipped with reportlab), as word processors do.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import reportlab
from docx import Document
from docx.shared import Pt
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from schemas.files import FileKind
from tests.corpus.generator import Block, SyntheticCv

LAYOUTS = ("pdf", "pdf_two_column", "docx", "docx_table", "txt")
KINDS = {
    "pdf": FileKind.PDF,
    "pdf_two_column": FileKind.PDF,
    "docx": FileKind.DOCX,
    "docx_table": FileKind.DOCX,
    "txt": FileKind.TXT,
}
_PAGE_W, _PAGE_H = A4
_MARGIN = 42.0


@cache
def _fonts(embedded: bool) -> tuple[str, str]:
    if not embedded:
        return "Helvetica", "Helvetica-Bold"
    folder = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont("Vera", str(folder / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont("VeraBd", str(folder / "VeraBd.ttf")))
    return "Vera", "VeraBd"


def render(cv: SyntheticCv, layout: str) -> tuple[bytes, FileKind]:
    """The file for ``cv`` in ``layout`` (one of ``LAYOUTS``) and its kind."""
    if layout == "pdf":
        return _pdf(cv, two_column=False), FileKind.PDF
    if layout == "pdf_two_column":
        return _pdf(cv, two_column=True), FileKind.PDF
    if layout == "docx":
        return _docx(cv, table=False), FileKind.DOCX
    if layout == "docx_table":
        return _docx(cv, table=True), FileKind.DOCX
    if layout == "txt":
        return _txt(cv), FileKind.TXT
    raise ValueError(f"unknown layout {layout!r}")


# --- PDF ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Glyphs:
    page: int
    x: float
    y: float
    font: str
    size: float
    text: str


class _Column:
    """Flows lines down a column box, onto new pages when it is full."""

    def __init__(self, x: float, width: float, top: float, out: list[_Glyphs]) -> None:
        self.x, self.width, self.top = x, width, top
        self.y, self.page, self.out = top, 0, out

    def line(self, text: str, font: str, size: float, indent: float = 0.0) -> None:
        room = self.width - indent
        # Templates shrink what cannot wrap (a long URL) rather than let it overflow.
        longest = max(text.split() or [""], key=lambda w: pdfmetrics.stringWidth(w, font, size))
        while size > 6 and pdfmetrics.stringWidth(longest, font, size) > room:
            size -= 0.5
        for piece in simpleSplit(text, font, size, room) or [""]:
            if self.y < _MARGIN + size:
                self.page += 1
                self.y = _PAGE_H - _MARGIN
            self.out.append(_Glyphs(self.page, self.x + indent, self.y, font, size, piece))
            self.y -= size * 1.35

    def gap(self, points: float) -> None:
        self.y -= points


def _flow_blocks(
    column: _Column, blocks: list[Block], regular: str, bold: str, size: float
) -> None:
    for block in blocks:
        column.gap(size * 0.8)
        column.line(block.heading, bold, size + 2)
        column.gap(size * 0.3)
        groups = block.entries or [block.lines]
        for number, group in enumerate(groups):
            if number:
                column.gap(size * 0.6)
            for line in group:
                column.line(line, regular, size, indent=0.0)


def _pdf(cv: SyntheticCv, *, two_column: bool) -> bytes:
    style = cv.style
    regular, bold = _fonts(embedded=int(cv.ident[-1], 36) % 2 == 1)
    size = float(style["font_size"])
    glyphs: list[_Glyphs] = []
    top = _PAGE_H - _MARGIN
    if not two_column:
        column = _Column(_MARGIN + 10, _PAGE_W - 2 * _MARGIN - 20, top, glyphs)
        _header(column, cv, bold, regular, size)
        if cv.contact_heading:
            column.gap(size * 0.8)
            column.line(cv.contact_heading, bold, size + 2)
        for line in cv.contact_lines:
            column.line(line, regular, size)
        _flow_blocks(column, [*cv.main, *cv.side], regular, bold, size)
    else:
        side_w = 160.0
        if style["sidebar_left"]:
            side_x, main_x = _MARGIN, _MARGIN + side_w + 24
        else:
            main_x, side_x = _MARGIN, _PAGE_W - _MARGIN - side_w
        main_w = _PAGE_W - 2 * _MARGIN - side_w - 24
        if not style["name_in_sidebar"]:
            full = _Column(_MARGIN, _PAGE_W - 2 * _MARGIN, top, glyphs)
            _header(full, cv, bold, regular, size)
            top = full.y - size
        side = _Column(side_x, side_w, top, glyphs)
        main = _Column(main_x, main_w, top, glyphs)
        if style["name_in_sidebar"]:
            _header(side, cv, bold, regular, size)
        if cv.contact_heading:
            side.gap(size * 0.8)
            side.line(cv.contact_heading, bold, size + 2)
        for line in cv.contact_items:
            side.line(line, regular, size - 0.5)
        _flow_blocks(side, cv.side, regular, bold, size - 0.5)
        _flow_blocks(main, cv.main, regular, bold, size)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    pages = max(g.page for g in glyphs) + 1
    for page in range(pages):
        if two_column and page == 0:
            # A tinted sidebar, as CV templates draw it (no text, just a shape).
            canvas.setFillGray(0.92)
            x = _MARGIN - 6 if style["sidebar_left"] else _PAGE_W - _MARGIN - 166
            canvas.rect(x, _MARGIN, 172, _PAGE_H - 2 * _MARGIN, stroke=0, fill=1)
            canvas.setFillGray(0)
        for g in glyphs:
            if g.page == page:
                canvas.setFont(g.font, g.size)
                canvas.drawString(g.x, g.y, g.text)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _header(column: _Column, cv: SyntheticCv, bold: str, regular: str, size: float) -> None:
    name_size = 20.0
    # Templates shrink a long name to fit its box rather than wrap it.
    while (
        name_size > 11
        and pdfmetrics.stringWidth(cv.name_line.split(" | ")[0], bold, name_size) > column.width
    ):
        name_size -= 1
    name, _, headline = cv.name_line.partition(" | ")
    if column.width > 300:
        name, headline = cv.name_line, ""
    column.line(name, bold, name_size)
    for line in (headline, cv.headline):
        if line:
            column.line(line, regular, size + 1)
    column.gap(size * 0.4)


# --- DOCX ---------------------------------------------------------------------------------


def _docx(cv: SyntheticCv, *, table: bool) -> bytes:
    style = cv.style
    document = Document()
    document.styles["Normal"].font.size = Pt(10)

    def paragraph(container, text: str, *, bold: bool = False, size: float | None = None):
        if container is document:
            para = document.add_paragraph()
        elif not container.paragraphs[-1].text and len(container.paragraphs) == 1:
            para = container.paragraphs[0]  # a new cell starts with one empty paragraph
        else:
            para = container.add_paragraph()
        run = para.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
        return para

    def heading(container, text: str) -> None:
        if style["docx_heading_style"] and container is document:
            document.add_heading(text, level=1)
        else:
            paragraph(container, text, bold=True, size=12)

    def blocks(container, items: list[Block]) -> None:
        for block in items:
            heading(container, block.heading)
            groups = block.entries or [block.lines]
            for number, group in enumerate(groups):
                if number:
                    paragraph(container, "")
                for line in group:
                    if style["docx_list_style"] and line[:2] in ("• ", "- ", "* "):
                        if container is document:
                            document.add_paragraph(line[2:], style="List Bullet")
                        else:
                            container.add_paragraph(line[2:], style="List Bullet")
                    else:
                        paragraph(container, line)

    def header(container) -> None:
        if style["docx_heading_style"] and container is document:
            document.add_heading(cv.name_line, level=0)
        else:
            paragraph(container, cv.name_line, bold=True, size=18)
        if cv.headline:
            paragraph(container, cv.headline, size=12)

    def contact(container) -> None:
        if cv.contact_heading:
            heading(container, cv.contact_heading)
        for line in cv.contact_lines if container is document else cv.contact_items:
            paragraph(container, line)

    if not table:
        header(document)
        contact(document)
        blocks(document, [*cv.main, *cv.side])
    else:
        if not style["name_in_sidebar"]:
            header(document)
        grid = document.add_table(rows=1, cols=2)
        side_cell, main_cell = grid.rows[0].cells
        if not style["sidebar_left"]:
            side_cell, main_cell = main_cell, side_cell
        if style["name_in_sidebar"]:
            header(side_cell)
        contact(side_cell)
        blocks(side_cell, cv.side)
        blocks(main_cell, cv.main)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- TXT ----------------------------------------------------------------------------------


def _txt(cv: SyntheticCv) -> bytes:
    style = cv.style
    lines = [cv.name_line]
    if cv.headline:
        lines.append(cv.headline)

    def heading(text: str) -> None:
        lines.extend(["", text])
        if style["txt_underline"]:
            lines.append("=" * len(text))

    if cv.contact_heading:
        heading(cv.contact_heading)
    lines.extend(cv.contact_lines)
    for block in [*cv.main, *cv.side]:
        heading(block.heading)
        for number, group in enumerate(block.entries or [block.lines]):
            if number:
                lines.append("")
            lines.extend(group)
    newline = "\r\n" if style["txt_crlf"] else "\n"
    return newline.join(lines).encode(style["txt_encoding"], errors="replace")
