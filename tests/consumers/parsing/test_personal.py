"""Personal data recruiters do not need: its kinds are found, its values never kept."""

import pytest

from consumers.parsing.parser import parse_cv
from consumers.parsing.personal import find_personal_data, mentions_personal_data
from consumers.scoring.analyser import analyse


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Brasileiro, casado, 34 anos", ["age", "marital_status"]),
        ("CPF: 542.735.574-37", ["cpf"]),
        ("CPF 54273557437", ["cpf"]),
        ("RG: 12.345.678-9", ["rg"]),
        ("Data de nascimento: 12/03/1990", ["birth_date"]),
        ("Date of birth: 12 March 1990", ["birth_date"]),
        ("Estado civil: solteira", ["marital_status"]),
        ("Age: 29", ["age"]),
    ],
)
def test_kinds_of_personal_data_are_found(text, kinds):
    assert find_personal_data(text) == kinds


@pytest.mark.parametrize(
    "text",
    [
        "10 anos de experiência em vendas",
        "Ana Casado Lima",
        "Reduzi custos em 34% em 2 anos",
        "Telefone: (81) 98765-4321",
        "Single sign-on for 3 products",
    ],
)
def test_ordinary_lines_are_not_personal_data(text):
    assert find_personal_data(text) == []


def test_the_analysis_flags_them_without_copying_them():
    text = (
        "Ana Paula Lima\nBrasileira, casada, 34 anos\nCPF: 542.735.574-37\n"
        "Data de nascimento: 12/03/1990\nana@example.com | (81) 98765-4321 | Recife - PE\n"
        "Experiência\nAnalista de Dados na Stone\n03/2021 - atual\n• Automatizei relatórios\n"
    )

    analysis = analyse(parse_cv(text))

    flagged = [s for s in analysis.suggestions if "CPF" in s.message]
    assert len(flagged) == 1
    assert "o CPF, a data de nascimento, a idade e o estado civil" in flagged[0].message
    dumped = analysis.model_dump_json()
    for value in ("542.735.574-37", "12/03/1990", "34 anos"):
        assert value not in dumped
    assert not any(s.evidence and mentions_personal_data(s.evidence) for s in analysis.suggestions)


def test_english_wording_agrees_in_number():
    one = analyse(parse_cv("Jane Roe\nAge: 29\njane@example.com\nExperience\nAnalyst at Acme\n"))
    messages = [s.message for s in one.suggestions if "Remove your age" in s.message]

    assert messages == [
        "Remove your age from your CV: recruiters do not need it to assess you, and it opens "
        "the door to discrimination. Brazil's data protection law (LGPD) asks for no more "
        "than is needed."
    ]
