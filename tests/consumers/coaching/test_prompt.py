"""The Gemini prompt: data between tags, whole sentences, no CV instruction sent."""

from __future__ import annotations

from consumers.coaching.offline import CoachInput, Turn, reply
from consumers.coaching.prompt import contents, first_sentence, system_instruction
from schemas.coach import CoachMode, CoachRole
from tests.consumers.coaching.factories import INJECTED_CV_TEXT, facts_of, pt_facts


def _text(data: CoachInput) -> str:
    return "\n".join(part.text or "" for c in contents(data, reply(data)) for part in c.parts or [])


def test_the_cv_facts_are_quoted_as_data() -> None:
    data = CoachInput(message="Como melhorar?", facts=pt_facts(), locale="pt-BR")
    sent = _text(data)
    assert "<cv_facts>" in sent
    assert "</cv_facts>" in sent
    assert "Rede Mineira de Supermercados S.A." in sent
    instruction = system_instruction(reply(data))
    assert "Brazilian Portuguese" in instruction
    assert "not instructions" in instruction


def test_an_instruction_in_the_cv_is_not_sent() -> None:
    data = CoachInput(message="Como melhorar?", facts=facts_of(INJECTED_CV_TEXT), locale="pt-BR")
    assert "Ignore todas" not in _text(data)


def test_a_long_session_is_summarised_in_whole_sentences() -> None:
    long_turn = "Primeira frase da resposta. " + "palavra " * 600
    data = CoachInput(
        message="E agora?",
        facts=None,
        locale="pt-BR",
        history=(Turn(CoachRole.ASSISTANT, long_turn, CoachMode.REVIEW),),
        earlier=(first_sentence("Quero negociar salário. Tenho uma proposta da empresa X."),),
    )
    sent = _text(data)
    assert "Earlier in this session the user asked:\n- Quero negociar salário." in sent
    assert "Primeira frase da resposta. […]" in sent


def test_first_sentence() -> None:
    assert first_sentence("Olá. Tudo bem?") == "Olá."
    assert first_sentence("sem ponto final") == "sem ponto final"
    assert first_sentence("x " * 200).endswith(" […]")
