"""Which parts of a parsed CV and of an analysis identify the person.

The parts that identify nobody (language, section kinds, skills, scores) stay queryable
in Postgres; the rest (the text, contact details, employers, schools, suggestions that
quote the CV) is sealed with the user's data key. Both halves are plain JSON objects;
joining them gives the whole document back.
"""

from __future__ import annotations

from typing import Any

_PARSED_PUBLIC = ("language", "page_count", "skills", "languages", "personal_data")
_ANALYSIS_PUBLIC = (
    "score",
    "language",
    "provider",
    "model",
    "rubric_version",
    "prompt_version",
    "latency_ms",
    "fallback_reason",
    "baseline_score",
    "sections",
    "skills",
    "languages",
    "breakdown",
)


def split_parsed(parsed: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(queryable, sealed) halves of a ``ParsedCv`` dump."""
    public = {k: parsed[k] for k in _PARSED_PUBLIC if k in parsed}
    public["sections"] = [
        {"kind": s["kind"], "heading": s["heading"]} for s in parsed.get("sections", [])
    ]
    private = {k: v for k, v in parsed.items() if k not in _PARSED_PUBLIC}
    return public, private


def split_analysis(body: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(queryable, sealed) halves of an ``Analysis`` dump."""
    public = {k: body[k] for k in _ANALYSIS_PUBLIC if k in body}
    private = {k: v for k, v in body.items() if k not in _ANALYSIS_PUBLIC}
    return public, private


def join(public: dict[str, Any], private: dict[str, Any]) -> dict[str, Any]:
    return {**public, **private}
