"""Plain factory functions building test files in memory (PDF via reportlab, DOCX via
python-docx, zips by hand)."""

from __future__ import annotations

import zipfile
from io import BytesIO

from docx import Document
from docx.oxml import parse_xml
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

LEFT_COLUMN = [
    "EXPERIÊNCIA PROFISSIONAL",
    "Desenvolvedora Python – Acme Ltda",
    "jan/2020 – atual",
    "• Criei APIs REST com FastAPI.",
    "• Migrei serviços para AWS.",
    "Analista de Dados | Beta S.A.",
    "03/2017 - 12/2019",
    "• Painéis no Power BI.",
    "FORMAÇÃO ACADÊMICA",
    "Bacharelado em Sistemas de Informação",
    "Universidade Federal de Minas Gerais",
    "2013 - 2016",
]
RIGHT_COLUMN = [
    "CONTATO",
    "(31) 99876-5432",
    "ana.lima@email.com",
    "Belo Horizonte - MG",
    "HABILIDADES",
    "Python",
    "SQL",
    "Docker",
    "Kubernetes",
    "IDIOMAS",
    "Inglês avançado",
    "Espanhol básico",
]


def one_column_pdf(lines: list[str], pages: int = 1) -> bytes:
    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    _, height = A4
    for _ in range(pages):
        pdf.setFont("Helvetica", 11)
        y = height - 60
        for line in lines:
            pdf.drawString(60, y, line)
            y -= 16
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def two_column_pdf(pages: int = 1) -> bytes:
    """A sidebar CV: name across the top, main column left, sidebar right, drawn row by
    row so a naive extractor interleaves the columns."""
    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    for _ in range(pages):
        pdf.setFont("Helvetica-Bold", 20)
        pdf.drawCentredString(width / 2, height - 50, "Ana Paula Lima")
        pdf.setFont("Helvetica", 10)
        y = height - 100
        for left, right in zip(LEFT_COLUMN, RIGHT_COLUMN, strict=True):
            pdf.drawString(50, y, left)
            pdf.drawString(380, y, right)
            y -= 18
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def sidebar_pdf(side: list[str], main: list[str], *, side_x: float, main_x: float) -> bytes:
    """A narrow side column on the first page beside a main column that runs on to the
    next page (the long link spills a little into the gutter, as real ones do)."""
    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    _, height = A4
    pdf.setFont("Helvetica", 10)
    y = height - 60
    for line in side:
        pdf.drawString(side_x, y, line)
        y -= 16
    y = height - 60
    for line in main:
        if y < 60:
            pdf.showPage()
            pdf.setFont("Helvetica", 10)
            y = height - 60
        pdf.drawString(main_x, y, line)
        y -= 16
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def image_only_pdf() -> bytes:
    """A 'scanned' page: one picture of text, no text operators."""
    image = Image.new("RGB", (400, 200), "white")
    for x in range(20, 380, 3):
        image.putpixel((x, 100), (0, 0, 0))
    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.drawImage(ImageReader(image), 50, 400, width=400, height=200)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def cv_docx(*, with_textbox: bool = False) -> bytes:
    document = Document()
    document.sections[0].header.paragraphs[0].text = "Carlos Pereira · carlos@example.com"
    document.add_paragraph("RESUMO")
    document.add_paragraph("Contador com 10 anos de experiência em contabilidade e SAP.")
    document.add_paragraph("IDIOMAS")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Inglês"
    table.cell(0, 1).text = "Avançado"
    table.cell(1, 0).text = "Espanhol"
    table.cell(1, 1).text = "Básico"
    document.add_paragraph("HABILIDADES")
    paragraph = document.add_paragraph("Excel, Power BI")
    if with_textbox:
        paragraph._p.append(
            parse_xml(
                '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
                ' xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox>'
                "<w:txbxContent><w:p><w:r><w:t>Texto na caixa</w:t></w:r></w:p>"
                "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
            )
        )
    document.sections[0].footer.paragraphs[0].text = "Rodapé do currículo"
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def replace_part(docx: bytes, name: str, content: bytes) -> bytes:
    """Return ``docx`` with one archive member replaced."""
    source = zipfile.ZipFile(BytesIO(docx))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = content if item.filename == name else source.read(item.filename)
            target.writestr(item.filename, data)
    return out.getvalue()


def add_part(docx: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(BytesIO(docx))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, source.read(item.filename))
        target.writestr(name, content)
    return out.getvalue()
