"""CV documents built in the tests (PDF with reportlab, DOCX with python-docx)."""

from __future__ import annotations

import io

from docx import Document
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

CV_PT_LEFT = [
    "João da Silva",
    "Desenvolvedor Backend Sênior",
    "São Paulo - SP",
    "joao.silva@example.com",
    "(11) 98765-4321",
    "linkedin.com/in/joaodasilva",
    "",
    "Habilidades",
    "Python, FastAPI, PostgreSQL, Kafka",
    "Docker, Kubernetes, AWS",
    "",
    "Idiomas",
    "Inglês avançado",
    "Espanhol intermediário",
]

CV_PT_RIGHT = [
    "Resumo",
    "Engenheiro de software com 8 anos de experiência",
    "em sistemas distribuídos e APIs de alta escala.",
    "",
    "Experiência Profissional",
    "Desenvolvedor Backend Sênior - Nubank",
    "jan/2020 - atual",
    "- Reduzi a latência da API de pagamentos em 40%.",
    "- Liderei a migração de 12 serviços para Kafka.",
    "Desenvolvedor Backend - Stone",
    "03/2016 - 12/2019",
    "- Implementei conciliação que processa 2 milhões de transações/dia.",
    "",
    "Formação Acadêmica",
    "Bacharelado em Ciência da Computação - USP",
    "2011 - 2015",
]


def two_column_pdf(left: list[str] = CV_PT_LEFT, right: list[str] = CV_PT_RIGHT) -> bytes:
    """A one-page, two-column CV, the layout that scrambles naive text extraction."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    _, height = A4
    for x, lines in ((40, left), (250, right)):
        y = height - 60
        for line in lines:
            canvas.setFont("Helvetica", 10)
            canvas.drawString(x, y, line)
            y -= 15
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def docx_cv(lines: list[str] = CV_PT_LEFT + CV_PT_RIGHT) -> bytes:
    document = Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def txt_cv(lines: list[str] = CV_PT_LEFT + CV_PT_RIGHT) -> bytes:
    return "\n".join(lines).encode()


def image_only_pdf() -> bytes:
    """A 'scanned' CV: a page with shapes and no text layer."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    for i in range(20):
        canvas.rect(50 + i * 5, 500 - i * 10, 200, 8, fill=1)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
