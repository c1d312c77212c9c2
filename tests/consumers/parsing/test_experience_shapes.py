"""Experience entries in the shapes CVs use, with dates, location and bullets per entry."""

import pytest

from consumers.parsing.dates import find_date_range
from consumers.parsing.experience import parse_experience
from consumers.parsing.flat import unflatten
from consumers.parsing.parser import parse_cv


def _pairs(body: str, **options: object) -> list[tuple[str | None, str | None]]:
    return [(e.title, e.company) for e in parse_experience(body, **options)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "body",
    [
        "Data Engineer at Rappi\nMar 2021 – Present\n• Built pipelines",
        "Data Engineer @ Rappi\n03/2021 - Present\n• Built pipelines",
        "Rappi — Data Engineer\nmar/21 – Present\n• Built pipelines",
        "Data Engineer | Rappi | March 2021 – Present\n• Built pipelines",
        "Data Engineer\nRappi\n03.2021 to now\n• Built pipelines",
    ],
)
def test_title_and_company_in_each_common_shape(body):
    (entry,) = parse_experience(body)

    assert (entry.title, entry.company, entry.start, entry.current) == (
        "Data Engineer",
        "Rappi",
        "2021-03",
        True,
    )
    assert entry.bullets == ["Built pipelines"]


def test_portuguese_title_at_company():
    assert _pairs("Analista de Dados na Natura &Co\njan/2019 – dez/2020") == [
        ("Analista de Dados", "Natura &Co")
    ]


def test_one_company_above_the_titles_of_several_roles():
    body = (
        "Globant\n"
        "Lead UX Designer\n"
        "Aug 2023 – Aug 2025\n"
        "• Day-to-day reporting for the leadership team\n"
        "Product Designer\n"
        "Oct 2020 – Jul 2023\n"
        "• Shipped 4 projects on schedule\n"
    )

    assert _pairs(body) == [("Lead UX Designer", "Globant"), ("Product Designer", "Globant")]


def test_unmarked_bullets_are_not_taken_for_a_company():
    # Word list styles drop the bullet characters from the text.
    body = (
        "Globant\n"
        "Lead UX Designer\n"
        "Aug 2023 – Aug 2025\n"
        "Negotiated with 3 suppliers\n"
        "Mentoria de 7 pessoas recém-contratadas\n"
        "Product Designer\n"
        "Oct 2020 – Jul 2023\n"
        "Rolled TDD out across 12 product teams\n"
    )

    assert _pairs(body) == [("Lead UX Designer", "Globant"), ("Product Designer", "Globant")]


def test_durations_and_the_cvs_own_city_are_neither_title_nor_company():
    body = (
        "Controller\n"
        "Deliveroo, Rosario\n"
        "Jan 2020 – Present · 2 yrs 3 mos\n"
        "• Closed the books\n"
        "Analista Financeira | Stone | 05.2017 – 11.2019 · 2 anos e 7 meses\n"
    )

    first, second = parse_experience(body, ("rosario",))

    assert (first.title, first.company, first.location) == ("Controller", "Deliveroo", "Rosario")
    assert (second.title, second.company, second.end) == ("Analista Financeira", "Stone", "2019-11")


def test_a_recognised_location_is_kept_per_entry():
    (entry,) = parse_experience("Vendedora – Lojas Exemplo – Recife - PE\nmar. 2018 a dez. 2019")

    assert (entry.company, entry.location) == ("Lojas Exemplo", "Recife - PE")


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("jun/22 até Atualmente", "2022-06", None),
        ("mai/19 até mar/22", "2019-05", "2022-03"),
        ("Mar '98 - Dec '01", "1998-03", "2001-12"),
    ],
)
def test_two_digit_years(text, start, end):
    found = find_date_range(text)

    assert found is not None
    assert (found.start, found.end) == (start, end)


def test_flattened_entries_keep_their_date_ranges_and_split_title_from_company():
    text = (
        "Ana Souza Lima ana@example.com EXPERIÊNCIA Globant Lead UX Designer August 2023 – "
        "August 2025 • Reporting for the leadership team • Shipped 9 projects with Figma "
        "Cientista de Dados Sr. Tramontina Digital jun/19 até jul/23 – Padronizei o uso de "
        "SQL em 7 squads "
    ) * 1
    lines = unflatten(text).split("\n")

    assert any(
        line.startswith("Globant Lead UX Designer August 2023 – August 2025") for line in lines
    )
    parsed = parse_cv(text + "FORMAÇÃO Bacharelado em Estatística, USP (2012) " * 4)
    assert [(e.title, e.company, e.start, e.end) for e in parsed.experience] == [
        ("Lead UX Designer", "Globant", "2023-08", "2025-08"),
        ("Cientista de Dados Sr.", "Tramontina Digital", "2019-06", "2023-07"),
    ]


def test_flattened_company_dash_title_after_a_bullet_and_english_qualifiers():
    text = (
        "Hamish Ashworth hamish@example.com EXPERIENCE Accenture — Lead Product Designer "
        "June 2022 — Today • Cut month-end close from 11 to 10 days with Illustrator "
        "• Wrote tooling that saves the team 11 hours a week Unbabel — Senior Graphic "
        "Designer August 2020 — January 2022 • Mentored 5 new hires with HTML "
        "Tramontina Digital UX Designer II March 2018 — July 2020 • Shipped 3 projects "
    ) + "EDUCATION M.Sc. Design, Northeastern University (2017) " * 3
    parsed = parse_cv(text)

    assert [(e.title, e.company) for e in parsed.experience] == [
        ("Lead Product Designer", "Accenture"),
        ("Senior Graphic Designer", "Unbabel"),
        ("UX Designer II", "Tramontina Digital"),
    ]


def test_a_wrapped_bullet_end_above_a_title_at_company_line_is_not_the_company():
    body = (
        "Comprador at Loja Azul\n01/2020 – 12/2021\n"
        "• Rolled the new ordering flow out with Excel\nand Google Sheets\n"
        "Buyer II at Padaria Real\n02/2022 – Present\n• Negotiated with suppliers"
    )

    assert _pairs(body) == [("Comprador", "Loja Azul"), ("Buyer II", "Padaria Real")]


def test_a_company_line_with_an_unknown_city_still_leaves_room_for_the_title_above():
    body = "Analista de Dados Pleno\nFerragens Sul, Chapecó\n03/2020 até 05/2022\nMentoria"

    assert _pairs(body) == [("Analista de Dados Pleno", "Ferragens Sul")]


def test_flattened_title_and_company_run_together_before_the_city():
    body = "Analista de Dados Pleno Ferragens Sul, Chapecó 03/2020 até 05/2022\n• Mentoria"

    assert _pairs(body, flattened=True) == [("Analista de Dados Pleno", "Ferragens Sul")]


def test_flattened_header_running_into_its_sentences_is_cut_after_the_dates():
    body = (
        "Analista de Dados Pleno na Ferragens Sul Mar 2020 - Mai 2022 · 2 anos e 2 meses "
        "Reduzi o tempo de fechamento de 6 para 4 dias com SQL Padronizei o uso de "
        "painéis em 4 equipes e treinei 5 pessoas recém-contratadas"
    )

    (entry,) = parse_experience(body, flattened=True)

    assert (entry.title, entry.company, entry.start, entry.end) == (
        "Analista de Dados Pleno",
        "Ferragens Sul",
        "2020-03",
        "2022-05",
    )


def test_the_wrapped_end_of_a_bullet_above_a_title_is_not_its_company():
    body = (
        "Embraer\nAnalista Financeiro Sênior\n10/2023 - Atualmente\n"
        "• Conduzi a migração de contas para o SAP, cortando 29% do custo\nmensal\n"
        "Analista Financeiro Jr.\n03/2020 - 06/2023\n"
        "• Reduzi o tempo de fechamento de 3 para 1 dias com\nProcess Improvement\n"
        "Compradora III\n01/2019 - 08/2019\n• Mentoria de 6 pessoas"
    )

    assert _pairs(body) == [
        ("Analista Financeiro Sênior", "Embraer"),
        ("Analista Financeiro Jr.", "Embraer"),
        ("Compradora III", "Embraer"),
    ]


def test_flattened_entries_whose_bullets_lost_their_markers_are_each_found():
    text = (
        "Callum Whitfield callum@example.com PROFESSIONAL SUMMARY Eight years in logistics. "
        "Career History Lead Logistics Coordinator | Rappi | August 2022 – August 2025 "
        "Shipped 8 projects on schedule with 5S and Excel Day-to-day reporting for the "
        "leadership team Logistics Coordinator II | Telefónica | September 2021 – June 2022 "
        "Negotiated with 11 suppliers, saving $110k a year with Process Improvement "
        "Lead Buyer | Farfetch | September 2018 – July 2021 Mentored 9 new hires "
    ) + "EDUCATION MBA, University of Manchester 2015 – 2019 " * 3

    assert [(e.title, e.company, e.start) for e in parse_cv(text).experience] == [
        ("Lead Logistics Coordinator", "Rappi", "2022-08"),
        ("Logistics Coordinator II", "Telefónica", "2021-09"),
        ("Lead Buyer", "Farfetch", "2018-09"),
    ]


def test_flattened_company_named_like_a_heading_stays_in_its_entry():
    text = (
        "Edson Tavares Aragão edson@example.com EXPERIÊNCIA PROFISSIONAL "
        "Controller Pleno | Arco Educação | out/22 – hoje • Negociei contratos com 7 "
        "fornecedores • Entreguei 10 projetos no prazo Assistente Contábil III | Tramontina "
        "Digital | nov/21 – ago/22 • Reduzi o tempo de fechamento de 10 para 9 dias "
    ) + "Escolaridade Universidade Federal do Ceará — Ciências Contábeis 2011 " * 3

    assert [(e.title, e.company) for e in parse_cv(text).experience] == [
        ("Controller Pleno", "Arco Educação"),
        ("Assistente Contábil III", "Tramontina Digital"),
    ]
