"""How well a CV covers a job description, the way a recruiter's ATS filters it.

Terms come in two kinds: hard skills (tools, languages, methods; from the caller's list or
a small built-in one) and generic keywords (the words the ad repeats). Both are compared
accent- and case-insensitively; keywords also ignore plurals. Hard skills weigh more.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from consumers.scoring.job_terms import BOILERPLATE, HARD_SKILLS, STOPWORDS
from consumers.scoring.text import fold
from schemas.cv import JobMatch, ParsedCv

HARD_SKILL_WEIGHT = 0.7
KEYWORD_WEIGHT = 0.3
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
    return _TOKEN_RE.findall(fold(text))


def stem(token: str) -> str:
    """A light pt/en plural stripper: "negociações" and "negociação" share a stem."""
    if len(token) <= 3:
        return token
    for suffix, replacement in (("coes", "cao"), ("oes", "ao"), ("aes", "ao"), ("ais", "al")):
        if token.endswith(suffix):
            return token[: -len(suffix)] + replacement
    if token.endswith("eis") and len(token) > 4:
        return token[:-3] + "el"
    if token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
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
    """Which of the job's terms the CV mentions, and a 0–100 match rate where hard skills
    count for ``HARD_SKILL_WEIGHT`` and keywords for the rest."""
    return match_detail(cv, job_description, job_skills).job_match


def match_detail(
    cv: ParsedCv, job_description: str, job_skills: list[str] | None = None
) -> MatchDetail:
    """``match_job`` with the missing terms split into hard skills and keywords."""
    terms = job_terms(job_description, job_skills)
    cv_toks = tokens("\n".join([cv.text, *cv.skills]))
    exact = _grams(cv_toks)
    stemmed = _grams([stem(t) for t in cv_toks])
    matched: list[str] = []
    missing: list[str] = []
    hits = {True: 0, False: 0}
    totals = {True: 0, False: 0}
    for term in terms:
        pool = exact if term.hard else stemmed
        found = bool(term.keys & pool)
        (matched if found else missing).append(term.label)
        totals[term.hard] += 1
        hits[term.hard] += found
    missing_set = set(missing)
    return MatchDetail(
        job_match=JobMatch(score=_score(hits, totals), matched=matched, missing=missing),
        missing_skills=tuple(t.label for t in terms if t.hard and t.label in missing_set),
        missing_keywords=tuple(t.label for t in terms if not t.hard and t.label in missing_set),
    )


def _score(hits: dict[bool, int], totals: dict[bool, int]) -> int:
    rates = {kind: hits[kind] / totals[kind] for kind in (True, False) if totals[kind]}
    if not rates:
        return 0
    if len(rates) == 1:
        return round(100 * next(iter(rates.values())))
    return round(100 * (HARD_SKILL_WEIGHT * rates[True] + KEYWORD_WEIGHT * rates[False]))
