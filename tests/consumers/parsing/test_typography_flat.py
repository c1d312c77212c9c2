"""Names found by typography, and flattened text given its structure back."""

import io

from docx import Document
from docx.shared import Pt
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from consumers.parsing.flat import is_flattened, unflatten
from consumers.parsing.parser import parse_cv, parse_file
from consumers.parsing.text import normalize_text
from consumers.parsing.typography import StyledLine, prominent_lines
from schemas.cv import SectionKind
from schemas.files import FileKind


def test_prominent_lines_are_the_larger_ones_largest_first():
    lines = [
        StyledLine("Contato", 12, bold=True, top=10),
        StyledLine("ana@example.com", 10, top=20),
        StyledLine("Ana Paula Siqueira", 22, bold=True, top=40),
        *(StyledLine(f"body line {i}", 10, top=50 + i) for i in range(20)),
    ]

    assert prominent_lines(lines) == ("Ana Paula Siqueira", "Contato")


def test_one_size_throughout_has_nothing_prominent():
    assert prominent_lines([StyledLine(f"line {i}", 10, top=i) for i in range(9)]) == ()


def _sidebar_pdf() -> bytes:
    """A left sidebar: contact block first in the text, the name below it, set large."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setFont("Helvetica", 9)
    y = 800
    for line in ("Recife - PE", "thais@example.com", "(81) 98765-4321", "Idiomas", "Inglês"):
        canvas.drawString(40, y, line)
        y -= 12
    canvas.setFont("Helvetica-Bold", 18)
    canvas.drawString(40, y - 10, "Thaís Bezerra")
    canvas.drawString(40, y - 32, "Cavalcanti")
    canvas.setFont("Helvetica", 9)
    y = 800
    for line in ("Experiência Profissional", "Analista de Dados na Stone", "03/2021 - atual"):
        canvas.drawString(220, y, line)
        y -= 12
    for index in range(30):
        canvas.drawString(220, y, f"• Automatizei {index + 2} relatórios semanais em SQL")
        y -= 12
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_pdf_name_below_the_contact_block_is_found_by_its_size():
    parsed = parse_file(_sidebar_pdf(), FileKind.PDF)

    assert parsed.contact.name == "Thaís Bezerra Cavalcanti"


def test_docx_title_style_names_the_person_wherever_it_is():
    document = Document()
    for line in ("Lisboa, Portugal", "ines@example.com", "+351 912 345 678"):
        document.add_paragraph(line)
    document.add_paragraph("Inês Quintela Louro", style="Title")
    document.add_paragraph("Experiência", style="Heading 1")
    run = document.add_paragraph().add_run("Analista Financeira na Farfetch, 2020 - 2023")
    run.font.size = Pt(10)
    buffer = io.BytesIO()
    document.save(buffer)

    parsed = parse_file(buffer.getvalue(), FileKind.DOCX)

    assert parsed.contact.name == "Inês Quintela Louro"


FLAT = (
    '"Renata Cárdenas Treviño Lead UX Designer renata@example.com +52 55 1234 5678 '
    "Ciudad de México, Mexico PROFILE Designer with 9 years behind me, lately focused on "
    "Figma. WORK HISTORY Lead UX Designer at Globant 08.2023 - Present • Rolled Figma out "
    "across 6 product teams • Mentored 4 new hires Product Designer at Farfetch 10.2020 - "
    "07.2023 • Shipped 8 projects on schedule with Sketch EDUCATION B.Sc. in Design, "
    "Tecnológico de Monterrey (2014) Technical Skills Figma, Sketch, Canva."
)


def test_flattened_text_is_recognised_and_given_lines_back():
    assert is_flattened(FLAT)
    assert not is_flattened("Ana Lima\nExperiência\n" + "• uma linha curta\n" * 30)

    lines = unflatten(FLAT).split("\n")

    assert lines[0] == "Renata Cárdenas Treviño"
    assert "WORK HISTORY" in lines
    assert "EDUCATION" in lines
    assert any(line.startswith("Product Designer at Farfetch") for line in lines)


# One-word, label-like headings ("Profile", "Tools") only split flattened text when written
# in capitals or followed by a colon: in title case they read as often as ordinary words.
def test_flattened_cv_parses_name_sections_and_jobs():
    parsed = parse_cv(FLAT)

    assert parsed.contact.name == "Renata Cárdenas Treviño"
    assert parsed.contact.phone == "+525512345678"
    kinds = {s.kind for s in parsed.sections}
    assert {SectionKind.SUMMARY, SectionKind.EXPERIENCE, SectionKind.EDUCATION} <= kinds
    assert [(e.title, e.company, e.start) for e in parsed.experience] == [
        ("Lead UX Designer", "Globant", "2023-08"),
        ("Product Designer", "Farfetch", "2020-10"),
    ]


def test_a_capitalised_heading_word_inside_a_sentence_is_not_a_heading():
    text = "Ana Lima " + "trained in Education and worked with Sales teams for years " * 8

    assert "\nEducation\n" not in unflatten(text)


def test_a_long_line_with_wide_gaps_is_the_lines_it_was() -> None:
    pasted = (
        '"Hal Doyle    123 Main St.  New York, NY  123.345.7890  hal@example.com  '
        "EXPERIENCE  Teacher, Lincoln High School  2015 - 2020"
    )
    lines = normalize_text(pasted).split("\n")
    assert lines[:3] == ["Hal Doyle", "123 Main St.", "New York, NY"]
    assert normalize_text(normalize_text(pasted)) == normalize_text(pasted)
    assert parse_cv(pasted).contact.name == "Hal Doyle"


def test_short_lines_keep_their_gaps_and_inner_quotes_stay() -> None:
    # Two columns of a table, and a motto in quotes: neither is a joined line.
    assert normalize_text("Python    5 anos") == "Python 5 anos"
    motto = '"Aprender sempre" é o meu lema\nAna Lima'
    assert normalize_text(motto).startswith('"Aprender sempre"')


def test_a_name_given_in_a_personal_details_block_is_found() -> None:
    text = "CURRICULUM VITAE\nPERSONAL DETAILS\nName:\nAzzie Woodrow Gaylord\nNationality: Greek"
    assert parse_cv(text).contact.name == "Azzie Woodrow Gaylord"
    assert parse_cv("DADOS PESSOAIS\nNome completo: MARIA DA SILVA\nIdade: 30").contact.name == (
        "Maria da Silva"
    )
