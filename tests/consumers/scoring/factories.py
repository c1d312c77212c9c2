"""Plain factory functions for ``ParsedCv``: the CV text is rendered from the parts, so
every bullet, heading and contact detail really appears in ``text`` as a parser saw it."""

from __future__ import annotations

from typing import Any

from schemas.cv import (
    Contact,
    EducationEntry,
    ExperienceEntry,
    ParsedCv,
    Section,
    SectionKind,
    SpokenLanguage,
)

HEADINGS = {
    "pt": {
        SectionKind.SUMMARY: "Resumo",
        SectionKind.EXPERIENCE: "Experiência Profissional",
        SectionKind.EDUCATION: "Formação Acadêmica",
        SectionKind.SKILLS: "Competências",
        SectionKind.LANGUAGES: "Idiomas",
    },
    "en": {
        SectionKind.SUMMARY: "Summary",
        SectionKind.EXPERIENCE: "Experience",
        SectionKind.EDUCATION: "Education",
        SectionKind.SKILLS: "Skills",
        SectionKind.LANGUAGES: "Languages",
    },
}


def make_contact(**overrides: Any) -> Contact:
    fields: dict[str, Any] = {
        "name": "Mariana Souza",
        "email": "mariana.souza@example.com",
        "phone": "+5511987654321",
        "linkedin": "linkedin.com/in/marianasouza",
        "location": "São Paulo - SP",
    }
    fields.update(overrides)
    return Contact(**fields)


def make_entry(**overrides: Any) -> ExperienceEntry:
    fields: dict[str, Any] = {
        "title": "Analista de Dados",
        "company": "Loja Exemplo",
        "start": "2021-03",
        "end": None,
        "current": True,
        "bullets": [
            "Reduzi em 30% o tempo de fechamento mensal automatizando relatórios em Python",
            "Liderei a migração de 12 dashboards para Power BI, usados por 200 pessoas",
            "Implementei modelo de previsão de demanda que cortou R$ 1,2 mi em estoque parado",
        ],
    }
    fields.update(overrides)
    return ExperienceEntry(**fields)


def _dates(entry: ExperienceEntry, language: str) -> str:
    now = "atual" if language == "pt" else "present"
    end = now if entry.current or entry.end is None else entry.end
    return f"{entry.start or ''} – {end}" if entry.start else ""


def build_cv(
    *,
    language: str = "pt",
    contact: Contact | None = None,
    summary: str | None = None,
    experience: list[ExperienceEntry] | None = None,
    education: list[EducationEntry] | None = None,
    skills: list[str] | None = None,
    languages: list[SpokenLanguage] | None = None,
    extra_lines: list[str] | None = None,
) -> ParsedCv:
    """A ParsedCv whose ``text`` and ``sections`` are rendered from the given parts."""
    contact = contact if contact is not None else Contact()
    experience = experience or []
    education = education or []
    skills = skills or []
    languages = languages or []
    headings = HEADINGS["en" if language == "en" else "pt"]
    top = [contact.name] if contact.name else []
    top.append(
        " | ".join(
            v for v in (contact.email, contact.phone, contact.linkedin, contact.location) if v
        )
    )
    sections: list[Section] = []

    def add(kind: SectionKind, body: list[str]) -> None:
        sections.append(Section(kind=kind, heading=headings[kind], text="\n".join(body)))

    if summary:
        add(SectionKind.SUMMARY, [summary])
    if experience:
        body: list[str] = []
        for entry in experience:
            header = " — ".join(p for p in (entry.title, entry.company) if p)
            dates = _dates(entry, language)
            body.append(f"{header} | {dates}" if dates else header)
            body += [f"• {b}" for b in entry.bullets]
        add(SectionKind.EXPERIENCE, body)
    if education:
        add(
            SectionKind.EDUCATION,
            [f"{e.degree} — {e.institution} ({e.end_year})" for e in education],
        )
    if skills:
        add(SectionKind.SKILLS, [", ".join(skills)])
    if languages:
        add(SectionKind.LANGUAGES, [f"{s.language}: {s.level}" for s in languages])
    lines = [line for line in top if line]
    for section in sections:
        lines += ["", section.heading, section.text]
    lines += extra_lines or []
    return ParsedCv(
        text="\n".join(lines),
        language=language,
        page_count=1,
        contact=contact,
        sections=sections,
        experience=experience,
        education=education,
        skills=skills,
        languages=languages,
    )


def make_cv(**overrides: Any) -> ParsedCv:
    """A solid pt-BR CV of a data analyst; any ``build_cv`` argument can be overridden."""
    fields: dict[str, Any] = {
        "language": "pt",
        "contact": make_contact(),
        "summary": (
            "Analista de dados com 4 anos de experiência em varejo, especialista em SQL, "
            "Python e Power BI. Reduzi em 30% o tempo de fechamento mensal da área financeira."
        ),
        "experience": [
            make_entry(),
            make_entry(
                title="Assistente de BI",
                company="Banco Modelo",
                start="2019-01",
                end="2021-02",
                current=False,
                bullets=[
                    "Construí 8 relatórios gerenciais em SQL consultados semanalmente pela "
                    "diretoria comercial",
                    "Automatizei a conciliação de vendas, economizando 15 horas de trabalho "
                    "manual por mês",
                    "Treinei 5 analistas no uso de Power BI e boas práticas de visualização",
                ],
            ),
        ],
        "education": [
            EducationEntry(
                degree="Bacharelado em Estatística",
                institution="Universidade de São Paulo",
                end_year=2019,
            )
        ],
        "skills": ["SQL", "Python", "Power BI", "Excel", "Estatística"],
        "languages": [SpokenLanguage(language="Inglês", level="Avançado")],
    }
    fields.update(overrides)
    return build_cv(**fields)
