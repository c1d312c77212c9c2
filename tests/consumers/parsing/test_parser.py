import time

from consumers.parsing.parser import parse_cv, parse_file
from schemas.cv import SectionKind
from schemas.files import FileKind
from tests.consumers.parsing.samples import EN_CV, PT_CV


def test_parse_cv_pt():
    parsed = parse_cv(PT_CV, page_count=2)

    assert parsed.language == "pt"
    assert parsed.page_count == 2
    assert parsed.contact.model_dump() == {
        "name": "João da Silva Santos",
        "email": "joao.santos@email.com.br",
        "phone": "+5511987654321",
        "phone_region": "BR",
        "phones": [{"number": "+5511987654321", "region": "BR"}],
        "linkedin": "https://www.linkedin.com/in/joaosantos",
        "github": "https://github.com/joaosantos",
        "location": "São Paulo - SP",
    }
    assert SectionKind.EXPERIENCE in {s.kind for s in parsed.sections}
    assert [(e.title, e.company, e.current) for e in parsed.experience] == [
        ("Desenvolvedor Python Sênior", "Acme Tecnologia Ltda", True),
        ("Analista de Sistemas", "Banco Exemplo S.A.", False),
    ]
    assert parsed.education[0].end_year == 2015
    assert {"Python", "Django", "Docker", "Kubernetes", "Power BI", "Project Management"} <= set(
        parsed.skills
    )
    assert "GitHub" not in parsed.skills
    assert [(lang.language, lang.level) for lang in parsed.languages] == [
        ("Inglês", "avançado"),
        ("Espanhol", "intermediário"),
    ]


def test_parse_cv_en():
    parsed = parse_cv(EN_CV)

    assert parsed.language == "en"
    assert parsed.contact.name == "Mary Johnson"
    assert parsed.contact.phone == "+14155550100"
    assert [(e.title, e.company, e.start, e.end) for e in parsed.experience] == [
        ("Senior Data Analyst", "Globex Corporation", "2018-03", None),
        ("Data Analyst", "Initech Inc", "2016-06", "2018-02"),
    ]
    assert parsed.education[0].institution == "University of Texas"
    assert [(lang.language, lang.level) for lang in parsed.languages] == [
        ("English", "Native"),
        ("Spanish", "B2"),
    ]
    # The skills section and the degree's field first; then tools named in the work
    # ("sales and marketing teams" in the summary is not a claimed skill).
    assert parsed.skills == [
        "SQL", "Python", "R", "Excel", "Tableau", "A/B Testing", "Statistics", "Power BI",
        "Pandas", "MySQL",
    ]  # fmt: skip


def test_parse_cv_never_raises_on_odd_text():
    for text in ["", "\n\n", "x", "• • •", "2019 - 2021\n" * 50, "A" * 10_000, "É\x00\ufffd"]:
        parsed = parse_cv(text)
        assert parsed.language in {"pt", "en"}


def test_parse_cv_is_fast():
    text = PT_CV * 4
    parse_cv(text)
    started = time.perf_counter()
    for _ in range(10):
        parse_cv(text)
    assert (time.perf_counter() - started) / 10 < 0.05


def test_parse_file_txt():
    parsed = parse_file(PT_CV.encode("cp1252"), FileKind.TXT)

    assert parsed.contact.name == "João da Silva Santos"
    assert parsed.page_count == 1
