"""Which mode a message asks for: the user's choice, else what the message says."""

from __future__ import annotations

from dataclasses import dataclass

from consumers.coaching.text import contains_phrase, fold
from schemas.coach import CoachMode

# (phrase, weight): folded phrases matched as whole words; a word stem ends in '*'.
_SIGNALS: dict[CoachMode, tuple[tuple[str, int], ...]] = {
    CoachMode.INTERVIEW: (
        ("entrevista*", 3),
        ("interview*", 3),
        ("mock", 2),
        ("simula*", 2),
        ("star", 2),
        ("perguntas que", 1),
        ("me pergunt*", 2),
        ("ask me", 2),
        ("practice", 2),
        ("praticar", 2),
        ("treinar", 2),
        ("recrutador vai perguntar", 2),
        ("behavioral", 2),
        ("comportamenta*", 2),
    ),
    CoachMode.TAILOR: (
        ("vaga", 2),
        ("job description", 3),
        ("job ad", 3),
        ("job posting", 3),
        ("this job", 2),
        ("this role", 2),
        ("this position", 2),
        ("descricao da vaga", 3),
        ("adapt*", 2),
        ("adequ*", 2),
        ("personaliz*", 2),
        ("tailor*", 3),
        ("cover letter", 3),
        ("carta de apresentacao", 3),
        ("headline", 2),
        ("titulo do linkedin", 2),
        ("linkedin", 1),
        ("outreach", 2),
        ("mensagem para o recrutador", 3),
        ("message to the recruiter", 3),
        ("match", 1),
        ("requisitos", 1),
        ("requirements", 1),
        ("candidat*", 2),
        ("oportunidade", 2),
        ("apply*", 2),
        ("essa vaga", 1),
    ),
    CoachMode.CAREER: (
        ("salar*", 3),
        ("negoci*", 3),
        ("proposta", 2),
        ("offer", 2),
        ("clt", 3),
        ("pj", 3),
        ("contractor", 2),
        ("carreira", 2),
        ("career", 2),
        ("transicao", 2),
        ("mudar de area", 3),
        ("switch", 1),
        ("change field*", 2),
        ("promocao", 2),
        ("promotion", 2),
        ("raise", 1),
        ("aumento", 1),
        ("plano de busca", 3),
        ("job search", 3),
        ("procurar emprego", 3),
        ("find a job", 2),
        ("fgts", 2),
        ("demiti*", 2),
        ("laid off", 2),
        ("layoff", 2),
        ("beneficios", 1),
        ("benefits", 1),
        ("ganhar", 2),
        ("earn", 2),
        ("compensation", 3),
        ("sair do", 2),
        ("ir pra area", 3),
        ("ir para a area", 3),
        ("nova area", 3),
        ("area de", 1),
        ("migrar", 2),
        ("move from", 3),
        ("move into", 3),
        ("break into", 3),
        ("get into", 2),
        ("switch to", 2),
    ),
    CoachMode.REVIEW: (
        ("curriculo", 2),
        ("cv", 2),
        ("resume", 2),
        ("melhor*", 1),
        ("improve", 1),
        ("revis*", 2),
        ("review", 2),
        ("nota", 2),
        ("score", 2),
        ("pontuacao", 2),
        ("fraco*", 1),
        ("weak*", 1),
        ("ats", 1),
        ("bullet*", 1),
        ("pior", 1),
        ("worst", 1),
        ("meu cv", 1),
        ("meu curriculo", 1),
        ("my cv", 1),
        ("my resume", 1),
        ("faltando", 2),
        ("o que eu mudo", 2),
        ("what to fix", 2),
        ("missing from", 2),
    ),
}


@dataclass(frozen=True)
class Intent:
    mode: CoachMode
    # Summed weights of what matched: 0 means the mode was not read from the message.
    strength: int


def _hits(folded: str, phrase: str) -> bool:
    if phrase.endswith("*"):
        stem = phrase[:-1]
        return any(
            token.startswith(stem.split()[-1]) and (" " not in stem or stem in folded)
            for token in folded.split()
        )
    return contains_phrase(folded, phrase)


def detect_intent(message: str) -> Intent:
    folded = " ".join("".join(c if c.isalnum() else " " for c in fold(message)).split())
    scores = {
        mode: sum(weight for phrase, weight in signals if _hits(folded, phrase))
        for mode, signals in _SIGNALS.items()
    }
    # CV words are everywhere: tailoring a CV to a job is tailoring, not a review.
    if scores[CoachMode.TAILOR] >= 2:
        scores[CoachMode.REVIEW] = max(0, scores[CoachMode.REVIEW] - 3)
    best = max(scores, key=lambda mode: (scores[mode], mode == CoachMode.REVIEW))
    return Intent(best, scores[best])


def choose_mode(
    message: str,
    session_mode: CoachMode | None,
    in_interview: bool,
) -> CoachMode:
    """The session's mode unless the message clearly asks for another; an answer to an
    interview question stays in the interview."""
    intent = detect_intent(message)
    if in_interview and intent.mode != CoachMode.INTERVIEW:
        # An answer may mention a CV or a salary in passing; a short request that clearly
        # asks for something else leaves the interview.
        answering = len(message.split()) >= 8
        if intent.strength < 3 or (answering and intent.strength < 5):
            return CoachMode.INTERVIEW
    if intent.strength >= 2:
        return intent.mode
    if session_mode is not None:
        return session_mode
    return intent.mode if intent.strength else CoachMode.REVIEW
