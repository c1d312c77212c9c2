"""What search may index of an analysis: nothing that identifies the person.

The lexemes sit in Postgres unsealed, so they follow the same line as the sealing of
analyses at rest (``schemas.personal``): employers, schools, bullets, evidence lines and
anything a suggestion quotes from the CV stay out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemas.cv import Analysis


@dataclass(frozen=True, slots=True)
class SearchTerms:
    primary: list[str]  # skills and job titles
    headings: list[str]
    suggestions: list[str]


# What a suggestion quotes from the CV: "Analista | Empresa X", “...”.
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”")


def search_terms(analysis: Analysis) -> SearchTerms:
    """Skills, job titles, section headings and the suggestions' own words. Employers
    are sealed at rest as identifying, and so is whatever a suggestion quotes; contact
    fields, bullets, evidence lines and rewritten examples quote the CV and stay out."""
    primary = list(analysis.skills)
    primary += [entry.title for entry in analysis.experience if entry.title]
    return SearchTerms(
        primary=primary,
        headings=[section.heading for section in analysis.sections if section.heading],
        suggestions=[_QUOTED.sub(" ", suggestion.message) for suggestion in analysis.suggestions],
    )
