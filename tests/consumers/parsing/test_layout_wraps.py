"""Text that narrow columns wrap, headings seen in the labelled corpus, and generic words
that are not skills (found by ``make eval``)."""

import pytest

from consumers.parsing.contact import find_name, find_phone
from consumers.parsing.experience import parse_experience
from consumers.parsing.sections import heading_kind
from consumers.parsing.skills import find_skills
from schemas.cv import SectionKind


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("GABRIEL FIGUEIREDO DE\nSANTOS DIAS\nEngenheiro de Dados", "Gabriel Figueiredo de Santos Dias"),
        ("FRANCISCA SANTOS\nBITTENCOURT\nCONCEIÇÃO\nEngenheira DevOps", "Francisca Santos Bittencourt Conceição"),
        ("Ana\nCardoso Correia\nAnalista de BI", "Ana Cardoso Correia"),
        ("Maria Silva\nDesenvolvedora Python\nRecife - PE", "Maria Silva"),
        ("Maria Silva\nSão Paulo - SP", "Maria Silva"),
        ("MARIA SILVA\nRecife", "Maria Silva"),
        ("João Pessoa – PB\nMaria Souza", "Maria Souza"),
        ("Jéssica Costa de Sá Conceição\nAnalista", "Jéssica Costa de Sá Conceição"),
    ],
)  # fmt: skip
def test_find_name_joins_wrapped_lines_only(text, name):
    assert find_name(text) == name


def test_find_phone_across_a_wrapped_line():
    assert find_phone("WhatsApp: +55 (27)\n96072-1359") == "+5527960721359"
    assert find_phone("Tel.: 71\n99282-6523") == "+5571992826523"
    assert find_phone("2019\n2020\n03/2021\n2022") is None


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("Coordenadora na Acme Ltda (Jul\n2021 — Mai 2022)", "2021-07", "2022-05"),
        ("Analista | outubro de 2021 - fevereiro de\n2023", "2021-10", "2023-02"),
        ("Engenheira na Beta S.A. (jun/2022 a o\nmomento)", "2022-06", None),
        ("Analista de Dados | 2019 -\n2021", "2019-01", "2021-12"),
    ],
)
def test_parse_experience_rejoins_a_wrapped_date_range(header, start, end):
    entries = parse_experience(f"{header}\n• Fiz relatórios semanais.")

    assert [(e.start, e.end) for e in entries] == [(start, end)]
    assert entries[0].bullets == ["Fiz relatórios semanais."]


def test_parse_experience_keeps_separate_ranges_apart():
    body = "Analista de Dados\n2019 - 2021\nAcme Ltda\n2017 - 2018"

    assert [(e.start, e.end) for e in parse_experience(body)] == [
        ("2019-01", "2021-12"),
        ("2017-01", "2018-12"),
    ]


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Experiência Profissional Relevante", SectionKind.EXPERIENCE),
        ("PROFESSIONAL BACKGROUND", SectionKind.EXPERIENCE),
        ("Formação Escolar", SectionKind.EDUCATION),
        ("Línguas Estrangeiras", SectionKind.LANGUAGES),
        ("Languages Spoken:", SectionKind.LANGUAGES),
        ("Licenses & Certifications", SectionKind.CERTIFICATIONS),
        ("Informações de Contato", SectionKind.OTHER),
        ("CONTACT INFO", SectionKind.OTHER),
        ("Contact Details", SectionKind.OTHER),
    ],
)
def test_heading_kind_knows_more_wordings(line, kind):
    assert heading_kind(line) is kind


def test_custos_alone_is_not_cost_accounting():
    assert "Cost Accounting" not in find_skills("Reduzi custos de infraestrutura em 30%.")
    assert find_skills("Contabilidade de custos e gestão de custos") == ["Cost Accounting"]
