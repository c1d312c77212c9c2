"""How well a CV covers a job description, the way a recruiter's ATS filters it.

Terms come in two kinds: hard skills (tools, languages, methods; from the caller's list or
a small built-in one) and generic keywords (the words the ad repeats). Both are compared
accent- and case-insensitively; keywords also ignore plurals and Portuguese gender
("desenvolvedora" is "desenvolvedor"), and glued or split spellings ("back-end",
"backend", "Back End") are one term. A term weighs by where the ad says it (required,
nice to have, elsewhere; see ``job_requirements``). The rate is broken down as an ATS
does (``CATEGORY_WEIGHTS``), with a target and the missing terms that would raise it most.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from consumers.scoring import job_requirements
from consumers.scoring.job_requirements import CONTEXT, KIND_WEIGHT, Piece
from consumers.scoring.job_terms import BOILERPLATE, COMPOUNDS, HARD_SKILLS, SOFT_SKILLS, STOPWORDS
from consumers.scoring.text import fold
from schemas.cv import JobMatch, JobRequirement, MatchCategory, ParsedCv

# Parts of the match rate; parts the ad gives nothing for are left out and the rest
# scaled up. Hard skills lead, as in the filters recruiters set.
CATEGORY_WEIGHTS: dict[str, float] = {
    "hard_skills": 0.40,
    "job_title": 0.10,
    "education": 0.10,
    "soft_skills": 0.10,
    "other_keywords": 0.15,
    "requirements": 0.15,  # languages and years of experience
}
TARGET = 80
MAX_RAISE = 5
_TITLE_PREFIXES = re.compile(
    r"^(?:vaga(?: para)?|oportunidade(?: para)?|cargo|job|position|role|title|we are hiring(?: an?)?"
    r"|estamos contratando|hiring(?: an?)?)\b[\s:–—-]*",
    re.IGNORECASE,
)
_MAX_TITLE_WORDS = 8
MAX_KEYWORDS = 10
MIN_KEYWORDS = 6  # a short ad repeats little: fill up with words said once
_MAX_GRAM = 3
_LINKERS = frozenset({"de", "da", "do", "das", "dos", "em", "of"})

# A token keeps the symbols skills are written with: "c++", "c#", "node.js", ".net",
# "event-driven".
_TOKEN_RE = re.compile(r"\.net\b|[^\W_](?:[^\W_]|[+#]|[.\-](?=[^\W_]))*")


@dataclass(frozen=True, slots=True)
class Term:
    """One thing the job asks for: ``label`` as shown to the user, ``keys`` as matched."""

    label: str
    keys: frozenset[str]
    hard: bool


def tokens(text: str) -> list[str]:
    """Folded tokens; hyphens inside a word dropped ("back-end" is "backend") and two
    words that make a known compound glued ("back end" is "backend")."""
    raw = [t.replace("-", "") if "-" in t else t for t in _TOKEN_RE.findall(fold(text))]
    out: list[str] = []
    for token in raw:
        if out and out[-1] + token in COMPOUNDS:
            out[-1] += token
        else:
            out.append(token)
    return out


# Plurals first, then the feminine: "desenvolvedoras" -> "desenvolvedora" -> "desenvolvedor".
_PLURALS = (("coes", "cao"), ("oes", "ao"), ("aes", "ao"), ("ais", "al"), ("ores", "or"))
_FEMININE = (("ora", "or"), ("eira", "eiro"), ("ica", "ico"), ("ada", "ado"), ("ista", "ista"))


def stem(token: str) -> str:
    """A light pt/en plural and gender folder: "negociações" and "negociação" share a
    stem, as do "desenvolvedor", "desenvolvedora" and "desenvolvedores"."""
    if len(token) <= 3:
        return token
    for suffix, replacement in _PLURALS:
        if token.endswith(suffix):
            return token[: -len(suffix)] + replacement
    if token.endswith("eis") and len(token) > 4:
        return token[:-3] + "el"
    if token.endswith("s") and not token.endswith("ss"):
        token = token[:-1]
    if len(token) > 5:
        for suffix, replacement in _FEMININE:
            if token.endswith(suffix):
                return token[: -len(suffix)] + replacement
    return token


def _grams(toks: list[str]) -> set[str]:
    found: set[str] = set()
    for size in range(1, _MAX_GRAM + 1):
        for i in range(len(toks) - size + 1):
            found.add(" ".join(toks[i : i + size]))
    return found


def _key(text: str) -> str:
    return " ".join(tokens(text))


def _build_skill_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for canonical, aliases in HARD_SKILLS.items():
        for spelling in (canonical, *aliases):
            index[_key(spelling)] = canonical
    return index


_SKILL_INDEX = _build_skill_index()
_SKILL_KEYS: dict[str, frozenset[str]] = {}
for _spelling_key, _canonical in _SKILL_INDEX.items():
    _SKILL_KEYS[_canonical] = _SKILL_KEYS.get(_canonical, frozenset()) | {_spelling_key}


def _skill_term(label: str) -> Term | None:
    key = _key(label)
    if not key:
        return None
    canonical = _SKILL_INDEX.get(key)
    keys = _SKILL_KEYS[canonical] if canonical else frozenset({key})
    return Term(label=label.strip(), keys=keys, hard=True)


def _find_lexicon_skills(toks: list[str]) -> tuple[list[Term], set[int]]:
    """Built-in skills named in the text, in order of appearance, and the token positions
    they cover (so "power" of "Power BI" is not also counted as a keyword)."""
    found: dict[str, Term] = {}
    covered: set[int] = set()
    i = 0
    while i < len(toks):
        for size in range(_MAX_GRAM, 0, -1):
            canonical = _SKILL_INDEX.get(" ".join(toks[i : i + size]))
            if canonical and i + size <= len(toks):
                if canonical not in found:
                    found[canonical] = Term(canonical, _SKILL_KEYS[canonical], hard=True)
                covered.update(range(i, i + size))
                i += size
                break
        else:
            i += 1
    return list(found.values()), covered


def _is_content(token: str) -> bool:
    return (
        len(token) >= 3
        and not token.isdigit()
        and token not in STOPWORDS
        and token not in BOILERPLATE
    )


def _find_keywords(text: str, toks: list[str], covered: set[int]) -> list[Term]:
    """The words and short phrases the ad repeats ("análise de dados"), most frequent first."""
    surface = _TOKEN_RE.findall(text.lower())
    stems = [stem(t) for t in toks]
    content = [i not in covered and _is_content(t) for i, t in enumerate(toks)]
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    labels: dict[str, str] = {}

    def add(key: str, start: int, end: int) -> None:
        counts[key] += 1
        if key not in first:
            first[key] = start
            labels[key] = " ".join(surface[start:end])

    for i in range(len(toks)):
        if not content[i]:
            continue
        add(stems[i], i, i + 1)
        if i + 1 < len(toks) and content[i + 1]:
            add(f"{stems[i]} {stems[i + 1]}", i, i + 2)
        if i + 2 < len(toks) and toks[i + 1] in _LINKERS and content[i + 2]:
            add(f"{stems[i]} {toks[i + 1]} {stems[i + 2]}", i, i + 3)

    phrases = [k for k in counts if " " in k and counts[k] >= 2]
    # A word only ever seen inside a repeated phrase is that phrase, not a keyword of its own.
    inside = {w for p in phrases for w in p.split() if counts[w] <= counts[p]}
    singles = [k for k in counts if " " not in k and k not in inside]
    ranked = sorted(
        [*phrases, *(k for k in singles if counts[k] >= 2)],
        key=lambda k: (-counts[k] - (0.5 if " " in k else 0), first[k]),
    )[:MAX_KEYWORDS]
    if len(ranked) < MIN_KEYWORDS:
        once = sorted((k for k in singles if counts[k] == 1 and len(k) >= 4), key=first.__getitem__)
        ranked += once[: MIN_KEYWORDS - len(ranked)]
    return [Term(labels[k], frozenset({k}), hard=False) for k in ranked]


def job_terms(job_description: str, job_skills: list[str] | None = None) -> list[Term]:
    """Hard skills then keywords. The scoring service passes ``job_skills`` found with the
    parsing taxonomy (the vocabulary of the CV's own skills); the built-in list serves
    callers that give none."""
    toks = tokens(job_description)
    lexicon_skills, covered = _find_lexicon_skills(toks)
    if job_skills is None:
        hard = lexicon_skills
    else:
        hard = []
        seen: set[frozenset[str]] = set()
        for skill in job_skills:
            term = _skill_term(skill)
            if term and term.keys not in seen:
                seen.add(term.keys)
                hard.append(term)
    hard_keys = {k for term in hard for k in term.keys}
    keywords = [
        t
        for t in _find_keywords(job_description, toks, covered)
        if not t.keys & hard_keys and not any(k in hard_keys for k in t.label.split())
    ]
    return [*hard, *keywords]


@dataclass(frozen=True, slots=True)
class MatchDetail:
    """A ``JobMatch`` that still knows which missing terms are hard skills."""

    job_match: JobMatch
    missing_skills: tuple[str, ...]
    missing_keywords: tuple[str, ...]

    @property
    def has_terms(self) -> bool:
        return bool(self.job_match.matched or self.job_match.missing)


def match_job(cv: ParsedCv, job_description: str, job_skills: list[str] | None = None) -> JobMatch:
    """Which of the job's terms the CV mentions, and a 0–100 match rate broken down into
    the parts of ``CATEGORY_WEIGHTS``."""
    return match_detail(cv, job_description, job_skills).job_match


@dataclass(frozen=True, slots=True)
class _Scored:
    term: Term
    found: bool
    importance: float
    category: str


def match_detail(
    cv: ParsedCv,
    job_description: str,
    job_skills: list[str] | None = None,
    today: date | None = None,
) -> MatchDetail:
    """``match_job`` with the missing terms split into hard skills and keywords."""
    terms = job_terms(job_description, job_skills)
    parts = job_requirements.pieces(job_description)
    cv_toks = tokens("\n".join([cv.text, *cv.skills]))
    exact = _grams(cv_toks)
    stemmed = _grams([stem(t) for t in cv_toks])
    piece_grams = [
        (p, _grams(tokens(p.text)), _grams([stem(t) for t in tokens(p.text)])) for p in parts
    ]
    scored: list[_Scored] = []
    for term in terms:
        found = bool(term.keys & (exact if term.hard else stemmed))
        scored.append(_Scored(term, found, _importance(term, piece_grams), _category(term)))
    skill_hits = {s.term.label: s.found for s in scored if s.term.hard}
    skill_keys = {s.term.label: s.term.keys for s in scored if s.term.hard}
    requirements = job_requirements.read_requirements(cv, parts, skill_hits, skill_keys, today)
    breakdown = _breakdown(scored, requirements, _title_part(cv, job_description))
    score = _overall(breakdown)
    ranked = sorted(
        (s for s in scored if not s.found),
        key=lambda s: (-s.importance, not s.term.hard, terms.index(s.term)),
    )
    job_match = JobMatch(
        score=score,
        matched=[s.term.label for s in scored if s.found],
        missing=[s.term.label for s in ranked],
        requirements=requirements,
        breakdown=breakdown,
        target=TARGET,
        raise_most=_raise_most(scored, breakdown),
    )
    return MatchDetail(
        job_match=job_match,
        missing_skills=tuple(s.term.label for s in ranked if s.term.hard),
        missing_keywords=tuple(s.term.label for s in ranked if not s.term.hard),
    )


def _importance(term: Term, piece_grams: list[tuple[Piece, set[str], set[str]]]) -> float:
    """The weight of the most demanding place the ad names the term (required first)."""
    kinds = [
        p.kind for p, exact, stemmed in piece_grams if term.keys & (exact if term.hard else stemmed)
    ]
    return max((KIND_WEIGHT[k] for k in kinds), default=KIND_WEIGHT[CONTEXT])


def _category(term: Term) -> str:
    keys = {stem(k) if " " not in k else " ".join(stem(w) for w in k.split()) for k in term.keys}
    soft = {" ".join(stem(w) for w in s.split()) for s in SOFT_SKILLS}
    if keys & soft or _key(term.label) in SOFT_SKILLS:
        return "soft_skills"
    return "hard_skills" if term.hard else "other_keywords"


def _title_part(cv: ParsedCv, job_description: str) -> tuple[list[str], list[str]]:
    """(matched, missing) words of the job title, read from the ad's opening line."""
    first = next((line.strip() for line in job_description.split("\n") if line.strip()), "")
    first = re.split(r"[.;!]\s|\s[–—|]\s", first)[0]
    explicit = _TITLE_PREFIXES.match(first)
    title = first[explicit.end() :] if explicit else first
    words = [t for t in tokens(title) if _is_content(t)]
    if not words or len(tokens(title)) > _MAX_TITLE_WORDS:
        return [], []
    cv_title_text = "\n".join([*(e.title or "" for e in cv.experience), *cv.text.split("\n")[:4]])
    have = {stem(t) for t in tokens(cv_title_text)}
    matched = [w for w in words if stem(w) in have]
    return matched, [w for w in words if stem(w) not in have]


def _breakdown(
    scored: list[_Scored], requirements: list[JobRequirement], title: tuple[list[str], list[str]]
) -> list[MatchCategory]:
    parts: dict[str, tuple[float, float, list[str], list[str]]] = {}

    def add(category: str, label: str, found: bool, weight: float) -> None:
        got, total, matched, missing = parts.get(category, (0.0, 0.0, [], []))
        (matched if found else missing).append(label)
        parts[category] = (got + weight * found, total + weight, matched, missing)

    for item in scored:
        add(item.category, item.term.label, item.found, item.importance)
    for word in title[0]:
        add("job_title", word, True, 1.0)
    for word in title[1]:
        add("job_title", word, False, 1.0)
    for requirement in requirements:
        category = {"education": "education", "language": "requirements", "years": "requirements"}
        if requirement.type in category:
            add(
                category[requirement.type],
                requirement.text,
                requirement.met,
                KIND_WEIGHT[requirement.kind],
            )
    present = {c: w for c, w in CATEGORY_WEIGHTS.items() if c in parts and parts[c][1] > 0}
    scale = sum(present.values()) or 1.0
    return [
        MatchCategory(
            category=category,
            score=round(100 * parts[category][0] / parts[category][1]),
            weight=round(weight / scale, 3),
            matched=parts[category][2],
            missing=parts[category][3],
        )
        for category, weight in present.items()
    ]


def _overall(breakdown: list[MatchCategory]) -> int:
    total = sum(item.weight for item in breakdown)
    if not total:
        return 0
    return round(sum(item.score * item.weight for item in breakdown) / total)


def _raise_most(scored: list[_Scored], breakdown: list[MatchCategory]) -> list[str]:
    """Missing terms by how many points each would add to the rate, most first."""
    weights = {item.category: item.weight for item in breakdown}
    totals: dict[str, float] = {}
    for item in scored:
        totals[item.category] = totals.get(item.category, 0.0) + item.importance
    gains = [
        (weights.get(item.category, 0.0) * item.importance / totals[item.category], index, item)
        for index, item in enumerate(scored)
        if not item.found and totals.get(item.category)
    ]
    gains.sort(key=lambda gain: (-gain[0], gain[1]))
    return [item.term.label for _, _, item in gains[:MAX_RAISE]]
