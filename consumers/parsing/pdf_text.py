"""PDF text in reading order, including two-column layouts.

pypdf's own ordering follows the content stream, which for two-column CVs often
interleaves a line of the left column with a line of the right one. We collect each
text fragment with its position (pypdf's ``visitor_text``), look for a vertical gutter,
and when one holds over a good share of the page we emit the left column fully, then
the right one. Pages without a gutter keep pypdf's natural text.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from pypdf import PdfReader
from pypdf.errors import DependencyError, LimitReachedError, PdfReadError, PyPdfError
from pypdf.generic import DictionaryObject

from consumers.parsing.errors import FILE_TOO_COMPLEX, UNREADABLE_FILE, UNSAFE_CONTENT, ParseError
from consumers.parsing.typography import StyledLine, prominent_lines

MAX_PAGES = 20
TIME_BUDGET_S = 8.0
# A CV page's content stream is tens of kilobytes; pypdf parses a stream whole before
# it yields any text, so the size is what bounds the work inside one page.
MAX_CONTENT_BYTES = 4 * 1024 * 1024
# Actions chained through /Next that are followed before the chain counts as hostile.
_MAX_ACTIONS = 64
# Average glyph width in ems when a font does not tell us (Helvetica-like text).
_DEFAULT_EM = 0.5
# How far (points) a side-column line may run past the gutter and still belong to its side.
_GUTTER_SPILL = 40.0
# A column narrower than this share of the other is a sidebar.
_SIDEBAR_SHARE = 0.75
# A column must cover at least this share of the page's text height.
_MIN_COLUMN_SHARE = 0.25
_MIN_COLUMN_ROWS = 3


@dataclass(slots=True)
class _Fragment:
    x0: float
    x1: float
    y: float
    size: float
    text: str
    bold: bool = False


@dataclass(slots=True)
class _Row:
    y: float
    size: float
    fragments: list[_Fragment]

    @property
    def x0(self) -> float:
        return self.fragments[0].x0

    def text(self) -> str:
        parts: list[str] = []
        previous: _Fragment | None = None
        for fragment in self.fragments:
            if previous is not None and not _joins_without_space(previous, fragment):
                parts.append(" ")
            parts.append(fragment.text)
            previous = fragment
        return "".join(parts).strip()


def _joins_without_space(left: _Fragment, right: _Fragment) -> bool:
    if left.text.endswith(" ") or right.text.startswith(" "):
        return True
    # Widths are estimates: only glue pieces that clearly touch.
    return right.x0 - left.x1 < 0.1 * max(left.size, 1.0)


@dataclass(frozen=True, slots=True)
class PdfText:
    pages: list[str]
    page_count: int
    # Lines of the first page set larger or bolder than its body, largest first.
    prominent: tuple[str, ...] = ()
    photo: bool = False  # the first page shows a picture the size of a portrait


def read_pdf(data: bytes) -> PdfText:
    """Return the text of each page of a PDF, columns kept together.

    Raises ``ParseError`` (``unreadable_file`` for corrupt/encrypted files,
    ``file_too_complex`` past ``MAX_PAGES`` pages, pypdf's size limits or the time budget).
    """
    started = time.perf_counter()
    try:
        reader = PdfReader(BytesIO(data))
        if reader.is_encrypted:
            _decrypt(reader)
        if _has_active_content(reader):
            raise ParseError(
                UNSAFE_CONTENT,
                "PDF contains scripts, actions or attached files; export it again as a plain PDF",
            )
        page_count = len(reader.pages)
        if page_count > MAX_PAGES:
            raise ParseError(FILE_TOO_COMPLEX, f"PDF has more than {MAX_PAGES} pages")
        pages: list[str] = []
        styled: list[_Fragment] = []
        deadline = started + TIME_BUDGET_S
        for number, page in enumerate(reader.pages):
            pages.append(_page_text(page, deadline, styled if number == 0 else None))
            if time.perf_counter() > deadline:
                raise _OverBudget
    except _OverBudget as exc:
        raise ParseError(FILE_TOO_COMPLEX, "PDF text extraction exceeded the time budget") from exc
    except ParseError:
        raise
    except LimitReachedError as exc:
        raise ParseError(FILE_TOO_COMPLEX, "PDF exceeds decompression limits") from exc
    except (PyPdfError, DependencyError) as exc:
        raise ParseError(UNREADABLE_FILE, "PDF is corrupt or cannot be read") from exc
    except NotImplementedError as exc:
        # A filter or encoding pypdf does not know, often a damaged name ("/FlateDeco\xb5").
        raise ParseError(UNREADABLE_FILE, "PDF uses an encoding that cannot be read") from exc
    except (ValueError, KeyError, TypeError, IndexError, AttributeError, OSError) as exc:
        # pypdf surfaces some malformed structures as builtin errors.
        raise ParseError(UNREADABLE_FILE, "PDF structure is malformed") from exc
    except RecursionError as exc:
        raise ParseError(FILE_TOO_COMPLEX, "PDF structure is nested too deeply") from exc
    return PdfText(
        pages=pages,
        page_count=page_count,
        prominent=prominent_lines(_lines(styled)),
        photo=bool(reader.pages) and _has_portrait(reader.pages[0]),
    )


class _OverBudget(Exception):
    """Raised from inside pypdf's text walk when the document's time budget is spent."""


# Actions that run code, open other files (remote go-tos reach network paths) or send
# data: no CV needs them.
_ACTIVE_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/ImportData",
        "/SubmitForm",
        "/RichMediaExecute",
        "/GoToR",
        "/GoToE",
    }
)
# Keys whose mere presence means automatic actions (/AA) or associated files (/AF).
_ACTIVE_KEYS = ("/AA", "/AF")


def _has_active_content(reader: PdfReader) -> bool:
    """Scripts, auto-run actions or embedded files anywhere a viewer would act on them."""
    root: Any = reader.trailer["/Root"].get_object()
    names: Any = _resolve(root.get("/Names"))
    if isinstance(names, DictionaryObject) and (
        "/JavaScript" in names or "/EmbeddedFiles" in names
    ):
        return True
    if _has_active_keys(root) or _is_active(root.get("/OpenAction")):
        return True
    for page in reader.pages:
        if _has_active_keys(page):
            return True
        for annotation in _resolve(page.get("/Annots")) or []:
            annotation = _resolve(annotation)
            if not isinstance(annotation, DictionaryObject):
                continue
            if annotation.get("/Subtype") == "/FileAttachment" or _has_active_keys(annotation):
                return True
            if _is_active(annotation.get("/A")):
                return True
    return False


def _resolve(value: Any) -> Any:
    return value.get_object() if value is not None and hasattr(value, "get_object") else value


def _has_active_keys(node: Any) -> bool:
    return any(key in node for key in _ACTIVE_KEYS)


def _is_active(action: Any) -> bool:
    """Whether ``action``, or any action chained after it through ``/Next``, is active.

    The chain is a graph in a hostile file (cycles, fan-out): walk it with a visited set,
    and take a chain longer than any viewer menu needs as hostile in itself.
    """
    pending = [action]
    seen: set[int] = set()
    while pending:
        node = _resolve(pending.pop())
        if node is None:
            continue
        if isinstance(node, list):
            pending.extend(node)
            continue
        if not isinstance(node, DictionaryObject) or id(node) in seen:
            continue
        seen.add(id(node))
        if len(seen) > _MAX_ACTIONS or node.get("/S") in _ACTIVE_ACTIONS:
            return True
        pending.append(node.get("/Next"))
    return False


def _decrypt(reader: PdfReader) -> None:
    # Many CVs are "encrypted" with an empty user password just to restrict editing.
    try:
        decrypted = reader.decrypt("")
    except (PdfReadError, DependencyError, NotImplementedError) as exc:
        raise ParseError(UNREADABLE_FILE, "PDF is encrypted") from exc
    if not decrypted:
        raise ParseError(UNREADABLE_FILE, "PDF is password-protected")


def _page_text(page: Any, deadline: float, styled: list[_Fragment] | None = None) -> str:
    """The page's text; ``styled`` (when given) receives its fragments with their weight."""
    contents = page.get_contents()
    if contents is not None and len(contents.get_data()) > MAX_CONTENT_BYTES:
        raise ParseError(FILE_TOO_COMPLEX, "a PDF page holds more content than a CV does")
    fragments: list[_Fragment] = []
    em_cache: dict[int, float] = {}
    bold_cache: dict[int, bool] = {}

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        # Checked for every piece of text: a page can no longer outlast the budget.
        if time.perf_counter() > deadline:
            raise _OverBudget
        if text and not text.isspace():
            pieces = _fragments(text, cm, tm, font, size, em_cache)
            fragments.extend(pieces)
            if styled is not None and len(styled) < _MAX_STYLED:
                bold = _is_bold(font, bold_cache)
                styled.extend(_Fragment(p.x0, p.x1, p.y, p.size, p.text, bold) for p in pieces)

    natural: str = page.extract_text(visitor_text=visit)
    columned = _columned_text(fragments)
    return natural if columned is None else columned


def _fragments(
    text: str,
    cm: list[float],
    tm: list[float],
    font: Any,
    size: float,
    em_cache: dict[int, float],
) -> list[_Fragment]:
    # Position and scale of the text in user space: the text matrix times the CTM.
    a = tm[0] * cm[0] + tm[1] * cm[2]
    b = tm[0] * cm[1] + tm[1] * cm[3]
    x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
    y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
    effective = abs(size) * (math.hypot(a, b) or 1.0)
    em = _em_width(font, em_cache)
    out = []
    for index, line in enumerate(text.split("\n")):
        stripped = line.strip()
        if stripped:
            line_y = y - index * effective * 1.2
            width = len(stripped) * effective * em
            out.append(_Fragment(x, x + width, line_y, effective, stripped))
    return out


_MAX_STYLED = 2000
# A portrait: at least this many pixels a side, not much wider than tall or the reverse.
_PORTRAIT_PIXELS = 60
_PORTRAIT_RATIO = (0.5, 1.6)


def _has_portrait(page: Any) -> bool:
    try:
        resources = page.get("/Resources")
        objects = resources.get_object().get("/XObject") if resources is not None else None
        if objects is None:
            return False
        for index, reference in enumerate(objects.get_object().values()):
            if index > 50:
                break
            image = reference.get_object()
            if image.get("/Subtype") != "/Image":
                continue
            width, height = int(image.get("/Width", 0)), int(image.get("/Height", 0))
            if min(width, height) >= _PORTRAIT_PIXELS:
                ratio = width / height
                if _PORTRAIT_RATIO[0] <= ratio <= _PORTRAIT_RATIO[1]:
                    return True
    except (AttributeError, TypeError, ValueError, KeyError, PyPdfError):
        return False
    return False


_BOLD_NAMES = ("bold", "black", "heavy", "semibold", "demi")


def _is_bold(font: Any, cache: dict[int, bool]) -> bool:
    key = id(font)
    if key not in cache:
        try:
            name = str(font.get("/BaseFont", "")) if font is not None else ""
        except (AttributeError, TypeError, ValueError):
            name = ""
        cache[key] = any(word in name.lower() for word in _BOLD_NAMES)
    return cache[key]


def _lines(fragments: list[_Fragment]) -> list[StyledLine]:
    """Fragments of one size on one baseline, close together, joined into lines; lines
    beside each other in two columns stay apart (the gap between them is wide)."""
    ordered = sorted(fragments, key=lambda f: (-round(f.y), f.x0))
    lines: list[StyledLine] = []
    current: list[_Fragment] = []
    for fragment in [*ordered, None]:
        last = current[-1] if current else None
        if (
            fragment is not None
            and last is not None
            and abs(last.y - fragment.y) <= 0.3 * max(last.size, 1.0)
            and abs(last.size - fragment.size) < 0.5
            and fragment.x0 - last.x1 < 1.5 * max(last.size, 1.0)
        ):
            current.append(fragment)
            continue
        if current:
            text = _Row(current[0].y, current[0].size, current).text()
            bold = all(f.bold for f in current)
            lines.append(StyledLine(text, current[0].size, bold, -current[0].y, current[0].x0))
        current = [fragment] if fragment is not None else []
    return _join_wrapped(lines)


def _join_wrapped(lines: list[StyledLine]) -> list[StyledLine]:
    """Add, before each line, its join with the next when that continues it: same size,
    same left edge, the next baseline down ("Renata Cárdenas" / "Treviño")."""
    by_x: dict[int, StyledLine] = {}
    out: list[StyledLine] = []
    for line in sorted(lines, key=lambda item: item.top):
        key = round(line.x / 4)
        above = by_x.get(key)
        if (
            above is not None
            and abs(above.size - line.size) < 0.3
            and 0 < line.top - above.top <= 1.6 * line.size
        ):
            joined = f"{above.text} {line.text}"
            out.append(
                StyledLine(joined, line.size, above.bold and line.bold, above.top - 0.01, above.x)
            )
        out.append(line)
        by_x[key] = line
    return out


def _em_width(font: Any, cache: dict[int, float]) -> float:
    key = id(font)
    if key not in cache:
        cache[key] = _average_em(font)
    return cache[key]


def _average_em(font: Any) -> float:
    try:
        widths = font.get("/Widths")
        if widths is None:
            return _DEFAULT_EM
        values = [float(w) for w in widths.get_object()]
        first = int(font.get("/FirstChar", 0))
    except (AttributeError, TypeError, ValueError):
        return _DEFAULT_EM
    lower = values[max(0, 97 - first) : max(0, 123 - first)]
    sample = [w for w in (lower or values) if w > 0]
    if not sample:
        return _DEFAULT_EM
    return min(max(sum(sample) / len(sample) / 1000.0, 0.2), 1.0)


def _columned_text(fragments: list[_Fragment]) -> str | None:
    """Return the page text column by column, or None when the page has no gutter."""
    if len(fragments) < 2 * _MIN_COLUMN_ROWS:
        return None
    rows = _rows(fragments)
    top = max(f.y for f in fragments)
    bottom = min(f.y for f in fragments)
    height = top - bottom
    if height <= 0:
        return None
    gutter = _find_gutter(rows, height)
    if gutter is None:
        return None
    return _render(rows, gutter)


def _rows(fragments: list[_Fragment]) -> list[_Row]:
    ordered = sorted(fragments, key=lambda f: (-f.y, f.x0))
    rows: list[_Row] = []
    for fragment in ordered:
        tolerance = 0.4 * max(fragment.size, 1.0)
        if rows and abs(rows[-1].y - fragment.y) <= tolerance:
            rows[-1].fragments.append(fragment)
        else:
            rows.append(_Row(fragment.y, fragment.size, [fragment]))
    for row in rows:
        row.fragments.sort(key=lambda f: f.x0)
    return rows


def _crosses(fragment: _Fragment, gutter: float) -> bool:
    # Estimated widths run long or short; demand a clear overlap.
    # A long link or address in a narrow sidebar may run a little into the gutter
    # without being a line across both columns.
    overlap = fragment.x0 + 0.85 * (fragment.x1 - fragment.x0)
    return fragment.x0 < gutter - 1.0 and overlap > gutter + _GUTTER_SPILL


def _find_gutter(rows: list[_Row], height: float) -> float | None:
    """Pick the x where the longest run of rows splits into two real columns."""
    left_edge = min(f.x0 for row in rows for f in row.fragments)
    right_edge = max(f.x1 for row in rows for f in row.fragments)
    span = right_edge - left_edge
    if span <= 0:
        return None
    low, high = left_edge + 0.2 * span, left_edge + 0.8 * span
    # The right column starts where several rows start: gutter candidates sit just left.
    starts: dict[int, int] = {}
    for row in rows:
        for fragment in row.fragments:
            if low <= fragment.x0 <= high:
                key = round(fragment.x0)
                starts[key] = starts.get(key, 0) + 1
    best: tuple[float, float] | None = None
    for start, count in starts.items():
        if count < _MIN_COLUMN_ROWS:
            continue
        gutter = start - 2.0
        score = _band_score(rows, gutter, height)
        if score > 0 and (best is None or score > best[0]):
            best = (score, gutter)
    return None if best is None else best[1]


def _band_score(rows: list[_Row], gutter: float, height: float) -> float:
    """Height of the tallest band of rows split by ``gutter`` with both sides filled."""
    best = 0.0
    band: list[_Row] = []
    for row in [*rows, None]:
        if row is not None and not any(_crosses(f, gutter) for f in row.fragments):
            band.append(row)
            continue
        left = [r.y for r in band if any(f.x0 < gutter for f in r.fragments)]
        right = [r.y for r in band if any(f.x0 >= gutter for f in r.fragments)]
        if len(left) >= _MIN_COLUMN_ROWS and len(right) >= _MIN_COLUMN_ROWS:
            left_share = (max(left) - min(left)) / height
            right_share = (max(right) - min(right)) / height
            if min(left_share, right_share) >= _MIN_COLUMN_SHARE:
                best = max(best, min(left_share, right_share))
        band = []
    return best


def _render(rows: list[_Row], gutter: float) -> str:
    lines: list[str] = []
    band: list[_Row] = []
    for row in [*rows, None]:
        if row is not None and not any(_crosses(f, gutter) for f in row.fragments):
            band.append(row)
            continue
        left: list[_Row] = []
        right: list[_Row] = []
        for band_row in band:
            _split_row(band_row, gutter, left, right)
        first, second = (right, left) if _is_sidebar(right, left) else (left, right)
        _emit(first, lines)
        if left and right:
            lines.append("")
        _emit(second, lines)
        band = []
        if row is not None:
            _emit([row], lines)
    return "\n".join(lines)


def _width(rows: list[_Row]) -> float:
    if not rows:
        return 0.0
    return max(f.x1 for r in rows for f in r.fragments) - min(
        f.x0 for r in rows for f in r.fragments
    )


def _is_sidebar(side: list[_Row], main: list[_Row]) -> bool:
    """A right column much narrower than the left is a sidebar. Sidebars go first
    (whichever side they are on) so that a main column which runs on to the next page
    reads on without the sidebar in between."""
    return bool(side) and _width(side) < _SIDEBAR_SHARE * _width(main)


def _split_row(row: _Row, gutter: float, left: list[_Row], right: list[_Row]) -> None:
    left_fragments = [f for f in row.fragments if f.x0 < gutter]
    right_fragments = [f for f in row.fragments if f.x0 >= gutter]
    if left_fragments:
        left.append(_Row(row.y, row.size, left_fragments))
    if right_fragments:
        right.append(_Row(row.y, row.size, right_fragments))


def _emit(rows: list[_Row], lines: list[str]) -> None:
    previous: _Row | None = None
    for row in rows:
        # A tall vertical gap usually separates blocks (entries, sections).
        if previous is not None and previous.y - row.y > 2.2 * max(previous.size, row.size):
            lines.append("")
        lines.append(row.text())
        previous = row
