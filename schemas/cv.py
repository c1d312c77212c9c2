"""The CV document model: what parsing extracts and what scoring produces.

Stored in Postgres (as JSON) and served by the API inside ``GET /v1/cvs/{id}``;
both consumers and the API import these shapes from here.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class CvStatus(StrEnum):
    QUEUED = "queued"
    PARSED = "parsed"
    SCORED = "scored"
    FAILED = "failed"


class SectionKind(StrEnum):
    SUMMARY = "summary"
    EXPERIENCE = "experience"
    EDUCATION = "education"
    SKILLS = "skills"
    LANGUAGES = "languages"
    CERTIFICATIONS = "certifications"
    PROJECTS = "projects"
    OTHER = "other"


class PhoneNumber(BaseModel):
    number: str = Field(description="E.164 when the region is known, else as the CV wrote it")
    region: str | None = Field(
        default=None, description="ISO 3166-1 alpha-2 (BR, US, GB...), null when unknown"
    )


class Contact(BaseModel):
    name: str | None = None
    email: str | None = None
    phone: str | None = Field(
        default=None,
        description="The main number: E.164 (+5511987654321), or national when its region is unknown",
    )
    phone_region: str | None = Field(
        default=None, description="Region of `phone`, null when unknown"
    )
    phones: list[PhoneNumber] = Field(default_factory=list, description="Every number the CV gives")
    linkedin: str | None = None
    github: str | None = None
    location: str | None = Field(default=None, description="e.g. 'São Paulo - SP'")


class Section(BaseModel):
    kind: SectionKind
    heading: str
    text: str = Field(description="The section's body, without its heading")


class ExperienceEntry(BaseModel):
    title: str | None = None
    company: str | None = None
    location: str | None = Field(default=None, description="where the role was, when written")
    start: str | None = Field(default=None, description="YYYY-MM")
    end: str | None = Field(default=None, description="YYYY-MM, or null when current")
    current: bool = False
    bullets: list[str] = Field(default_factory=list)


class EducationEntry(BaseModel):
    degree: str | None = None
    institution: str | None = None
    end_year: int | None = None


class SpokenLanguage(BaseModel):
    language: str
    level: str | None = None


class ParsedCv(BaseModel):
    """Everything parsing extracts from a CV file; the input of scoring."""

    text: str
    language: str = Field(description="'pt' or 'en'")
    page_count: int = 1
    contact: Contact = Field(default_factory=Contact)
    sections: list[Section] = Field(default_factory=list)
    experience: list[ExperienceEntry] = Field(default_factory=list)
    education: list[EducationEntry] = Field(default_factory=list)
    skills: list[str] = Field(default_factory=list)
    languages: list[SpokenLanguage] = Field(default_factory=list)
    personal_data: list[str] = Field(
        default_factory=list,
        description="Kinds of personal data a recruiter does not need (cpf, rg, birth_date, "
        "age, marital_status, photo); the values are never kept",
    )


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class BreakdownItem(BaseModel):
    category: str
    score: int = Field(ge=0, le=100)
    weight: float = Field(ge=0, le=1)


class Suggestion(BaseModel):
    category: str
    severity: Severity
    message: str
    evidence: str | None = Field(default=None, description="The CV line the suggestion is about")
    example: str | None = Field(default=None, description="A rewritten example, when possible")


class JobRequirement(BaseModel):
    text: str = Field(description="The requirement as the job ad words it")
    kind: str = Field(description="'required' or 'nice_to_have'")
    type: str = Field(default="skills", description="skills, language, years or education")
    met: bool
    evidence: str | None = Field(default=None, description="What in the CV meets it, if anything")


class MatchCategory(BaseModel):
    """One part of the match rate, as an ATS breaks it down."""

    category: str = Field(
        description="hard_skills, job_title, education, soft_skills, other_keywords, requirements"
    )
    score: int = Field(ge=0, le=100)
    weight: float = Field(ge=0, le=1)
    matched: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)


class JobMatch(BaseModel):
    score: int = Field(ge=0, le=100)
    matched: list[str] = Field(default_factory=list)
    missing: list[str] = Field(
        default_factory=list, description="Most important first: required hard skills lead"
    )
    requirements: list[JobRequirement] = Field(default_factory=list)
    breakdown: list[MatchCategory] = Field(default_factory=list)
    target: int = Field(default=80, description="The match rate to aim for")
    raise_most: list[str] = Field(
        default_factory=list, description="The missing terms that would raise the rate most"
    )


class SectionRef(BaseModel):
    kind: SectionKind
    heading: str


class Analysis(BaseModel):
    """The result a user sees: score, breakdown, suggestions, extracted facts."""

    score: int = Field(ge=0, le=100)
    language: str
    provider: str = Field(description="'offline' or 'gemini'")
    model: str | None = None
    rubric_version: str
    prompt_version: str | None = None
    latency_ms: float | None = Field(default=None, description="Time the analysis took")
    fallback_reason: str | None = Field(
        default=None, description="Why the AI refinement was not used, when it was tried"
    )
    summary: str | None = Field(default=None, description="The AI reviewer's overall verdict")
    baseline_score: int | None = Field(
        default=None, ge=0, le=100, description="The rubric's score before AI adjustments"
    )
    contact: Contact
    sections: list[SectionRef]
    skills: list[str]
    experience: list[ExperienceEntry]
    education: list[EducationEntry]
    languages: list[SpokenLanguage] = Field(default_factory=list)
    breakdown: list[BreakdownItem]
    suggestions: list[Suggestion]
    job_match: JobMatch | None = None
