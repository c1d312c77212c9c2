from consumers.parsing.experience import parse_education, parse_experience, parse_languages
from consumers.parsing.skills import all_skills, find_skills, skill_category


def test_experience_title_company_dates_and_bullets():
    body = (
        "Desenvolvedor Python Sênior – Acme Tecnologia Ltda\n"
        "jan/2020 – atual\n"
        "• Liderei a migração para microsserviços.\n"
        "• Reduzi custos de nuvem em 30% com ajustes\n"
        "de autoscaling.\n"
        "\n"
        "Analista de Sistemas | Banco Exemplo S.A.\n"
        "03/2016 - 12/2019\n"
        "• Desenvolvi rotinas de ETL.\n"
    )

    first, second = parse_experience(body)

    assert (first.title, first.company, first.start, first.end, first.current) == (
        "Desenvolvedor Python Sênior",
        "Acme Tecnologia Ltda",
        "2020-01",
        None,
        True,
    )
    assert first.bullets == [
        "Liderei a migração para microsserviços.",
        "Reduzi custos de nuvem em 30% com ajustes de autoscaling.",
    ]
    assert (second.title, second.company, second.start, second.end) == (
        "Analista de Sistemas",
        "Banco Exemplo S.A.",
        "2016-03",
        "2019-12",
    )


def test_experience_company_above_title_and_inline_dates():
    body = (
        "Globex Corporation\n"
        "Senior Data Analyst, March 2018 – Present\n"
        "- Built dashboards.\n"
        "Data Analyst at Initech Inc (Jun 2016 to Feb 2018)\n"
        "- Wrote SQL.\n"
    )

    first, second = parse_experience(body)

    assert (first.title, first.company, first.current) == (
        "Senior Data Analyst",
        "Globex Corporation",
        True,
    )
    assert (second.title, second.company, second.start, second.end) == (
        "Data Analyst",
        "Initech Inc",
        "2016-06",
        "2018-02",
    )
    assert second.bullets == ["Wrote SQL."]


def test_experience_with_location_and_company_below_dates():
    body = "Vendedora\nmar. 2018 a dez. 2019\nLojas Exemplo - Recife - PE\nAtendimento ao cliente."

    (entry,) = parse_experience(body)

    assert (entry.title, entry.company) == ("Vendedora", "Lojas Exemplo")
    assert entry.bullets == ["Atendimento ao cliente."]


def test_experience_ignores_years_inside_sentences():
    body = "Em 2019 liderei a migração do sistema legado para a nuvem da empresa toda."

    assert parse_experience(body) == []


def test_education_entries():
    body = (
        "Bacharelado em Ciência da Computação\n"
        "Universidade de São Paulo (USP)\n"
        "2012 - 2015\n"
        "MBA em Gestão de Projetos - FGV (cursando, previsão 2026)\n"
        "B.Sc. in Statistics - University of Texas, 2016\n"
    )

    entries = parse_education(body)

    assert [(e.degree, e.institution, e.end_year) for e in entries] == [
        ("Bacharelado em Ciência da Computação", "Universidade de São Paulo (USP)", 2015),
        ("MBA em Gestão de Projetos", "FGV", 2026),
        ("B.Sc. in Statistics", "University of Texas", 2016),
    ]


def test_education_in_progress_has_no_end_year():
    (entry,) = parse_education(
        "Tecnólogo em Análise e Desenvolvimento de Sistemas\nFATEC\n2023 - atual"
    )

    assert entry.institution == "FATEC"
    assert entry.end_year is None


def test_spoken_languages():
    body = "Inglês avançado\nEnglish - Fluent\nEspanhol: intermediário\nFrancês (básico), Alemão\n"

    languages = parse_languages(body)

    assert [(lang.language, lang.level) for lang in languages] == [
        ("Inglês", "avançado"),
        ("Espanhol", "intermediário"),
        ("Francês", "básico"),
        ("Alemão", None),
    ]


def test_spoken_languages_with_cefr_and_table_rows():
    languages = parse_languages("Spanish (B2)\nItaliano | Nativo")

    assert [(lang.language, lang.level) for lang in languages] == [
        ("Spanish", "B2"),
        ("Italiano", "Nativo"),
    ]


def test_spoken_languages_outside_a_section_need_a_level():
    text = "Graduação em Letras - Português\nInglês fluente"

    assert [lang.language for lang in parse_languages(text, require_level=True)] == ["Inglês"]


def test_find_skills_word_boundaries_and_symbols():
    text = (
        "C, C++, C#, .NET, ASP.NET Core, Node.js, Go, golang, R, Java/Spring Boot, PL/SQL, "
        "Objective-C"
    )

    assert find_skills(text) == [
        "C",
        "C++",
        "C#",
        ".NET",
        "ASP.NET",
        "Node.js",
        "Go",
        "R",
        "Java",
        "Spring Boot",
        "PL/SQL",
        "Objective-C",
    ]


def test_find_skills_avoids_false_friends():
    text = "Salário R$ 5.000, Go-live em 2020, Rua R. Augusta, a word, github.com/ana, Julia"

    assert find_skills(text) == []


def test_find_skills_pt_synonyms_and_accents():
    text = "Gestao de projetos, atendimento ao cliente, Excel avançado, contabilidade, vendas"

    assert find_skills(text) == [
        "Project Management",
        "Customer Service",
        "Excel",
        "Accounting",
        "Sales",
    ]


def test_find_skills_first_seen_order_without_duplicates():
    assert find_skills("python, Docker, PYTHON, docker, power  bi") == [
        "Python",
        "Docker",
        "Power BI",
    ]


def test_taxonomy_is_large_and_categorised():
    names = all_skills()

    assert len(names) >= 250
    assert skill_category("Python") == "programming_languages"
    assert skill_category("SAP") == "tools"
    assert skill_category("nope") is None
