"""Tailor mode's CV changes: proposed from the CV's own facts, each one checked to leave
employers, titles, dates and degrees exactly as they are. Pure: no I/O.

A change touches an editable section only (the headline, the order of the skills); the
proof is that applying it leaves the CV's protected facts identical, compared field by
field, and that it brings in nothing the CV does not already say.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from consumers.coaching.facts import CvFacts
from consumers.parsing.skills import find_skills

HEADLINE = "headline"
SKILLS = "skills"
EDITABLE = (HEADLINE, SKILLS)
_SKILL_SEPARATOR = ", "
_HEADLINE_SEPARATOR = " | "
_TOP_SKILLS = 3


@dataclass(frozen=True)
class CvChange:
    """One line of the diff: ``before`` becomes ``after`` in ``section``."""

    section: str
    before: str
    after: str


@dataclass(frozen=True)
class Protected:
    """What a tailored CV must keep exactly: who, what, when, which degree."""

    employers: tuple[str | None, ...]
    titles: tuple[str | None, ...]
    dates: tuple[tuple[str | None, str | None, bool], ...]
    degrees: tuple[str, ...]
    institutions: tuple[str, ...]


def protected(facts: CvFacts) -> Protected:
    return Protected(
        employers=tuple(r.company for r in facts.roles),
        titles=tuple(r.title for r in facts.roles),
        dates=tuple((r.start, r.end, r.current) for r in facts.roles),
        degrees=facts.degrees,
        institutions=facts.education,
    )


def _latest_title(facts: CvFacts) -> str | None:
    return next((r.title for r in facts.roles if r.title), None)


def _wanted(facts: CvFacts, job_description: str) -> list[str]:
    """The job's skills the CV already has, in the CV's spelling."""
    have = {s.casefold(): s for s in facts.skills}
    return [have[w.casefold()] for w in find_skills(job_description) if w.casefold() in have]


def headline_of(title: str | None, skills: list[str]) -> str:
    return _HEADLINE_SEPARATOR.join(p for p in (title, " · ".join(skills)) if p)


def propose(facts: CvFacts, job_description: str) -> tuple[CvChange, ...]:
    """The changes worth making for this job, every one of them checked."""
    matched = _wanted(facts, job_description)
    changes: list[CvChange] = []
    title = _latest_title(facts)
    top = (matched or list(facts.skills))[:_TOP_SKILLS]
    headline = headline_of(title, top)
    if headline and headline != (title or ""):
        changes.append(CvChange(HEADLINE, title or "", headline))
    if matched:
        ordered = [*dict.fromkeys([*matched, *facts.skills])]
        if ordered != list(facts.skills):
            changes.append(
                CvChange(
                    SKILLS, _SKILL_SEPARATOR.join(facts.skills), _SKILL_SEPARATOR.join(ordered)
                )
            )
    return tuple(c for c in changes if keeps_facts(facts, c))


def apply(facts: CvFacts, change: CvChange) -> CvFacts:
    """The CV facts with ``change`` made (the headline is not one of them)."""
    if change.section == SKILLS:
        return dataclasses.replace(facts, skills=tuple(change.after.split(_SKILL_SEPARATOR)))
    return facts


def keeps_facts(facts: CvFacts, change: CvChange) -> bool:
    """True when ``change`` edits an editable section, says nothing the CV does not, and
    leaves employers, titles, dates and degrees unchanged."""
    if change.section not in EDITABLE:
        return False
    if change.section == SKILLS:
        if sorted(change.after.split(_SKILL_SEPARATOR)) != sorted(facts.skills):
            return False  # a reorder only: no skill added, none dropped
    else:
        title, _, skills = change.after.partition(_HEADLINE_SEPARATOR)
        if _latest_title(facts) is None:
            title, skills = "", change.after
        if title != (_latest_title(facts) or ""):
            return False
        if any(s not in facts.skills for s in skills.split(" · ") if s):
            return False
    return protected(apply(facts, change)) == protected(facts)
