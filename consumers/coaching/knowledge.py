"""The career knowledge base shipped with the product, and retrieval over it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from consumers.coaching.text import stems
from schemas.coach import CoachMode


@dataclass(frozen=True)
class Entry:
    id: str
    modes: tuple[CoachMode, ...]
    title: str
    text: str
    tags: frozenset[str]
    body: frozenset[str]


@dataclass(frozen=True)
class KnowledgeBase:
    entries: tuple[Entry, ...]
    questions: dict[str, tuple[str, ...]]

    def search(self, query: str, mode: CoachMode, limit: int = 1) -> list[Entry]:
        """Best entries for ``query``: shared stems (tags count thrice), the mode's own
        entries preferred; an entry of another mode needs a real match."""
        wanted = stems(query)
        scored = []
        for entry in self.entries:
            overlap = 3 * len(wanted & entry.tags) + len(wanted & entry.body)
            bonus = 2 if mode in entry.modes else 0
            if overlap or bonus:
                scored.append((overlap + bonus, -self.entries.index(entry), entry))
        scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
        return [entry for score, _, entry in scored[:limit] if score > 0]

    def by_id(self, entry_id: str) -> Entry | None:
        return next((e for e in self.entries if e.id == entry_id), None)


@cache
def knowledge(language: str) -> KnowledgeBase:
    resource = files("consumers.coaching").joinpath("knowledge", f"{language}.json")
    data = json.loads(resource.read_text(encoding="utf-8"))
    entries = tuple(
        Entry(
            id=item["id"],
            modes=tuple(CoachMode(m) for m in item["modes"]),
            title=item["title"],
            text=item["text"],
            tags=frozenset(s for tag in item["tags"] for s in stems(tag)),
            body=frozenset(stems(item["title"] + " " + item["text"])),
        )
        for item in data["entries"]
    )
    questions = {family: tuple(qs) for family, qs in data["questions"].items()}
    return KnowledgeBase(entries, questions)


_FAMILIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("data", ("dados", "data", "bi", "analytics", "cientista", "scientist", "analista de dados")),
    (
        "software",
        (
            "desenvolvedor",
            "developer",
            "engenheiro de software",
            "software",
            "backend",
            "frontend",
            "front-end",
            "back-end",
            "devops",
            "programador",
            "sre",
            "mobile",
        ),
    ),
    ("product", ("produto", "product", "pm", "owner")),
    (
        "sales",
        ("vendas", "vendedor", "comercial", "sales", "account", "sdr", "executivo de contas"),
    ),
)


def role_family(role: str | None) -> str:
    text = f" {(role or '').casefold()} "
    for family, markers in _FAMILIES:
        if any(f" {m} " in text or f" {m}" in text for m in markers):
            return family
    return "general"
