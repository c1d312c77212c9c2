"""A small CV a parse child reads once before its first real document.

A child forked from the fork server shares the server's memory until it writes to it;
its first parse writes to most of the parser's objects (reference counts) and pays for
copying those pages, about three times a warm parse. Reading this sample first moves
that cost to the child's start, where nobody waits for it.
"""

from __future__ import annotations

_LINES = (
    "Ana Souza Lima",
    "Analista de Dados | ana.lima@example.com | +55 11 91234-5678 | Campinas, SP",
    "Resumo",
    "Analista de dados com 6 anos de experiência em SQL, Python e Power BI.",
    "Experiência",
    "Analista de Dados Sênior - Varejo Exemplo S.A. - mar/2021 - atual",
    "- Reduzi em 30% o tempo de fechamento mensal automatizando relatórios em Python.",
    "Analista de Dados - Banco Exemplo - jan/2018 - fev/2021",
    "- Criei 40 painéis em Power BI usados por 300 gerentes.",
    "Formação",
    "Bacharelado em Estatística - Universidade Estadual de Campinas - 2013 - 2017",
    "Competências",
    "SQL, Python, pandas, Power BI, Excel, Git, estatística",
    "Idiomas",
    "Inglês avançado, espanhol intermediário",
)


def _escaped(line: str) -> bytes:
    text = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return text.encode("cp1252")


def sample_pdf() -> bytes:
    """A one-page PDF of ``_LINES`` in a standard font, with a correct cross-reference
    table (so the reader takes its normal path, not its repair path)."""
    content = b"BT /F1 11 Tf 50 800 Td 14 TL\n"
    content += b"".join(b"(" + _escaped(line) + b") '\n" for line in _LINES) + b"ET"
    objects = (
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    )
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(pdf)
