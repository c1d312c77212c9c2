"""What the coach knows about the user: a compact view of their latest CV analysis.

Built from the stored analysis and kept in Redis between turns (``to_json``/``from_json``);
everything the coach says about the user must be found here or in what they said.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from schemas.cv import Analysis


@dataclass(frozen=True)
class Evidence:
    message: str
    line: str | None
    example: str | None


@dataclass(frozen=True)
class WeakArea:
    category: str
    score: int
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Role:
    title: str | None
    company: str | None
    start: str | None
    end: str | None
    current: bool
    bullets: tuple[str, ...] = ()


@dataclass(frozen=True)
class CvFacts:
    cv_id: str
    score: int
    language: str
    # Lowest score first: the order the coach walks them in.
    weakest: tuple[WeakArea, ...]
    skills: tuple[str, ...]
    roles: tuple[Role, ...]
    education: tuple[str, ...]
    degrees: tuple[str, ...] = ()
    job_match_score: int | None = None
    job_missing: tuple[str, ...] = ()
    job_matched: tuple[str, ...] = ()
    # CV lines that read like instructions to the coach: data, never quoted back.
    suspicious: tuple[str, ...] = field(default_factory=tuple)

    def corpus(self) -> list[str]:
        """Every statement the CV makes, for the grounding checker."""
        parts: list[str] = [str(self.score), *self.skills, *self.education, *self.degrees]
        for area in self.weakest:
            parts.append(str(area.score))
            for item in area.evidence:
                parts.extend(p for p in (item.line, item.example, item.message) if p)
        for role in self.roles:
            parts.extend(p for p in (role.title, role.company, role.start, role.end) if p)
            parts.extend(role.bullets)
        if self.job_match_score is not None:
            parts.append(str(self.job_match_score))
        parts.extend(self.job_missing)
        parts.extend(self.job_matched)
        return parts

    def lines(self) -> list[str]:
        """Lines the coach may quote."""
        quoted = [e.line for a in self.weakest for e in a.evidence if e.line]
        quoted.extend(b for r in self.roles for b in r.bullets)
        return [line for line in quoted if line not in self.suspicious]

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str) -> CvFacts:
        data: dict[str, Any] = json.loads(raw)
        data["weakest"] = tuple(
            WeakArea(
                category=a["category"],
                score=a["score"],
                evidence=tuple(Evidence(**e) for e in a["evidence"]),
            )
            for a in data["weakest"]
        )
        data["roles"] = tuple(Role(**{**r, "bullets": tuple(r["bullets"])}) for r in data["roles"])
        for name in ("skills", "education", "degrees", "job_missing", "job_matched", "suspicious"):
            data[name] = tuple(data.get(name, ()))
        return cls(**data)


def facts_from_analysis(
    cv_id: str, analysis: Analysis, suspicious: tuple[str, ...] = ()
) -> CvFacts:
    by_category: dict[str, list[Evidence]] = {}
    for suggestion in analysis.suggestions:
        line = suggestion.evidence if suggestion.evidence not in suspicious else None
        by_category.setdefault(suggestion.category, []).append(
            Evidence(suggestion.message, line, suggestion.example)
        )
    ordered = sorted(analysis.breakdown, key=lambda item: (item.score, -item.weight))
    weakest = tuple(
        WeakArea(item.category, item.score, tuple(by_category.get(item.category, [])[:3]))
        for item in ordered
    )
    roles = tuple(
        Role(e.title, e.company, e.start, e.end, e.current, tuple(e.bullets))
        for e in analysis.experience
    )
    education = tuple(e.institution for e in analysis.education if e.institution)
    degrees = tuple(e.degree for e in analysis.education if e.degree)
    match = analysis.job_match
    return CvFacts(
        cv_id=cv_id,
        score=analysis.score,
        language=analysis.language,
        weakest=weakest,
        skills=tuple(analysis.skills),
        roles=roles,
        education=education,
        degrees=degrees,
        job_match_score=match.score if match else None,
        job_missing=tuple(match.missing) if match else (),
        job_matched=tuple(match.matched) if match else (),
        suspicious=suspicious,
    )
