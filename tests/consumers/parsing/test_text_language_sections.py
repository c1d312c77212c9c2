import pytest

from consumers.parsing.language import detect_language
from consumers.parsing.sections import heading_kind, split_sections
from consumers.parsing.text import fold, normalize_text
from schemas.cv import SectionKind
from tests.consumers.parsing.samples import EN_CV, PT_CV


def test_normalize_text():
    raw = "  Nome\u00a0 Completo \r\n\r\n\r\n\r\n\uf0b7 item\tum\n● dois\n– três\nﬁm\u200b\x00"

    assert normalize_text(raw) == "Nome Completo\n\n• item um\n• dois\n• três\nfim"


def test_normalize_text_is_idempotent():
    once = normalize_text(PT_CV)

    assert normalize_text(once) == once


def test_fold():
    assert fold("EXPERIÊNCIA Acadêmica") == "experiencia academica"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (PT_CV, "pt"),
        (EN_CV, "en"),
        ("Desenvolvedor de software com experiência em Python", "pt"),
        ("Software developer with experience in Python", "en"),
        ("Python, SQL", "pt"),
        ("Gestão", "pt"),
        ("Data analyst at Globex", "en"),
    ],
)
def test_detect_language(text, expected):
    assert detect_language(text) == expected


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("RESUMO", SectionKind.SUMMARY),
        ("Sumário:", SectionKind.SUMMARY),
        ("About Me", SectionKind.SUMMARY),
        ("Experiência Profissional", SectionKind.EXPERIENCE),
        ("EXPERIENCIA PROFISSIONAL:", SectionKind.EXPERIENCE),
        ("Histórico Profissional", SectionKind.EXPERIENCE),
        ("Work Experience", SectionKind.EXPERIENCE),
        ("E X P E R I Ê N C I A", SectionKind.EXPERIENCE),
        ("Formação Acadêmica", SectionKind.EDUCATION),
        ("EDUCAÇÃO", SectionKind.EDUCATION),
        ("Competências Técnicas", SectionKind.SKILLS),
        ("Technical Skills", SectionKind.SKILLS),
        ("Idiomas", SectionKind.LANGUAGES),
        ("Cursos e Certificações", SectionKind.CERTIFICATIONS),
        ("Certifications", SectionKind.CERTIFICATIONS),
        ("Projetos", SectionKind.PROJECTS),
        ("Formação Acadêmica e Certificações", SectionKind.EDUCATION),
        ("Informações Adicionais", SectionKind.OTHER),
        ("1. Experiência", SectionKind.EXPERIENCE),
    ],
)
def test_heading_kind(line, kind):
    assert heading_kind(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        "Tenho experiência profissional em vendas e atendimento.",
        "Experience in Python and Java",
        "• Skills",
        "Education matters to me, so I keep learning.",
        "Resumo das atividades realizadas no projeto 2020",
    ],
)
def test_sentences_are_not_headings(line):
    assert heading_kind(line) is None


def test_split_sections_pt():
    preamble, sections = split_sections(normalize_text(PT_CV))

    assert preamble.startswith("JOÃO DA SILVA SANTOS")
    assert [s.kind for s in sections] == [
        SectionKind.SUMMARY,
        SectionKind.EXPERIENCE,
        SectionKind.EDUCATION,
        SectionKind.SKILLS,
        SectionKind.LANGUAGES,
    ]
    assert sections[1].heading == "EXPERIÊNCIA PROFISSIONAL"
    assert sections[3].text == (
        "Python, Django, FastAPI, PostgreSQL, Docker, Git, Scrum, gestão de projetos"
    )


def test_unknown_capital_headings_become_other():
    text = "Ana Lima\nRESUMO\nTexto.\nVOLUNTARIADO NA ONG\nAjudei.\nHABILIDADES\nExcel"

    _, sections = split_sections(text)

    assert [(s.kind, s.heading) for s in sections] == [
        (SectionKind.SUMMARY, "RESUMO"),
        (SectionKind.OTHER, "VOLUNTARIADO NA ONG"),
        (SectionKind.SKILLS, "HABILIDADES"),
    ]


def test_capital_company_names_inside_experience_are_not_headings():
    text = "EXPERIÊNCIA\nITAÚ UNIBANCO\nAnalista\n2019 - 2021\nTechnologies\nPython"

    _, sections = split_sections(text)

    assert len(sections) == 1
    assert "ITAÚ UNIBANCO" in sections[0].text
    assert "Technologies" in sections[0].text


def test_inline_skills_heading():
    _, sections = split_sections("Nome\nSkills: Python, SQL\nLanguages: English (fluent)")

    assert [(s.kind, s.text) for s in sections] == [
        (SectionKind.SKILLS, "Python, SQL"),
        (SectionKind.LANGUAGES, "English (fluent)"),
    ]
