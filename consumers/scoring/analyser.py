"""The offline analyser: a parsed CV (and optionally a job) in, an ``Analysis`` out.

Pure and I/O-free, so it runs inline in the scoring consumer and in tests, and serves as
the fallback when the LLM provider is unavailable.
"""

from __future__ import annotations

from datetime import date

from consumers.scoring.job_match import match_detail
from consumers.scoring.rubric import RUBRIC_VERSION, evaluate
from consumers.scoring.suggestions import build_suggestions
from schemas.cv import Analysis, ParsedCv, SectionRef


def analyse(
    cv: ParsedCv,
    job_description: str | None = None,
    job_skills: list[str] | None = None,
    *,
    today: date | None = None,
) -> Analysis:
    """Score ``cv`` with the offline rubric and explain the score.

    A non-blank ``job_description`` adds the keywords category and ``job_match``;
    ``job_skills`` (the job's hard skills, e.g. from the parsing taxonomy) replaces the
    built-in skills list. ``today`` only enables the "date in the future" check: the
    same arguments always give the same ``Analysis``.
    """
    match = None
    if job_description is not None and job_description.strip():
        match = match_detail(cv, job_description, job_skills, today)
    report = evaluate(cv, match, today)
    facts = cv.model_copy(deep=True)  # the Analysis must not share objects with its input
    return Analysis(
        score=report.score,
        language=cv.language,
        provider="offline",
        model=None,
        rubric_version=RUBRIC_VERSION,
        contact=facts.contact,
        sections=[SectionRef(kind=s.kind, heading=s.heading) for s in cv.sections],
        skills=facts.skills,
        experience=facts.experience,
        education=facts.education,
        languages=facts.languages,
        breakdown=report.breakdown,
        suggestions=build_suggestions(cv, report),
        job_match=match.job_match if match is not None else None,
    )
