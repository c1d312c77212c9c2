"""Feedback on an interview answer against STAR: which parts it tells, and a score."""

from __future__ import annotations

import re
from dataclasses import dataclass

from consumers.coaching.text import fold

PARTS = ("situation", "task", "action", "result")

_MARKERS: dict[str, re.Pattern[str]] = {
    "situation": re.compile(
        r"\b(quando|na epoca|naquela|no meu (ultimo|antigo) (emprego|trabalho)|na empresa|"
        r"o contexto|o cenario|a situacao|tinhamos|havia|o time estava|a equipe estava|"
        r"when|at the time|back then|at my (last|previous|old) (job|company)|the context|"
        r"we had|there was|there were|our team was|the situation|in (19|20)\d\d|em (19|20)\d\d|"
        r"tinha|tinhamos|estava|estavamos|the \w+ (took|was|were|kept))\b"
    ),
    "task": re.compile(
        r"\b(meu papel|minha (responsabilidade|tarefa|missao|funcao)|eu precisava|"
        r"precisavamos|o objetivo|a meta|fui (encarregad[oa]|responsavel)|cabia a mim|tinha que|"
        r"my (role|task|job was|responsibility|goal)|i was (asked|responsible|tasked)|"
        r"i needed to|we needed to|the goal|the aim|i had to)\b"
    ),
    "action": re.compile(
        r"\b(eu \w+(ei|i)|(implementei|criei|liderei|conversei|propus|decidi|montei|automatizei|"
        r"desenvolvi|organizei|negociei|analisei|reescrevi|treinei|construi|mapeei|fiz))\b|"
        r"\bi (\w+ed|built|rebuilt|led|wrote|rewrote|made|ran|set up|took|chose|spoke|drove|"
        r"sought|began|did|brought|found|got|gave|put|met|taught|sold|won|held|kept|sent|"
        r"spent|drew|thought|told|shipped|fixed|moved|decided|personally|split|cut|set|"
        r"broke|chose|dealt|fought|laid|left|let|paid|read|saw|shook|stood|threw|understood)\b"
    ),
    "result": re.compile(
        r"\d+ ?%|\b(resultado|reduzi\w*|aument\w*|economi\w*|diminu\w*|cresce\w*|ganh\w*|"
        r"o que (gerou|levou|permitiu)|no final|com isso|as a result|result(ed)?|reduc\w*|"
        r"increas\w*|sav(ed|ing)|cut|grew|which led|in the end|outcome|improv\w*|caiu|subiu|"
        r"passou de|dropped|fell|rose|went (down|up)|de \d+ para \d+|from \d+ to \d+)\b"
    ),
}


@dataclass(frozen=True)
class StarFeedback:
    present: dict[str, bool]
    score: int

    @property
    def missing(self) -> list[str]:
        return [part for part in PARTS if not self.present[part]]


def assess(answer: str) -> StarFeedback:
    folded = fold(answer)
    present = {part: bool(pattern.search(folded)) for part, pattern in _MARKERS.items()}
    score = 25 * sum(present.values())
    return StarFeedback(present=present, score=score)


def looks_like_answer(message: str) -> bool:
    """An attempt at an answer rather than a request: a few sentences' worth, or the
    telling of something done."""
    return len(message.split()) >= 10 or (
        len(message.split()) >= 5 and bool(_MARKERS["action"].search(fold(message)))
    )
