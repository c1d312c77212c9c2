"""Split CV text into sections at their headings (pt-BR and English)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from consumers.parsing.text import fold, is_bullet
from schemas.cv import Section, SectionKind

_K = SectionKind
# Folded (lower-case, accent-free) heading phrases.
_HEADINGS: dict[str, SectionKind] = {}


def _register(kind: SectionKind, phrases: Iterable[str]) -> None:
    for phrase in phrases:
        _HEADINGS[phrase] = kind


_register(
    _K.SUMMARY,
    [
        "resumo", "resumo profissional", "resumo de qualificacoes", "sumario",
        "sumario profissional", "perfil", "perfil profissional", "sobre", "sobre mim",
        "objetivo", "objetivos", "objetivo profissional", "apresentacao",
        "qualificacoes", "sintese", "sintese profissional", "qualificacoes profissionais",
        "summary", "professional summary", "profile", "professional profile", "about",
        "about me", "objective", "career objective", "career summary", "overview",
        "summary of qualifications", "personal statement", "career highlights",
    ],
)  # fmt: skip
_register(
    _K.EXPERIENCE,
    [
        "experiencia", "experiencias", "experiencia profissional",
        "experiencias profissionais", "historico profissional", "trajetoria profissional",
        "carreira", "atuacao profissional", "experiencia de trabalho", "estagios",
        "estagio", "experience", "work experience", "professional experience",
        "employment", "employment history", "work history", "career history",
        "career experience", "relevant experience", "experiencia relevante",
        "experiencia profissional relevante", "professional background",
        "professional history", "work and experience",
    ],
)  # fmt: skip
_register(
    _K.EDUCATION,
    [
        "formacao", "formacao academica", "formacao educacional", "educacao",
        "escolaridade", "historico academico", "graduacao", "education",
        "academic background", "academic education", "educational background",
        "academic formation", "qualifications", "academic qualifications",
        "formacao escolar", "educacao formal",
    ],
)  # fmt: skip
_register(
    _K.SKILLS,
    [
        "habilidades", "habilidades tecnicas", "competencias", "competencias tecnicas",
        "conhecimentos", "conhecimentos tecnicos", "conhecimentos em informatica",
        "informatica", "tecnologias", "ferramentas", "stack", "hard skills",
        "soft skills", "skills", "technical skills", "core competencies", "competencies",
        "technologies", "tools", "key skills", "tech stack", "skills and tools",
        "habilidades e competencias", "principais competencias", "areas de atuacao",
        "areas of expertise", "expertise", "technical expertise", "skill set", "skillset",
        "skills summary", "technical proficiencies", "proficiencies", "key competencies",
        "technical competencies", "computer skills", "it skills", "additional skills",
        "relevant skills", "skills and abilities", "professional skills", "core skills",
        "technical summary", "technical skill set", "areas de especializacao",
    ],
)  # fmt: skip
_register(
    _K.LANGUAGES,
    [
        "idiomas", "linguas", "idioma", "languages", "language skills", "linguas estrangeiras",
        "idiomas estrangeiros", "languages spoken", "spoken languages", "foreign languages",
    ],
)  # fmt: skip
_register(
    _K.CERTIFICATIONS,
    [
        "certificacoes", "certificacao", "certificados", "cursos", "cursos complementares",
        "cursos e certificacoes", "formacao complementar", "cursos livres",
        "treinamentos", "qualificacoes complementares", "certifications",
        "certificates", "courses", "licenses and certifications", "training",
        "licencas e certificados", "additional training",
    ],
)  # fmt: skip
_register(
    _K.PROJECTS,
    [
        "projetos", "projetos pessoais", "projetos relevantes", "portfolio", "projects",
        "personal projects", "side projects", "key projects", "selected projects",
    ],
)  # fmt: skip
_register(
    _K.OTHER,
    [
        "informacoes adicionais", "informacoes complementares", "outras informacoes",
        "atividades complementares", "atividades extracurriculares", "voluntariado",
        "trabalho voluntario", "premios", "premiacoes", "publicacoes", "interesses",
        "hobbies", "referencias", "links", "contato", "contatos", "dados pessoais",
        "conquistas", "realizacoes", "additional information", "awards", "honors",
        "publications", "interests", "references", "volunteer", "volunteering",
        "volunteer experience", "achievements", "contact", "personal information",
        "personal details", "extracurricular activities", "activities", "organizations",
        "informacoes de contato", "dados de contato", "contact info", "contact details",
        "contact information", "informacoes pessoais", "personal particulars",
    ],
)  # fmt: skip

# Headings that double as labels inside entries ("Technologies: ...", "Projetos"):
# inside an entry section they only count in capitals.
_WEAK = frozenset(
    {
        "technologies", "tools", "tecnologias", "ferramentas", "stack", "tech stack",
        "training", "treinamentos", "activities", "links", "contato",
        "contact", "graduacao", "estagio", "estagios", "carreira", "informatica", "sobre",
        "about", "overview", "perfil", "profile", "cursos", "courses", "projetos",
        "projects", "portfolio", "competencies", "idioma", "objetivo", "objective",
    }
)  # fmt: skip
WEAK_HEADINGS = _WEAK
# Kinds that may open inline ("Skills: Python, SQL") on an ordinary line.
_INLINE_KINDS = frozenset({_K.SKILLS, _K.LANGUAGES})
_MAX_HEADING_WORDS = 6
_JOINERS = re.compile(r"\s+(?:e|and|&|/|\+)\s+|\s*[&/]\s*")
_SPACED_LETTERS = re.compile(r"^(?:\w ){3,}\w$")
_LEADING_MARK = re.compile(r"^(?:\d{1,2}[.)]\s*|[#>|=_~-]+\s*)")
_TRAILING = re.compile(r"[\s:;.\-–—_|=~]+$")
_INLINE = re.compile(r"^([^:]{2,40}):\s*(\S.*)$")
# Folded words that never appear in unknown ALL-CAPS headings (company suffixes).
_NOT_HEADING_WORDS = frozenset({"ltda", "s.a.", "sa", "inc", "ltd", "llc", "me", "eireli"})
# Sections where ALL-CAPS lines are usually company or school names, not headings.
_ENTRY_KINDS = frozenset({_K.EXPERIENCE, _K.EDUCATION, _K.PROJECTS, _K.CERTIFICATIONS})


def heading_kind(line: str, *, inside: SectionKind | None = None) -> SectionKind | None:
    """Return the kind of section ``line`` opens when it is a known heading.

    ``inside`` is the section the line sits in: within experience, education or
    projects, label-like words ("Technologies", "Projetos") only count in capitals.
    """
    key = _heading_key(line)
    if key is None:
        return None
    if inside in _ENTRY_KINDS and key in _WEAK and not line.isupper():
        return None
    if key in _HEADINGS:
        return _HEADINGS[key]
    # "Formação Acadêmica e Certificações": the first known part names the section
    # ("Licenses & Certifications": the second, when the first is not a heading).
    parts = [p for p in _JOINERS.split(key) if p]
    if len(parts) > 1:
        return next((_HEADINGS[p] for p in parts if p in _HEADINGS), None)
    return None


def _heading_key(line: str) -> str | None:
    text = line.strip()
    if not text or is_bullet(text) or len(text) > 60:
        return None
    if _SPACED_LETTERS.match(text):
        text = text.replace(" ", "")
    text = _TRAILING.sub("", _LEADING_MARK.sub("", text))
    if not text or len(text.split()) > _MAX_HEADING_WORDS or any(c.isdigit() for c in text):
        return None
    return " ".join(fold(text).split())


def _looks_like_other_heading(line: str) -> bool:
    text = _TRAILING.sub("", line.strip())
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 4 or not all(c.isupper() for c in letters):
        return False
    words = text.split()
    if len(words) > 4 or any(c.isdigit() or c in "@,()|" for c in text):
        return False
    if any(fold(w) in _NOT_HEADING_WORDS for w in words):
        return False
    # Late import: skills loads a data file, and most lines never get this far.
    from consumers.parsing.skills import find_skills

    return not find_skills(text)


def split_sections(text: str) -> tuple[str, list[Section]]:
    """Split normalised CV text into its preamble (before any heading) and sections."""
    preamble: list[str] = []
    sections: list[tuple[SectionKind, str, list[str]]] = []
    for line in text.split("\n"):
        current = sections[-1][0] if sections else None
        kind = heading_kind(line, inside=current)
        if kind is None and current is not None and current not in _ENTRY_KINDS:
            kind = _K.OTHER if _looks_like_other_heading(line) else None
        if kind is not None:
            sections.append((kind, line.strip().rstrip(":").strip(), []))
            continue
        inline = _inline_heading(line)
        if inline is not None:
            kind, heading, rest = inline
            sections.append((kind, heading, [rest]))
            continue
        (sections[-1][2] if sections else preamble).append(line)
    return "\n".join(preamble).strip(), [
        Section(kind=kind, heading=heading, text="\n".join(body).strip())
        for kind, heading, body in sections
    ]


def _inline_heading(line: str) -> tuple[SectionKind, str, str] | None:
    if is_bullet(line):
        return None
    match = _INLINE.match(line.strip())
    if match is None:
        return None
    kind = heading_kind(match.group(1))
    if kind not in _INLINE_KINDS or kind is None:
        return None
    return kind, match.group(1).strip(), match.group(2).strip()
