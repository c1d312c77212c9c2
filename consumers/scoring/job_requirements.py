"""What a job ad requires, what it would like, and whether the CV shows it.

An ad is read as pieces (lines, bullets and sentences); a heading ("Requisitos",
"Requirements", "Diferenciais", "Nice to have"...) or an inline marker ("desejável",
"is a plus", "obrigatório") sets the kind of the pieces that follow. Each required or
nice-to-have piece becomes a ``JobRequirement``: a spoken language at a level (compared
with the CV's languages on the CEFR scale), years of experience (compared with the months
the CV's dated entries cover), a degree, or skills and words the CV either mentions or not.
Pure: no I/O, no clock (``today`` only closes current jobs when given).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from consumers.scoring import dates
from consumers.scoring.text import fold
from schemas.cv import JobRequirement, ParsedCv

REQUIRED = "required"
NICE_TO_HAVE = "nice_to_have"
CONTEXT = "context"
# How much a term counts by where the ad says it.
KIND_WEIGHT = {REQUIRED: 1.0, CONTEXT: 0.7, NICE_TO_HAVE: 0.4}
MAX_REQUIREMENTS = 30
_MAX_PIECE = 300

_HEADINGS = {
    REQUIRED: (
        "requisitos obrigatorios", "requisitos", "requisito", "pre-requisitos", "qualificacoes",
        "o que buscamos", "o que esperamos", "o que voce precisa ter", "imprescindivel",
        "obrigatorio", "requirements", "required", "minimum qualifications", "qualifications",
        "must have", "must-have", "what you need", "what we're looking for",
        "what we are looking for", "you have",
    ),
    NICE_TO_HAVE: (
        "diferenciais", "diferencial", "desejaveis", "desejavel", "sera um diferencial",
        "sera um plus", "nice to have", "nice-to-have", "bonus points", "bonus", "preferred",
        "preferred qualifications", "plus", "extra points",
    ),
    CONTEXT: (
        "responsabilidades", "atividades", "principais atividades", "o que voce vai fazer",
        "o que voce fara", "beneficios", "sobre a empresa", "sobre a vaga", "sobre nos",
        "responsibilities", "what you will do", "what you'll do", "benefits", "about us",
        "about the role", "the role",
    ),
}  # fmt: skip
_HEADING_KEYS = sorted(
    ((phrase, kind) for kind, phrases in _HEADINGS.items() for phrase in phrases),
    key=lambda pair: -len(pair[0]),
)
_NICE_MARKERS = ("desejavel", "diferencial", "is a plus", "nice to have", "preferred", "bonus")
_REQUIRED_MARKERS = ("obrigatorio", "imprescindivel", "required", "must have", "is a must")
_DUTY_MARKERS = ("voce vai", "voce fara", "voce ira", "you will", "you'll", "responsavel por")
_PIECES = re.compile(r"\n+|(?<=[.;!?])\s+(?=[A-ZÀ-Ý•\-])|\s*•\s*")

_LANGUAGES = {
    "ingles": "english", "english": "english", "espanhol": "spanish", "spanish": "spanish",
    "frances": "french", "french": "french", "alemao": "german", "german": "german",
    "italiano": "italian", "italian": "italian", "portugues": "portuguese",
    "portuguese": "portuguese", "mandarim": "chinese", "mandarin": "chinese",
}  # fmt: skip
# CEFR ranks: A1 1 ... C2 6.
_LEVELS = {
    "a1": 1, "a2": 2, "b1": 3, "b2": 4, "c1": 5, "c2": 6, "basico": 2, "basic": 2,
    "elementar": 2, "elementary": 2, "intermediario": 3, "intermediate": 3,
    "conversacao": 3, "conversational": 3, "upper intermediate": 4,
    "intermediario avancado": 4, "avancado": 5, "advanced": 5, "fluente": 5, "fluent": 5,
    "fluencia": 5, "fluency": 5, "professional working proficiency": 5, "proficiente": 5,
    "proficient": 5, "tecnico": 3, "technical": 3, "leitura": 2, "reading": 2,
    "nativo": 6, "native": 6, "bilingue": 6, "bilingual": 6, "lingua materna": 6,
}  # fmt: skip
_LEVEL_RE = re.compile(
    r"\b(" + "|".join(sorted((re.escape(k) for k in _LEVELS), key=len, reverse=True)) + r")\b"
)
_LANGUAGE_RE = re.compile(r"\b(" + "|".join(_LANGUAGES) + r")\b")
_YEARS_RE = re.compile(
    r"\b(\d{1,2})\s*\+?\s*(?:anos|ano|years?|yrs)\b(?:\s*\+)?(?=[^.;\n]{0,40}"
    r"(?:experiencia|experience|atuacao|atuando|working|em |in |of |com |with ))"
)
_DEGREE_RE = re.compile(
    r"\b(?:ensino superior|superior completo|graduacao|graduado|graduada|bacharelado"
    r"|bacharel|licenciatura|tecnologo|formacao superior|formacao em|degree|bachelor"
    r"|bachelor's|bsc|b\.sc|mestrado|master's|masters|msc|mba|pos-graduacao|doutorado|phd)\b"
)
_ADVANCED_DEGREE = re.compile(r"\b(?:mestrado|master's|masters|msc|doutorado|phd)\b")


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    folded: str
    kind: str


def pieces(job_description: str) -> list[Piece]:
    """The ad cut into lines, bullets and sentences, each with the kind it belongs to."""
    out: list[Piece] = []
    current = CONTEXT
    for raw in _PIECES.split(job_description):
        text = raw.strip(" \t-–—*:;.")
        if not text:
            continue
        text = text[:_MAX_PIECE]
        folded = fold(text)
        heading = _heading(folded)
        if heading is not None:
            current = heading
            text = text.split(":", 1)[1].strip(" -–—") if ":" in text[:40] else ""
            folded = fold(text)
            if not text:
                continue
        kind = current
        if any(marker in folded for marker in _NICE_MARKERS):
            kind = NICE_TO_HAVE
        elif any(marker in folded for marker in _REQUIRED_MARKERS):
            kind = REQUIRED
        elif any(folded.startswith(marker) for marker in _DUTY_MARKERS):
            kind = CONTEXT
        out.append(Piece(text, folded, kind))
    return out


def _heading(folded: str) -> str | None:
    """The kind a piece opens when it is (or starts with "...:") a heading of the ad."""
    head = folded.split(":", 1)[0].strip() if ":" in folded[:40] else folded
    for phrase, kind in _HEADING_KEYS:
        if head == phrase:
            return kind
    return None


def language_level(text: str) -> int | None:
    match = _LEVEL_RE.search(fold(text))
    return _LEVELS[match.group(1)] if match else None


def read_requirements(
    cv: ParsedCv,
    parts: list[Piece],
    skill_hits: dict[str, bool],
    skill_keys: dict[str, frozenset[str]],
    today: date | None = None,
) -> list[JobRequirement]:
    """Each required or nice-to-have piece, with whether the CV meets it and why."""
    out: list[JobRequirement] = []
    years = dates.experience_years(dates.spans(cv.experience), today)
    for piece in parts:
        if piece.kind == CONTEXT:
            continue
        requirement = (
            _language(cv, piece)
            or _years(piece, years)
            or _education(cv, piece)
            or _skills(piece, skill_hits, skill_keys)
        )
        if requirement is not None:
            out.append(requirement)
        if len(out) == MAX_REQUIREMENTS:
            break
    return out


def _language(cv: ParsedCv, piece: Piece) -> JobRequirement | None:
    match = _LANGUAGE_RE.search(piece.folded)
    if match is None:
        return None
    wanted = _LANGUAGES[match.group(1)]
    level = language_level(piece.folded) or 3
    spoken = next(
        (lang for lang in cv.languages if _LANGUAGES.get(fold(lang.language).split()[0]) == wanted),
        None,
    )
    if spoken is None:
        return JobRequirement(
            text=piece.text, kind=piece.kind, type="language", met=False, evidence=None
        )
    # A language listed with no level counts as intermediate.
    has = language_level(spoken.level or "") or 3
    label = f"{spoken.language} ({spoken.level})" if spoken.level else spoken.language
    return JobRequirement(
        text=piece.text, kind=piece.kind, type="language", met=has >= level, evidence=label
    )


def _years(piece: Piece, years: float) -> JobRequirement | None:
    match = _YEARS_RE.search(piece.folded)
    if match is None:
        return None
    wanted = int(match.group(1))
    shown = int(years)
    evidence = (
        f"{shown} {'ano' if shown == 1 else 'anos'} / {shown} {'year' if shown == 1 else 'years'}"
    )
    return JobRequirement(
        text=piece.text, kind=piece.kind, type="years", met=years >= wanted, evidence=evidence
    )


def _education(cv: ParsedCv, piece: Piece) -> JobRequirement | None:
    if _DEGREE_RE.search(piece.folded) is None:
        return None
    degrees = [e.degree or e.institution or "" for e in cv.education]
    if _ADVANCED_DEGREE.search(piece.folded):
        degrees = [d for d in degrees if _ADVANCED_DEGREE.search(fold(d))]
    evidence = next((d for d in degrees if d), None)
    return JobRequirement(
        text=piece.text,
        kind=piece.kind,
        type="education",
        met=evidence is not None,
        evidence=evidence,
    )


def _skills(
    piece: Piece, skill_hits: dict[str, bool], skill_keys: dict[str, frozenset[str]]
) -> JobRequirement | None:
    from consumers.scoring.job_match import tokens  # job_match builds on this module

    toks = tokens(piece.text)
    grams = {" ".join(toks[i : i + n]) for n in (1, 2, 3) for i in range(len(toks) - n + 1)}
    named = [label for label, keys in skill_keys.items() if keys & grams]
    if not named:
        return None
    have = [label for label in named if skill_hits.get(label)]
    return JobRequirement(
        text=piece.text,
        kind=piece.kind,
        type="skills",
        met=len(have) == len(named),
        evidence=", ".join(have) or None,
    )
