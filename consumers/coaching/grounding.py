"""Does a reply say anything about the user that their CV (or they) did not?

The checker reads the reply as it stands, whoever wrote it: quoted passages, dates,
figures, named employers or titles and skills are claims, and each must be found in the
sources — the CV facts, what the user said in the session, the job description and the
knowledge-base text the reply drew on. What is not found is listed, never silently kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from consumers.coaching.text import fold
from consumers.parsing.skills import find_skills

_QUOTE = re.compile(r"[“\"]([^”\"\n]{8,600})[”\"]")
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)")
_FIGURE = re.compile(r"(?<![\w/])(\d+(?:[.,]\d+)?)(?:\s?%|\s?(?:mil|k|x)\b)?(?!\s?/\s?100)(?![\w])")
_NAMED = re.compile(
    r"\b(?:na|no|em|pela|pelo|at|for|with|como|as an?|as)\s+"
    r"((?:[A-ZÀ-Ý][\w&\-]*(?:\.[\w&\-]+)*)(?:\s+(?:de|da|do|of|&)?\s*[A-ZÀ-Ý][\w&\-]*(?:\.[\w&\-]+)*)*)"
)
# Words a reply may capitalise after a preposition without claiming anything about the user.
_GENERIC = frozenset(
    fold(w)
    for w in (
        "LinkedIn",
        "ATS",
        "STAR",
        "CLT",
        "PJ",
        "Gupy",
        "Glassdoor",
        "Recoloca",
        "PDF",
        "Sobre",
        "About",
        "Situação",
        "Tarefa",
        "Ação",
        "Resultado",
        "Situation",
        "Task",
        "Action",
        "Result",
        "Brasil",
        "Brazil",
        "Você",
        "You",
        "Resumo",
        "Summary",
        "Experiência",
        "Experience",
        "Habilidades",
        "Skills",
        "Formação",
        "Education",
    )
)


@dataclass(frozen=True)
class Grounding:
    claims: tuple[str, ...]
    ungrounded: tuple[str, ...]

    @property
    def grounded(self) -> bool:
        return not self.ungrounded


def _squash(text: str) -> str:
    return " ".join(fold(text).split())


def check(reply: str, sources: Iterable[str]) -> Grounding:
    haystack = _squash("\n".join(s for s in sources if s))
    digits = set(re.findall(r"\d+", haystack))
    # A skill is named by its canonical form ("Communication" for "comunicação").
    known_skills = {fold(s) for s in find_skills("\n".join(s for s in sources if s))}
    claims: list[str] = []
    missing: list[str] = []

    def verify(claim: str, found: bool) -> None:
        claims.append(claim)
        if not found:
            missing.append(claim)

    quoted_spans: list[tuple[int, int]] = []
    for match in _QUOTE.finditer(reply):
        quoted_spans.append(match.span())
        verify(match.group(1), _squash(match.group(1).strip(" .")) in haystack)
    outside = _outside(reply, quoted_spans)
    for match in _YEAR.finditer(outside):
        verify(match.group(1), match.group(1) in digits)
    for match in _FIGURE.finditer(outside):
        number = match.group(1)
        if _YEAR.fullmatch(number) or len(number.strip("0")) == 0:
            continue
        key = re.sub(r"[.,]\d+$", "", number)
        if len(key) == 1 and "%" not in match.group(0):
            continue  # "3 questions", "1 page": counts of advice, not facts about the user
        verify(match.group(0).strip(), key in digits)
    for match in _NAMED.finditer(outside):
        name = match.group(1).strip(" .-")
        if fold(name) in _GENERIC or fold(name.split()[0]) in _GENERIC:
            continue
        verify(name, _squash(name) in haystack)
    for skill in find_skills(outside):
        # Advice names some tools everyone has ("update your LinkedIn"): no claim.
        if len(skill) > 2 and fold(skill) not in _GENERIC:
            verify(skill, fold(skill) in known_skills or _squash(skill) in haystack)
    return Grounding(tuple(claims), tuple(missing))


def _outside(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the quoted spans blanked (a quote is checked whole, not in parts)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)
