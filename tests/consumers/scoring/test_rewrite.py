import re

import pytest

from consumers.scoring.rewrite import en_past, improve_bullet, pt_past
from consumers.scoring.rubric import weak_opener


@pytest.mark.parametrize(
    ("infinitive", "past"),
    [("gerenciar", "gerenciei"), ("buscar", "busquei"), ("entregar", "entreguei"),
     ("alcançar", "alcancei"), ("desenvolver", "desenvolvi"), ("conduzir", "conduzi"),
     ("construir", "construí"), ("fazer", "fiz"), ("manter", "mantive"), ("gestão", None)],
)  # fmt: skip
def test_pt_past(infinitive, past):
    assert pt_past(infinitive) == past


@pytest.mark.parametrize(
    ("gerund", "past"),
    [("managing", "managed"), ("leading", "led"), ("planning", "planned"),
     ("identifying", "identified"), ("developing", "developed"), ("team", None)],
)  # fmt: skip
def test_en_past(gerund, past):
    assert en_past(gerund) == past


@pytest.mark.parametrize(
    ("bullet", "lang", "expected"),
    [
        ("Responsável por gerenciar a equipe de vendas", "pt", "Gerenciei a equipe de vendas"),
        (
            "Responsável pela gestão do estoque",
            "pt",
            "[Verbo de ação, ex.: Liderei/Conduzi] a gestão do estoque",
        ),
        ("Responsible for managing the sales team", "en", "Managed the sales team"),
        ("Responsible for the sales team", "en", "[Action verb, e.g. Led/Managed] the sales team"),
        ("Helped with onboarding new hires", "en", "Onboarded new hires ([your specific part])"),
    ],
)
def test_rewrite_weak_openers(bullet, lang, expected):
    assert (
        improve_bullet(bullet, lang, weak_opener=weak_opener(bullet), quantified=True) == expected
    )


def test_examples_never_invent_numbers():
    bullet = "Responsável por atender clientes"
    example = improve_bullet(bullet, "pt", weak_opener=weak_opener(bullet), quantified=False)
    assert example.startswith("Atendi clientes")
    assert "[X%]" in example
    assert not re.search(r"\d", example)
