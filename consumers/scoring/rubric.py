"""The offline rubric: a deterministic, explainable 0–100 score for a parsed CV.

Each category scores 0–100 from facts a person can check, and reports ``Issue``s (a code,
the CV line it is about, a few parameters) that ``suggestions`` turns into advice in the
CV's language. The total is the weighted mean of the categories (see ``WEIGHTS``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from consumers.scoring import dates
from consumers.scoring.job_match import MatchDetail
from consumers.scoring.lexicon import (
    CONCURRENT_MARKERS,
    JUNIOR_TITLE_WORDS,
    NUMBER_WORDS,
    SENIOR_TITLE_WORDS,
    STRONG_VERBS_EN,
    STRONG_VERBS_PT,
    WEAK_OPENERS_EN,
    WEAK_OPENERS_PT,
)
from consumers.scoring.text import (
    CvLines,
    first_word,
    fold,
    garbled_count,
    has_garbled,
    is_bullet_line,
    is_quantified,
    strip_bullet,
    words,
)
from schemas.cv import BreakdownItem, ExperienceEntry, ParsedCv, SectionKind

RUBRIC_VERSION = "offline-2"

# Category weights; they sum to 1. Without a job description "keywords" is left out and
# the others are scaled up in proportion (see ``weights_for``).
WEIGHTS: dict[str, float] = {
    "parseability": 0.15,
    "contact": 0.10,
    "structure": 0.15,
    "impact": 0.15,
    "action_verbs": 0.10,
    "length_readability": 0.10,
    "dates_consistency": 0.10,
    "keywords": 0.15,
}
CATEGORIES: tuple[str, ...] = tuple(WEIGHTS)

CONTACT_POINTS: dict[str, int] = {
    "name": 25,
    "email": 30,
    "phone": 20,
    "linkedin": 15,
    "location": 10,
}
SECTION_POINTS: dict[SectionKind, int] = {
    SectionKind.SUMMARY: 20,
    SectionKind.EXPERIENCE: 35,
    SectionKind.EDUCATION: 25,
    SectionKind.SKILLS: 20,
}
# Words in the whole CV that read well, by seniority (a junior fits one page).
WORD_SWEET_SPOT: dict[str, tuple[int, int]] = {
    "junior": (200, 600),
    "mid": (350, 850),
    "senior": (450, 1100),
}
BULLET_WORDS = (4, 35)
LONG_PARAGRAPH_WORDS = 80
QUANTIFIED_TARGET = 0.6  # not every bullet needs a number; 60% of them is full marks
STRONG_VERB_TARGET = 0.7
MIN_WORDS = 50  # no readable text below this: a scanned image, or a broken export
FULL_WORDS = 150
SCANNED_WORDS = 80  # below this, say so: a short CV is length's business, not ours
GARBLED_LIMIT = 0.03  # 3% unreadable characters scores zero

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_YEAR_RE = re.compile(r"\b(?:19|20)\d{2}\b")


@dataclass(frozen=True, slots=True)
class Issue:
    """Something a category found wrong; ``evidence`` is a line of the CV text."""

    category: str
    code: str
    evidence: str | None = None
    params: Mapping[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CategoryResult:
    category: str
    score: int
    issues: tuple[Issue, ...] = ()


@dataclass(frozen=True, slots=True)
class Bullet:
    """An experience bullet: ``text`` as parsed, ``line`` as it appears in the CV."""

    text: str
    line: str | None
    quantified: bool
    strong: bool
    weak_opener: str | None


@dataclass(frozen=True, slots=True)
class RubricReport:
    score: int
    breakdown: list[BreakdownItem]
    results: tuple[CategoryResult, ...]

    @property
    def issues(self) -> list[Issue]:
        return [issue for result in self.results for issue in result.issues]


@dataclass(frozen=True, slots=True)
class _Context:
    cv: ParsedCv
    lines: CvLines
    bullets: tuple[Bullet, ...]
    word_count: int
    today: date | None
    match: MatchDetail | None


def weights_for(with_keywords: bool) -> dict[str, float]:
    """The weights in use: all of them, or all but "keywords" rescaled to sum to 1."""
    if with_keywords:
        return dict(WEIGHTS)
    rest = {name: w for name, w in WEIGHTS.items() if name != "keywords"}
    total = sum(rest.values())
    return {name: w / total for name, w in rest.items()}


def evaluate(
    cv: ParsedCv, match: MatchDetail | None = None, today: date | None = None
) -> RubricReport:
    """Score ``cv``. ``match`` adds the keywords category; ``today`` only enables the
    check for dates in the future (without it the result never depends on the clock)."""
    lines = CvLines(cv.text)
    ctx = _Context(
        cv=cv,
        lines=lines,
        bullets=tuple(_bullets(cv, lines)),
        word_count=len(words(cv.text)),
        today=today,
        match=match if match is not None and match.has_terms else None,
    )
    weights = weights_for(ctx.match is not None)
    results = tuple(_SCORERS[name](ctx) for name in weights)
    total = sum(result.score * weights[result.category] for result in results)
    breakdown = [
        BreakdownItem(category=r.category, score=r.score, weight=weights[r.category])
        for r in results
    ]
    return RubricReport(score=_clamp(total), breakdown=breakdown, results=results)


def _clamp(value: float) -> int:
    # Round half up: Python's round() is banker's rounding, surprising in a score.
    return max(0, min(100, int(value + 0.5)))


def _ratio(value: float) -> float:
    return max(0.0, min(1.0, value))


# -- bullets -----------------------------------------------------------------------------


def _bullets(cv: ParsedCv, lines: CvLines) -> list[Bullet]:
    texts = [b for entry in cv.experience for b in entry.bullets if b.strip()]
    if not cv.experience:
        # The parser found no entries: fall back on the experience section's own lines
        # (bulleted ones, else sentences; a line with a year is an entry's header).
        body = [
            line.strip()
            for s in cv.sections
            if s.kind is SectionKind.EXPERIENCE
            for line in s.text.splitlines()
            if line.strip()
        ]
        texts = [line for line in body if is_bullet_line(line)] or [
            line for line in body if len(words(line)) >= 6 and not _YEAR_RE.search(line)
        ]
    return [_bullet(text, lines) for text in texts]


def _bullet(text: str, lines: CvLines) -> Bullet:
    clean = strip_bullet(text)
    return Bullet(
        text=clean,
        line=lines.find(clean),
        quantified=is_quantified(clean, NUMBER_WORDS),
        strong=first_word(clean) in STRONG_VERBS_PT | STRONG_VERBS_EN,
        weak_opener=weak_opener(clean),
    )


def weak_opener(bullet: str) -> str | None:
    """The weak opener a bullet starts with ("responsavel por", "helped"), folded."""
    start = fold(strip_bullet(bullet))
    for opener in (*WEAK_OPENERS_PT, *WEAK_OPENERS_EN):
        if start.startswith(opener) and (
            len(start) == len(opener) or not start[len(opener)].isalnum()
        ):
            return opener
    return None


# -- categories --------------------------------------------------------------------------


def _parseability(ctx: _Context) -> CategoryResult:
    text = ctx.cv.text
    issues: list[Issue] = []
    amount = _ratio((ctx.word_count - MIN_WORDS) / (FULL_WORDS - MIN_WORDS))
    if ctx.word_count < SCANNED_WORDS:
        issues.append(Issue("parseability", "little_text", params={"words": ctx.word_count}))
    garbled = garbled_count(text)
    clean = _ratio(1 - garbled / max(1, len(text)) / GARBLED_LIMIT)
    clean *= min(1.0, ctx.word_count / MIN_WORDS)  # three clean words prove nothing
    if garbled:
        evidence = next((line for line in ctx.lines.lines if has_garbled(line)), None)
        issues.append(Issue("parseability", "garbled", evidence, {"chars": garbled}))
    recognised = {s.kind for s in ctx.cv.sections if s.kind is not SectionKind.OTHER}
    sections = {0: 0.0, 1: 0.4, 2: 0.7}.get(len(recognised), 1.0)
    if len(recognised) < 3:
        issues.append(Issue("parseability", "few_sections", params={"found": len(recognised)}))
    score = 100 * (0.4 * amount + 0.35 * clean + 0.25 * sections)
    return CategoryResult("parseability", _clamp(score), tuple(issues))


def _contact(ctx: _Context) -> CategoryResult:
    contact = ctx.cv.contact
    issues: list[Issue] = []
    points = 0
    for name in CONTACT_POINTS:
        value = (getattr(contact, name) or "").strip()
        if not value:
            issues.append(Issue("contact", f"missing_{name}"))
        elif name == "email" and not _EMAIL_RE.match(value):
            issues.append(Issue("contact", "invalid_email", ctx.lines.find(value)))
        elif name == "phone" and sum(ch.isdigit() for ch in value) < 10:
            issues.append(Issue("contact", "invalid_phone", ctx.lines.find(value)))
        else:
            points += CONTACT_POINTS[name]
    if ctx.cv.personal_data:
        # Advice only, no points: the kinds are named, the values never quoted.
        issues.append(
            Issue("contact", "personal_data", params={"kinds": ",".join(ctx.cv.personal_data)})
        )
    return CategoryResult("contact", points, tuple(issues))


def _structure(ctx: _Context) -> CategoryResult:
    cv = ctx.cv
    with_text = {s.kind for s in cv.sections if s.text.strip()}
    headings = {s.kind for s in cv.sections}
    # Entries the parser found count almost as much as a heading: an ATS found them too.
    extracted = {
        SectionKind.EXPERIENCE: bool(cv.experience),
        SectionKind.EDUCATION: bool(cv.education),
        SectionKind.SKILLS: bool(cv.skills),
        SectionKind.SUMMARY: False,
    }
    issues: list[Issue] = []
    score = 0.0
    for kind, points in SECTION_POINTS.items():
        if kind in with_text:
            score += points
        elif extracted[kind]:
            score += 0.75 * points
        elif kind in headings:
            score += 0.5 * points
            issues.append(Issue("structure", f"empty_{kind.value}"))
        else:
            issues.append(Issue("structure", f"missing_{kind.value}"))
    return CategoryResult("structure", _clamp(score), tuple(issues))


def _impact(ctx: _Context) -> CategoryResult:
    bullets = ctx.bullets
    if not bullets:
        return CategoryResult("impact", 0, (Issue("impact", "no_bullets"),))
    quantified = sum(b.quantified for b in bullets)
    share = quantified / len(bullets)
    issues: list[Issue] = []
    if share < QUANTIFIED_TARGET:
        issues.append(
            Issue("impact", "low_share", params={"count": quantified, "total": len(bullets)})
        )
        issues += [
            Issue("impact", "unquantified_bullet", b.line, {"bullet": b.text})
            for b in bullets
            if not b.quantified
        ]
    return CategoryResult("impact", _clamp(100 * share / QUANTIFIED_TARGET), tuple(issues))


def _action_verbs(ctx: _Context) -> CategoryResult:
    bullets = ctx.bullets
    if not bullets:
        return CategoryResult("action_verbs", 0)
    strong = sum(b.strong for b in bullets) / len(bullets)
    weak = sum(b.weak_opener is not None for b in bullets) / len(bullets)
    score = 100 * (min(1.0, strong / STRONG_VERB_TARGET) - 0.6 * weak)
    issues: list[Issue] = []
    for b in bullets:
        if b.weak_opener is not None:
            params: dict[str, str | int] = {"bullet": b.text, "opener": b.weak_opener}
            issues.append(Issue("action_verbs", "weak_opener", b.line, params))
        elif not b.strong:
            issues.append(Issue("action_verbs", "no_action_verb", b.line, {"bullet": b.text}))
    return CategoryResult("action_verbs", _clamp(score), tuple(issues))


def seniority(cv: ParsedCv, today: date | None = None) -> str:
    """ "junior", "mid" or "senior", from the years the dates cover, nudged by job titles."""
    years = dates.experience_years(dates.spans(cv.experience), today)
    level = "junior" if years < 3 else "mid" if years < 8 else "senior"
    titles = [set(words(fold(e.title))) for e in cv.experience if e.title]
    # Dates can be missing or partial; a "Gerente" or "Senior" title is not a junior.
    if level == "junior" and any(t & SENIOR_TITLE_WORDS for t in titles):
        return "mid"
    # Only internships and junior titles: still a junior, however long the timeline.
    if level == "mid" and titles and all(t & JUNIOR_TITLE_WORDS for t in titles):
        return "junior"
    return level


def _length_readability(ctx: _Context) -> CategoryResult:
    level = seniority(ctx.cv, ctx.today)
    low, high = WORD_SWEET_SPOT[level]
    count = ctx.word_count
    issues: list[Issue] = []
    params: dict[str, str | int] = {"words": count, "min": low, "max": high, "level": level}
    if count < low:
        amount = _ratio((count - 0.4 * low) / (0.6 * low))
        issues.append(Issue("length_readability", "too_short", params=params))
    elif count > high:
        amount = max(0.3, 1 - 0.7 * (count - high) / high)
        issues.append(Issue("length_readability", "too_long", params=params))
    else:
        amount = 1.0
    bullet_ok = 0.5  # no bullets: nothing to judge here (impact already penalises it)
    if ctx.bullets:
        lo, hi = BULLET_WORDS
        sizes = [(b, len(words(b.text))) for b in ctx.bullets]
        bullet_ok = sum(lo <= n <= hi for _, n in sizes) / len(sizes)
        issues += [
            Issue("length_readability", "long_bullet", b.line, {"words": n})
            for b, n in sizes
            if n > hi
        ]
    long_paragraphs = _long_paragraphs(ctx.cv.text)
    issues += [
        Issue("length_readability", "long_paragraph", line, {"words": n})
        for line, n in long_paragraphs
    ]
    paragraphs = _ratio(1 - 0.3 * len(long_paragraphs))
    score = 100 * (0.5 * amount + 0.3 * bullet_ok + 0.2 * paragraphs)
    return CategoryResult("length_readability", _clamp(score), tuple(issues))


def _long_paragraphs(text: str) -> list[tuple[str, int]]:
    """Blocks of prose over ``LONG_PARAGRAPH_WORDS`` words, by their first line.

    PDF text wraps prose into many long lines; a short line, a blank line or a bullet
    ends a paragraph.
    """
    found: list[tuple[str, int]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            count = sum(len(words(line)) for line in run)
            if count > LONG_PARAGRAPH_WORDS:
                found.append((run[0], count))
            run.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line or is_bullet_line(line):
            flush()
            continue
        run.append(line)
        if len(line) < 60:
            flush()
    flush()
    return found


def _entry_line(entry: ExperienceEntry, lines: CvLines) -> str | None:
    return (
        lines.find_all(entry.title, entry.company)
        or lines.find(entry.title)
        or lines.find(entry.company)
    )


def _entry_name(entry: ExperienceEntry) -> str:
    return " — ".join(part for part in (entry.title, entry.company) if part) or "?"


def _concurrent(entry: ExperienceEntry) -> bool:
    label = fold(f"{entry.title or ''} {entry.company or ''}")
    return any(marker in label for marker in CONCURRENT_MARKERS)


def _dates_consistency(ctx: _Context) -> CategoryResult:
    entries = ctx.cv.experience
    if not entries:
        return CategoryResult("dates_consistency", 50)  # nothing to check either way
    issues: list[Issue] = []
    found = dates.spans(entries)
    dated = {s.index for s in found}
    for index, entry in enumerate(entries):
        if index not in dated:
            issues.append(
                Issue("dates_consistency", "missing", _entry_line(entry, ctx.lines),
                      {"entry": _entry_name(entry)})
            )  # fmt: skip
    now = dates.month_of(ctx.today) if ctx.today else None
    valid: list[dates.Span] = []
    for span in found:
        line = _entry_line(span.entry, ctx.lines)
        params: dict[str, str | int] = {"entry": _entry_name(span.entry)}
        if span.end is not None and span.end < span.start:
            issues.append(Issue("dates_consistency", "end_before_start", line, params))
        elif now is not None and max(span.start, span.end or 0) > now:
            issues.append(Issue("dates_consistency", "future", line, params))
        else:
            valid.append(span)
    ref = dates.reference_month(valid, ctx.today)
    overlaps = 0
    for i, a in enumerate(valid):
        for b in valid[i + 1 :]:
            shared = min(a.end or ref, b.end or ref) - max(a.start, b.start) + 1
            # One shared month is a job change, not two jobs at once.
            if shared >= 2 and not (_concurrent(a.entry) or _concurrent(b.entry)):
                overlaps += 1
                params = {"entry": _entry_name(b.entry), "other": _entry_name(a.entry)}
                line = _entry_line(b.entry, ctx.lines)
                issues.append(Issue("dates_consistency", "overlap", line, params))
    inversions = 0
    for a, b in itertools.pairwise(valid):
        if _recency(b, ref) > _recency(a, ref):
            inversions += 1
            line = _entry_line(b.entry, ctx.lines)
            issues.append(
                Issue("dates_consistency", "order", line, {"entry": _entry_name(b.entry)})
            )
    score = 100 * (
        0.4 * len(found) / len(entries)
        + 0.2 * (len(valid) / len(found) if found else 0.0)
        + 0.2 * _ratio(1 - 0.5 * overlaps)
        + 0.2 * (1 - inversions / max(1, len(valid) - 1))
    )
    return CategoryResult("dates_consistency", _clamp(score), tuple(issues))


def _recency(span: dates.Span, ref: int) -> tuple[int, int]:
    # Reverse-chronological means the latest end first (current jobs on top), then start.
    return (span.end if span.end is not None else ref + 1, span.start)


def _keywords(ctx: _Context) -> CategoryResult:
    match = ctx.match
    if match is None:
        return CategoryResult("keywords", 0)
    issues: list[Issue] = []
    if match.missing_skills:
        params: dict[str, str | int] = {
            "terms": ", ".join(match.missing_skills[:8]),
            "score": match.job_match.score,
        }
        issues.append(Issue("keywords", "missing_skills", params=params))
    if match.missing_keywords:
        params = {"terms": ", ".join(match.missing_keywords[:8])}
        issues.append(Issue("keywords", "missing_keywords", params=params))
    return CategoryResult("keywords", match.job_match.score, tuple(issues))


_SCORERS: dict[str, Callable[[_Context], CategoryResult]] = {
    "parseability": _parseability,
    "contact": _contact,
    "structure": _structure,
    "impact": _impact,
    "action_verbs": _action_verbs,
    "length_readability": _length_readability,
    "dates_consistency": _dates_consistency,
    "keywords": _keywords,
}
