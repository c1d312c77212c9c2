"""An analysis -> the bytes of its PDF report. Pure: no I/O, same input, same bytes.

Drawn with ReportLab's canvas (BSD licence) and its standard fonts, which cover the
Latin-1 range Portuguese and English need; anything beyond it is replaced, never
dropped silently into a broken glyph. The report carries the score, a bar chart of the
breakdown, the suggestions with the CV line each is about, and the job match when there
is one. It carries no contact field: it is about the CV, not the person.
"""

from __future__ import annotations

from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from consumers.report.labels import Labels, category_label, labels_for
from schemas.cv import Analysis, JobMatch

_MARGIN = 50.0
_BODY = ("Helvetica", 10.0)
_BOLD = "Helvetica-Bold"
_LINE = 14.0
_BAR_HEIGHT = 10.0
_BAR_WIDTH = 260.0
_LABEL_WIDTH = 170.0
_MAX_SUGGESTIONS = 30
_MAX_LIST_ITEMS = 25
_SEVERITY_COLOURS = {
    "high": colors.HexColor("#b3261e"),
    "medium": colors.HexColor("#b26a00"),
    "low": colors.HexColor("#4a6572"),
}


def _safe(text: str) -> str:
    # The standard fonts are WinAnsi-encoded: keep what they can show.
    return text.encode("cp1252", errors="replace").decode("cp1252")


def _bar_colour(score: int) -> colors.Color:
    if score >= 75:
        return colors.HexColor("#2e7d32")
    if score >= 50:
        return colors.HexColor("#f9a825")
    return colors.HexColor("#c62828")


class _Page:
    """A cursor down A4 pages that starts a new page when the next block does not fit."""

    def __init__(self, canvas: Canvas, labels: Labels) -> None:
        self.canvas = canvas
        self.labels = labels
        self.width, self.height = A4
        self.y = self.height - _MARGIN

    def room(self, needed: float) -> None:
        if self.y - needed < _MARGIN:
            self.canvas.showPage()
            self.y = self.height - _MARGIN

    def heading(self, text: str, size: float = 14.0) -> None:
        self.room(size + 2 * _LINE)
        self.y -= _LINE
        self.canvas.setFont(_BOLD, size)
        self.canvas.setFillColor(colors.black)
        self.canvas.drawString(_MARGIN, self.y, _safe(text))
        self.y -= size * 0.6 + 4

    def paragraph(
        self, text: str, *, indent: float = 0.0, font: str = _BODY[0], size: float = _BODY[1]
    ) -> None:
        width = self.width - 2 * _MARGIN - indent
        for line in simpleSplit(_safe(text), font, size, width) or [""]:
            self.room(_LINE)
            self.canvas.setFont(font, size)
            self.canvas.drawString(_MARGIN + indent, self.y, line)
            self.y -= _LINE


def render_report(analysis: Analysis, version: int) -> bytes:
    """The PDF report of one analysis version, in the analysis's language."""
    labels = labels_for(analysis.language)
    buffer = BytesIO()
    # invariant: no creation date or random id, so a redelivered message writes the same bytes.
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    canvas.setTitle(labels.title)
    page = _Page(canvas, labels)
    _header(page, analysis)
    _breakdown(page, analysis)
    _suggestions(page, analysis)
    if analysis.job_match is not None:
        _job_match(page, analysis.job_match)
    page.room(2 * _LINE)
    page.y -= _LINE
    canvas.setFont(_BODY[0], 8)
    canvas.setFillColor(colors.grey)
    footer = labels.footer.format(
        version=version, rubric=analysis.rubric_version, provider=analysis.provider
    )
    canvas.drawString(_MARGIN, page.y, _safe(footer))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _header(page: _Page, analysis: Analysis) -> None:
    canvas, labels = page.canvas, page.labels
    canvas.setFont(_BOLD, 18)
    canvas.drawString(_MARGIN, page.y, _safe(labels.title))
    page.y -= 40
    canvas.setFont(_BOLD, 36)
    canvas.setFillColor(_bar_colour(analysis.score))
    canvas.drawString(_MARGIN, page.y, f"{analysis.score}")
    canvas.setFillColor(colors.black)
    canvas.setFont(_BODY[0], 12)
    text = f"/100  {labels.score}"
    if analysis.baseline_score is not None and analysis.baseline_score != analysis.score:
        text += f"  ({analysis.baseline_score} {labels.baseline})"
    canvas.drawString(_MARGIN + 70, page.y + 4, _safe(text))
    page.y -= 18
    if analysis.summary:
        page.paragraph(analysis.summary)


def _bars(page: _Page, rows: list[tuple[str, int, float]]) -> None:
    canvas = page.canvas
    for label, score, weight in rows:
        page.room(_LINE + 4)
        canvas.setFillColor(colors.black)
        canvas.setFont(*_BODY)
        canvas.drawString(_MARGIN, page.y, _safe(f"{label} ({round(weight * 100)}%)"))
        left = _MARGIN + _LABEL_WIDTH
        canvas.setFillColor(colors.HexColor("#e0e0e0"))
        canvas.rect(left, page.y - 1, _BAR_WIDTH, _BAR_HEIGHT, stroke=0, fill=1)
        canvas.setFillColor(_bar_colour(score))
        canvas.rect(left, page.y - 1, _BAR_WIDTH * score / 100, _BAR_HEIGHT, stroke=0, fill=1)
        canvas.setFillColor(colors.black)
        canvas.drawString(left + _BAR_WIDTH + 8, page.y, str(score))
        page.y -= _LINE + 4


def _breakdown(page: _Page, analysis: Analysis) -> None:
    labels = page.labels
    page.heading(labels.breakdown)
    _bars(
        page,
        [(category_label(labels, b.category), b.score, b.weight) for b in analysis.breakdown],
    )


def _suggestions(page: _Page, analysis: Analysis) -> None:
    labels = page.labels
    page.heading(labels.suggestions)
    if not analysis.suggestions:
        page.paragraph(labels.no_suggestions)
        return
    for suggestion in analysis.suggestions[:_MAX_SUGGESTIONS]:
        page.room(3 * _LINE)
        severity = labels.severity.get(suggestion.severity.value, suggestion.severity.value)
        tag = f"[{severity}] {category_label(labels, suggestion.category)}"
        page.canvas.setFillColor(_SEVERITY_COLOURS.get(suggestion.severity.value, colors.black))
        page.paragraph(tag, font=_BOLD)
        page.canvas.setFillColor(colors.black)
        page.paragraph(suggestion.message, indent=10)
        if suggestion.evidence:
            page.paragraph(f"{labels.evidence}: “{suggestion.evidence}”", indent=10)
        if suggestion.example:
            page.paragraph(f"{labels.example}: {suggestion.example}", indent=10)
        page.y -= 4


def _job_match(page: _Page, match: JobMatch) -> None:
    labels = page.labels
    page.heading(labels.job_match)
    page.paragraph(
        f"{labels.match_rate}: {match.score}% ({labels.target} {match.target}%)", font=_BOLD
    )
    if match.breakdown:
        _bars(
            page,
            [(category_label(labels, c.category), c.score, c.weight) for c in match.breakdown],
        )
    if match.matched:
        page.paragraph(f"{labels.matched}: {', '.join(match.matched[:_MAX_LIST_ITEMS])}")
    if match.missing:
        page.paragraph(f"{labels.missing}: {', '.join(match.missing[:_MAX_LIST_ITEMS])}")
    if match.raise_most:
        page.paragraph(f"{labels.raise_most}: {', '.join(match.raise_most[:_MAX_LIST_ITEMS])}")
    if match.requirements:
        page.heading(labels.requirements, size=11)
        for requirement in match.requirements[:_MAX_LIST_ITEMS]:
            kind = labels.required if requirement.kind == "required" else labels.nice_to_have
            state = labels.met if requirement.met else labels.not_met
            line = f"• {requirement.text} ({kind}; {state})"
            if requirement.evidence:
                line += f" — {requirement.evidence}"
            page.paragraph(line, indent=10)
