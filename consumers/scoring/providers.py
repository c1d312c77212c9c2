"""Analysis providers: the offline analyser, optionally refined by Gemini.

``GeminiProvider`` always computes the offline analysis first: it is the basis (facts,
rubric, breakdown) and the answer whenever refinement fails for any reason. A successful
refinement replaces the suggestions with the model's (only those whose evidence really is
in the CV) and nudges the judgement categories by at most ±10 points each.

Usage::

    provider = make_provider(get_settings())
    result = await provider.analyse(cv, job_description)
    result.analysis, result.fallback_reason, result.latency_ms
    await provider.aclose()  # on shutdown
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol

import structlog

from consumers.scoring.analyser import analyse as analyse_offline
from consumers.scoring.rubric import CATEGORIES
from consumers.scoring.text import CvLines, squash, strip_bullet
from infra.ai.gemini import GeminiClient, Refinement, RefinementError
from infra.ai.prompts import ADJUSTABLE_CATEGORIES, MAX_ADJUSTMENT
from infra.settings import Settings
from schemas.cv import Analysis, BreakdownItem, ParsedCv, Suggestion

log = structlog.get_logger(__name__)

# Shorter quotes ("a", "de") are in every CV and prove nothing.
MIN_EVIDENCE_CHARS = 4


@dataclass(frozen=True, slots=True)
class ProviderResult:
    """An analysis and how it was made (what ``Analysis`` itself has no fields for yet)."""

    analysis: Analysis
    prompt_version: str | None
    latency_ms: float
    # Why the offline analysis was returned instead of a refined one (None: it was not).
    fallback_reason: str | None = None
    # The model's overall verdict, in the CV's language (None offline).
    summary: str | None = None
    # Refined suggestions dropped because their evidence is not in the CV.
    dropped_suggestions: int = 0


class AnalysisProvider(Protocol):
    async def analyse(
        self,
        cv: ParsedCv,
        job_description: str | None = None,
        job_skills: list[str] | None = None,
    ) -> ProviderResult: ...

    async def aclose(self) -> None: ...


def recorded(result: ProviderResult) -> Analysis:
    """The analysis with how it was made, as it is stored and served."""
    return result.analysis.model_copy(
        update={
            "prompt_version": result.prompt_version,
            "latency_ms": round(result.latency_ms, 1),
            "fallback_reason": result.fallback_reason,
            "summary": result.summary,
        }
    )


class OfflineProvider:
    """The deterministic rubric and suggestions, nothing else."""

    async def analyse(
        self,
        cv: ParsedCv,
        job_description: str | None = None,
        job_skills: list[str] | None = None,
    ) -> ProviderResult:
        started = time.perf_counter()
        analysis = analyse_offline(cv, job_description, job_skills)
        return ProviderResult(analysis, None, _ms_since(started))

    async def aclose(self) -> None:
        return None


class GeminiProvider:
    """The offline analysis refined by Gemini, or the offline analysis alone on failure."""

    def __init__(self, client: GeminiClient) -> None:
        self._client = client

    async def analyse(
        self,
        cv: ParsedCv,
        job_description: str | None = None,
        job_skills: list[str] | None = None,
    ) -> ProviderResult:
        """Never raises for a refinement failure: ``fallback_reason`` says what happened
        and ``latency_ms`` covers the whole call (offline analysis included)."""
        started = time.perf_counter()
        baseline = analyse_offline(cv, job_description, job_skills)
        try:
            refinement = await self._client.refine(cv, baseline, job_description)
        except RefinementError as exc:
            return ProviderResult(baseline, None, _ms_since(started), fallback_reason=exc.reason)
        suggestions, dropped = grounded_suggestions(cv, refinement)
        breakdown = adjusted_breakdown(baseline.breakdown, refinement)
        analysis = baseline.model_copy(
            update={
                "provider": "gemini",
                "model": self._client.model,
                "suggestions": suggestions or baseline.suggestions,
                "breakdown": breakdown,
                "score": adjusted_score(baseline.score, breakdown),
            },
            deep=True,
        )
        if dropped:
            log.info("ungrounded suggestions dropped", dropped=dropped, kept=len(suggestions))
        return ProviderResult(
            analysis=analysis.model_copy(update={"baseline_score": baseline.score}),
            prompt_version=self._client.prompt_version,
            latency_ms=_ms_since(started),
            summary=refinement.summary,
            dropped_suggestions=dropped,
        )

    async def aclose(self) -> None:
        await self._client.aclose()


def is_local(provider: AnalysisProvider) -> bool:
    """The provider answers from this process alone (no network, milliseconds of CPU)."""
    return isinstance(provider, OfflineProvider)


def make_provider(settings: Settings) -> AnalysisProvider:
    """Gemini when an API key is configured, else offline only."""
    key = settings.gemini.api_key
    if key is None or not key.get_secret_value().strip():
        return OfflineProvider()
    return GeminiProvider(GeminiClient(settings.gemini))


# -- merging a refinement into the baseline (pure) ----------------------------------------


def grounded_suggestions(cv: ParsedCv, refinement: Refinement) -> tuple[list[Suggestion], int]:
    """The refined suggestions that are safe to show, and how many were dropped.

    A suggestion survives when its category is a rubric category and its evidence is
    either absent (advice about something missing) or found verbatim in the CV text
    (ignoring whitespace, case and a leading bullet mark); the evidence shown is then the
    CV's own line. Anything else may be invented by the model, so it is dropped.
    """
    lines = CvLines(cv.text)
    haystack = squash(cv.text)
    kept: list[Suggestion] = []
    for refined in refinement.suggestions:
        if refined.category not in CATEGORIES:
            continue
        evidence: str | None = None
        if refined.evidence is not None and refined.evidence.strip():
            key = squash(strip_bullet(refined.evidence))
            if len(key) < MIN_EVIDENCE_CHARS or key not in haystack:
                continue
            evidence = lines.find(refined.evidence) or refined.evidence.strip()
        kept.append(
            Suggestion(
                category=refined.category,
                severity=refined.severity,
                message=refined.message.strip(),
                evidence=evidence,
                example=(refined.example or "").strip() or None,
            )
        )
    return kept, len(refinement.suggestions) - len(kept)


def adjusted_breakdown(
    breakdown: list[BreakdownItem], refinement: Refinement
) -> list[BreakdownItem]:
    """The rubric's breakdown with the model's nudges applied to judgement categories
    only, each category moved by at most ``MAX_ADJUSTMENT`` points in all."""
    present = {item.category for item in breakdown}
    deltas: dict[str, int] = {}
    for adjustment in refinement.adjustments:
        category = adjustment.category
        if category in ADJUSTABLE_CATEGORIES and category in present:
            deltas[category] = _bound(deltas.get(category, 0) + adjustment.delta)
    return [
        item.model_copy(update={"score": max(0, min(100, item.score + deltas[item.category]))})
        if item.category in deltas
        else item.model_copy()
        for item in breakdown
    ]


def adjusted_score(baseline_score: int, breakdown: list[BreakdownItem]) -> int:
    """The weighted mean of the adjusted breakdown (as the rubric computes its total),
    never more than ``MAX_ADJUSTMENT`` away from the baseline."""
    if not breakdown:
        return baseline_score
    total = sum(item.score * item.weight for item in breakdown)
    score = max(0, min(100, int(total + 0.5)))  # round half up, as the rubric does
    return max(baseline_score - MAX_ADJUSTMENT, min(baseline_score + MAX_ADJUSTMENT, score))


def _bound(delta: int) -> int:
    return max(-MAX_ADJUSTMENT, min(MAX_ADJUSTMENT, delta))


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
