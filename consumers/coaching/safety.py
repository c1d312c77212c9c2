"""Text that tries to steer the coach: the user's or the CV's, it is data, never orders.

``screen`` names what a message attempts; ``suspicious_lines`` finds CV lines written at
a model rather than at a recruiter, so they are never quoted back or obeyed.
"""

from __future__ import annotations

import re

from consumers.coaching.text import fold

INJECTION = "injection"
PROMPT_REQUEST = "prompt_request"
FABRICATION = "fabrication"
CV_INJECTION = "cv_injection"

_INJECTION = re.compile(
    r"\b(ignore|disregard|forget|esqueca|ignor[ae]|desconsider[ae])\b.{0,40}"
    r"\b(previous|prior|above|all|earlier|anteriores|acima|todas|suas|your|as)\b.{0,30}"
    r"\b(instructions?|rules?|prompts?|instrucoes|instrucao|regras|orientacoes)\b"
    r"|\byou are now\b|\bagora voce e\b|\bact as (?:an? )?(?:unfiltered|jailbroken|dan)\b"
    r"|\bdeveloper mode\b|\bmodo desenvolvedor\b|\bnew instructions\b|\bnovas instrucoes\b"
)
_PROMPT = re.compile(
    r"\b(system|initial|hidden|internal) (prompt|instructions?|message)\b"
    r"|\bprompt (do|de) sistema\b|\b(suas|your) instruc(oes|tions) (internas|iniciais|secretas)\b"
    r"|\binstrucoes (internas|do sistema|iniciais|secretas)\b"
    r"|\b(reveal|show|print|repeat|mostre|revele|repita|imprima)\b.{0,30}\b(prompt|instructions|instrucoes)\b"
)
_FABRICATION = re.compile(
    r"\b(invent(?:e|a|ar|ando|ou|ed|ing|em|am)?|make up|made up|fabricat\w*|fake|falsific\w*|"
    r"forj\w*|mentir|minta|lie about)\b"
    r"|\b(pretend|finja|fingir)\b.{0,30}\b(worked|trabalhei|experience|experiencia)\b"
    r"|\b(say|diga|dizer|write|escreva|coloque|put|add|adicione|inclua)\b.{0,40}"
    r"\b(i worked|trabalhei|que eu trabalhei|i have a degree|sou formad[oa]|me formei)\b.{0,40}"
    r"\b(never|nunca|didn.?t|nao)\b"
    r"|\b(experience|experiencia|cargo|job|emprego|degree|diploma)s?\b.{0,25}"
    r"\b(i never had|i don.?t have|que nao tenho|que nunca tive|que eu nao tive)\b"
)


def screen(text: str) -> list[str]:
    folded = fold(text)
    found = []
    if _INJECTION.search(folded):
        found.append(INJECTION)
    if _PROMPT.search(folded):
        found.append(PROMPT_REQUEST)
    if _FABRICATION.search(folded):
        found.append(FABRICATION)
    return found


def suspicious_lines(lines: list[str]) -> tuple[str, ...]:
    return tuple(
        line for line in lines if _INJECTION.search(fold(line)) or _PROMPT.search(fold(line))
    )
