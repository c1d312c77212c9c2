"""Lay a second-family ``Cv`` out as a file.

``pdf_sidebar_right``: the name large at the top of the main column, a sidebar on the
right. ``pdf_sidebar_left``: a sidebar on the left, a photo (or a coloured block) on top
of it, the contact block, and the name below them. ``pdf_banner``: a dark banner with
the name in white, contact on one line, one column, dates set flush right on the title
line. ``pdf_flat``: everything flowed as one paragraph, as some exporters flatten a CV.
A photo (when the person has one) appears in every layout but the flattened ones.
``docx_styled``: Word's Title and Heading styles, contact sometimes in the page header
or above the name. ``docx_sidebar``: a two-cell layout table, sidebar either side, the
name a large bold run. ``txt_flat``: the whole CV on one line.
Fonts vary per person: Times, Courier, Bitstream Vera, DejaVu Sans or Serif.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import reportlab
from docx import Document
from docx.shared import Pt
from reportlab.lib.colors import Color, white
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from schemas.files import FileKind
from tests.corpus.independent.content import HEADINGS, Cv, Part

LAYOUTS = (
    "pdf_sidebar_right",
    "pdf_sidebar_left",
    "pdf_banner",
    "pdf_flat",
    "docx_styled",
    "docx_sidebar",
    "txt_flat",
)
_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
_STANDARD = {"Times": ("Times-Roman", "Times-Bold"), "Courier": ("Courier", "Courier-Bold")}


@cache
def _font_pair(name: str) -> tuple[str, str]:
    """(regular, bold) registered with reportlab; DejaVu falls back to Vera when absent."""
    if name in _STANDARD:
        return _STANDARD[name]
    files = {
        "DejaVu": (_DEJAVU / "DejaVuSans.ttf", _DEJAVU / "DejaVuSans-Bold.ttf"),
        "DejaVuSerif": (_DEJAVU / "DejaVuSerif.ttf", _DEJAVU / "DejaVuSerif-Bold.ttf"),
    }.get(name)
    if files is None or not all(f.exists() for f in files):
        folder = Path(reportlab.__file__).parent / "fonts"
        name, files = "Vera", (folder / "Vera.ttf", folder / "VeraBd.ttf")
    regular, bold = f"I{name}", f"I{name}-Bold"
    pdfmetrics.registerFont(TTFont(regular, str(files[0])))
    pdfmetrics.registerFont(TTFont(bold, str(files[1])))
    return regular, bold


def render(cv: Cv, layout: str) -> tuple[bytes, FileKind]:
    if layout == "txt_flat":
        return " ".join(_flat_words(cv)).encode("utf-8"), FileKind.TXT
    if layout.startswith("docx"):
        return _docx(cv, table=layout == "docx_sidebar"), FileKind.DOCX
    return _Pdf(cv, layout).build(), FileKind.PDF


def _contact_heading(cv: Cv) -> list[str]:
    return [HEADINGS["other"][cv.lang][0]] if cv.style["contact_heading"] else []


def _flat_words(cv: Cv) -> list[str]:
    lines = [cv.person.name_printed, cv.headline, *_contact_heading(cv), *cv.contact, *cv.personal]
    for part in cv.parts:
        lines += [part.heading, *part.lines]
    return [line for line in lines if line]


# --- PDF ------------------------------------------------------------------------------------


class _Pdf:
    def __init__(self, cv: Cv, layout: str) -> None:
        self.cv, self.layout = cv, layout
        self.regular, self.bold = _font_pair(str(cv.style["font"]))
        self.size = float(cv.style["body_size"])  # type: ignore[arg-type]
        self.name_size = float(cv.style["name_size"])  # type: ignore[arg-type]
        self.page_size = LETTER if cv.person.country in ("US", "CA") else A4
        self.buffer = io.BytesIO()
        self.canvas = Canvas(self.buffer, pagesize=self.page_size)
        self.width, self.height = self.page_size
        self.standard = self.regular in ("Times-Roman", "Courier")

    def text(self, line: str) -> str:
        # The standard fonts have no glyphs for these markers.
        return line.replace("▪", "•").replace("►", "-") if self.standard else line

    def build(self) -> bytes:
        if self.layout == "pdf_flat":
            self._flat()
        elif self.layout == "pdf_banner":
            self._banner()
        else:
            self._sidebar(right=self.layout == "pdf_sidebar_right")
        self.canvas.save()
        return self.buffer.getvalue()

    # A column writer that moves on to a new page when it reaches the bottom.
    def _column(
        self, x: float, width: float, y: float, lines: list[tuple[str, str, float]]
    ) -> float:
        for text, font, size in lines:
            for piece in simpleSplit(self.text(text), font, size, width) or [""]:
                if y < 48:
                    self.canvas.showPage()
                    y = self.height - 56
                self.canvas.setFont(font, size)
                self.canvas.drawString(x, y, piece)
                y -= size * 1.35
        return y

    def _part_lines(self, parts: list[Part]) -> list[tuple[str, str, float]]:
        out: list[tuple[str, str, float]] = []
        for part in parts:
            out.append(("", self.regular, self.size * 0.6))
            out.append((part.heading, self.bold, self.size + 2))
            for line in part.lines:
                out.append((line, self.regular, self.size))
        return out

    def _contact_lines(self) -> list[tuple[str, str, float]]:
        cv = self.cv
        out = [(h, self.bold, self.size + 1) for h in _contact_heading(cv)]
        out += [(c, self.regular, self.size) for c in [*cv.contact, *cv.personal]]
        return out

    def _photo(self, x: float, y: float) -> float:
        from PIL import Image

        image = Image.new("RGB", (90, 110), (176, 140, 120))
        if self.cv.style["photo"]:
            self.canvas.drawImage(ImageReader(image), x, y - 88, width=72, height=88)
        else:
            self.canvas.setFillColor(Color(0.2, 0.3, 0.45))
            self.canvas.circle(x + 30, y - 30, 28, fill=1, stroke=0)
            self.canvas.setFillColor(Color(0, 0, 0))
        return y - 100

    def _sidebar(self, *, right: bool) -> None:
        cv, c = self.cv, self.canvas
        side_w = self.width * 0.3
        side_x = self.width - side_w - 28 if right else 28
        main_x = 36 if right else side_w + 48
        main_w = self.width - side_w - 84
        top = self.height - 48
        side_parts = [p for p in cv.parts if p.side]
        main_parts = [p for p in cv.parts if not p.side]
        c.setFillColor(Color(0.93, 0.94, 0.96))
        c.rect(side_x - 10, 0, side_w + 20, self.height, fill=1, stroke=0)
        c.setFillColor(Color(0, 0, 0))

        def draw_side() -> None:
            y = self._photo(side_x, top) if not right or cv.style["photo"] else top
            y = self._column(side_x, side_w, y, self._contact_lines())
            if not right:  # the name below the photo and the contact block
                y = self._column(
                    side_x,
                    side_w,
                    y - 8,
                    [(cv.person.name_printed, self.bold, min(self.name_size, 18.0))],
                )
                y = self._column(side_x, side_w, y, [(cv.headline, self.regular, self.size + 1)])
            self._column(side_x, side_w, y - 6, self._part_lines(side_parts))

        def draw_header() -> float:
            y = top
            if right:
                y = self._column(
                    main_x, main_w, y, [(cv.person.name_printed, self.bold, self.name_size)]
                )
                y = self._column(main_x, main_w, y, [(cv.headline, self.regular, self.size + 2)])
            return y

        # The sidebar fits on the first page; the main column may flow onto more. What
        # varies is the order the text is written in: the header before or after the sidebar.
        if cv.style["main_first"]:
            y = draw_header()
            draw_side()
        else:
            draw_side()
            y = draw_header()
        self._column(main_x, main_w, y - 6, self._part_lines(main_parts))
        c.showPage()

    def _banner(self) -> None:
        cv, c = self.cv, self.canvas
        c.setFillColor(Color(0.12, 0.16, 0.24))
        c.rect(0, self.height - 110, self.width, 110, fill=1, stroke=0)
        if cv.style["photo"]:
            self._photo(24, self.height - 12)
        c.setFillColor(white)
        c.setFont(self.bold, self.name_size)
        c.drawCentredString(self.width / 2, self.height - 58, cv.person.name_printed)
        c.setFont(self.regular, self.size + 1)
        c.drawCentredString(self.width / 2, self.height - 78, self.text(cv.headline))
        c.setFillColor(Color(0, 0, 0))
        contact = "  |  ".join([*cv.contact, *cv.personal])
        lines = [(h, self.bold, self.size + 1) for h in _contact_heading(cv)]
        y = self._column(
            40, self.width - 80, self.height - 130, [*lines, (contact, self.regular, self.size)]
        )
        right_edge = self.width - 40
        for part in cv.parts:
            y -= self.size
            y = self._column(40, self.width - 80, y, [(part.heading, self.bold, self.size + 2)])
            c.setLineWidth(0.5)
            c.line(40, y + self.size, right_edge, y + self.size)
            for line in part.lines:
                # A dates line goes flush right on the line above when there is room.
                title, _, dates = (
                    line.partition(" | ")
                    if " | " in line and part.kind == "experience"
                    else (line, "", "")
                )
                if dates and line.count(" | ") == 1:
                    y = self._column(40, self.width * 0.55, y, [(title, self.bold, self.size)])
                    c.setFont(self.regular, self.size)
                    c.drawRightString(right_edge, y + self.size * 1.35, self.text(dates))
                else:
                    y = self._column(40, self.width - 80, y, [(line, self.regular, self.size)])
        c.showPage()

    def _flat(self) -> None:
        words = " ".join(_flat_words(self.cv))
        self._column(40, self.width - 80, self.height - 48, [(words, self.regular, self.size)])
        self.canvas.showPage()


# --- DOCX -----------------------------------------------------------------------------------


def _docx(cv: Cv, *, table: bool) -> bytes:
    document = Document()
    body_size = Pt(float(cv.style["body_size"]))  # type: ignore[arg-type]

    def add(
        container,
        text: str,
        *,
        style: str | None = None,
        bold: bool = False,
        size: float | None = None,
    ):
        paragraph = container.add_paragraph(style=style)
        run = paragraph.add_run(text)
        run.bold = bold or None
        run.font.size = Pt(size) if size else body_size
        return paragraph

    def parts(container, items: list[Part], *, styled: bool) -> None:
        for part in items:
            if styled:
                container.add_paragraph(part.heading, style="Heading 1")
            else:
                add(container, part.heading, bold=True, size=float(cv.style["body_size"]) + 2)  # type: ignore[arg-type]
            for line in part.lines:
                if styled and line[:2] in ("• ", "– ", "▪ ", "► "):
                    add(container, line[2:], style="List Bullet")
                else:
                    add(container, line)

    contact = [*cv.contact, *cv.personal]
    if cv.style["photo"]:
        from PIL import Image

        picture = io.BytesIO()
        Image.new("RGB", (90, 110), (176, 140, 120)).save(picture, format="PNG")
        picture.seek(0)
        document.add_picture(picture, width=Pt(72))
    if table:
        grid = document.add_table(rows=1, cols=2)
        main_cell, side_cell = (
            grid.rows[0].cells if cv.style["sidebar_right"] else reversed(grid.rows[0].cells)
        )
        main_cell.paragraphs[0].add_run(cv.person.name_printed).bold = True
        main_cell.paragraphs[0].runs[0].font.size = Pt(float(cv.style["name_size"]))  # type: ignore[arg-type]
        add(main_cell, cv.headline)
        parts(main_cell, [p for p in cv.parts if not p.side], styled=False)
        side_cell.paragraphs[0].add_run("".join(_contact_heading(cv))).bold = True
        for line in contact:
            add(side_cell, line)
        parts(side_cell, [p for p in cv.parts if p.side], styled=False)
    else:
        if cv.style["docx_contact_in_header"] and not cv.style["contact_heading"]:
            header = document.sections[0].header
            header.paragraphs[0].text = "  ·  ".join(contact)
            contact = []
        if cv.style["docx_name_after_contact"]:
            for line in _contact_heading(cv):
                document.add_paragraph(line, style="Heading 1")
            for line in contact:
                add(document, line)
            contact = []
        document.add_paragraph(cv.person.name_printed, style="Title")
        add(document, cv.headline, style="Subtitle")
        for line in _contact_heading(cv) if contact else []:
            document.add_paragraph(line, style="Heading 1")
        for line in contact:
            add(document, line)
        parts(document, cv.parts, styled=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
