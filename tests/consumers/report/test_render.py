from io import BytesIO

from pypdf import PdfReader

from consumers.report.render import render_report
from consumers.scoring.analyser import analyse
from schemas.cv import Severity, Suggestion
from tests.consumers.scoring.factories import make_cv


def _text(pdf: bytes) -> str:
    reader = PdfReader(BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_a_portuguese_cv_gets_a_portuguese_report_with_score_breakdown_and_suggestions():
    analysis = analyse(make_cv(), "Requisitos: Python, SQL e Kafka. Diferenciais: Airflow.")

    text = _text(render_report(analysis, version=3))

    assert "Relatório da análise do currículo" in text
    assert f"{analysis.score}" in text
    assert "Como a pontuação se compõe" in text
    assert "Estrutura" in text
    assert "Aderência à vaga" in text
    assert "Kafka" in text
    assert "Análise versão 3" in text
    for suggestion in analysis.suggestions[:2]:
        assert suggestion.message.split()[0] in text


def test_an_english_cv_gets_an_english_report():
    analysis = analyse(make_cv(language="en"))

    text = _text(render_report(analysis, version=1))

    assert "CV analysis report" in text
    assert "How the score is made up" in text
    assert "Job match" not in text


def test_the_report_carries_no_contact_field():
    cv = make_cv()
    analysis = analyse(cv)

    text = _text(render_report(analysis, version=1))

    assert cv.contact.email is not None
    assert cv.contact.email not in text
    assert cv.contact.phone is None or cv.contact.phone not in text


def test_the_same_analysis_renders_the_same_bytes():
    analysis = analyse(make_cv())

    assert render_report(analysis, 1) == render_report(analysis, 1)


def test_long_suggestions_and_characters_outside_the_fonts_run_on_to_new_pages():
    analysis = analyse(make_cv())
    many = [
        Suggestion(
            category="impact",
            severity=Severity.HIGH,
            message="Quantifique o resultado 🚀 " + "com números concretos " * 20,
            evidence="Responsável por 日本 relatórios",
        )
        for _ in range(25)
    ]
    analysis = analysis.model_copy(update={"suggestions": many})

    pdf = render_report(analysis, 1)

    assert len(PdfReader(BytesIO(pdf)).pages) >= 3
    assert "Quantifique o resultado" in _text(pdf)


def test_an_analysis_without_suggestions_says_so():
    analysis = analyse(make_cv()).model_copy(update={"suggestions": []})

    assert "Nenhuma sugestão" in _text(render_report(analysis, 1))
