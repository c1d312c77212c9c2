"""What search may index of an analysis: nothing that identifies the person."""

from __future__ import annotations

from dataclasses import dataclass

from schemas.cv import Analysis


@dataclass(frozen=True, slots=True)
class SearchTerms:
    primary: list[str]  # skills, job titles, companies
    headings: list[str]
    suggestions: list[str]


def search_terms(analysis: Analysis) -> SearchTerms:
    """Skills, job titles, companies, section headings and suggestion texts. Contact
    fields, bullets, evidence lines and rewritten examples quote the CV itself (names,
    places, numbers) and stay out."""
    primary = list(analysis.skills)
    for entry in analysis.experience:
        primary += [value for value in (entry.title, entry.company) if value]
    return SearchTerms(
        primary=primary,
        headings=[section.heading for section in analysis.sections if section.heading],
        suggestions=[suggestion.message for suggestion in analysis.suggestions],
    )
