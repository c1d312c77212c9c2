import pytest

from consumers.parsing.errors import ParseError
from consumers.parsing.extract import extract_text
from consumers.parsing.parser import parse_file
from schemas.files import FileKind
from tests.consumers.parsing.factories import (
    LEFT_COLUMN,
    RIGHT_COLUMN,
    image_only_pdf,
    one_column_pdf,
    sidebar_pdf,
    two_column_pdf,
)

LINES = [
    "Maria José dos Santos",
    "Analista Financeira | São Paulo - SP | (11) 98765-4321",
    "RESUMO",
    "Analista com 6 anos de experiência em contabilidade, SAP e Excel.",
    "EXPERIÊNCIA PROFISSIONAL",
    "Analista Financeira – Banco Exemplo S.A.",
    "mar. 2018 a dez. 2023",
    "• Conciliação bancária e fluxo de caixa.",
]


def test_one_column_pdf_keeps_line_order():
    extracted = extract_text(one_column_pdf(LINES), FileKind.PDF)

    assert extracted.page_count == 1
    assert extracted.text.split("\n") == LINES


def test_two_column_pdf_keeps_each_column_together():
    text = extract_text(two_column_pdf(), FileKind.PDF).text
    lines = [line for line in text.split("\n") if line]

    left = [lines.index(line) for line in LEFT_COLUMN]
    right = [lines.index(line) for line in RIGHT_COLUMN]
    assert left == sorted(left)
    assert right == sorted(right)
    # Contiguous blocks: the narrow side column first, then the whole main column, so
    # that a main column running on to the next page reads on without a break.
    assert left == list(range(left[0], left[0] + len(LEFT_COLUMN)))
    assert right == list(range(right[0], right[0] + len(RIGHT_COLUMN)))
    assert max(right) < min(left)
    assert max(right) < lines.index("Ana Paula Lima") < min(left)


@pytest.mark.parametrize(("side_x", "main_x"), [(40, 200), (420, 40)])
def test_a_main_column_reads_on_across_pages_whichever_side_the_sidebar_is(side_x, main_x):
    side = ["CONTATO", "ana@example.com", "linkedin.com/in/ana-paula-lima-souza", "IDIOMAS"]
    body = [f"• Entreguei o projeto {n} no prazo com Python e SQL" for n in range(50)]
    data = sidebar_pdf(side, body, side_x=side_x, main_x=main_x)
    lines = [line for line in extract_text(data, FileKind.PDF).text.split("\n") if line]

    assert [lines.index(line) for line in side] == list(range(4))
    order = [lines.index(line) for line in body]
    assert order == list(range(4, 4 + len(body)))


def test_two_column_pdf_parses_into_sections():
    parsed = parse_file(two_column_pdf(pages=2), FileKind.PDF)

    assert parsed.page_count == 2
    assert parsed.contact.name == "Ana Paula Lima"
    assert parsed.contact.phone == "+5531998765432"
    assert parsed.experience[0].title == "Desenvolvedora Python"
    assert parsed.experience[0].company == "Acme Ltda"
    assert parsed.experience[0].current is True
    assert (parsed.experience[0].bullets) == [
        "Criei APIs REST com FastAPI.",
        "Migrei serviços para AWS.",
    ]
    assert parsed.education[0].end_year == 2016
    assert {"Python", "SQL", "Docker", "Kubernetes", "AWS"} <= set(parsed.skills)


def test_image_only_pdf_has_no_extractable_text():
    with pytest.raises(ParseError) as caught:
        extract_text(image_only_pdf(), FileKind.PDF)

    assert caught.value.code == "no_extractable_text"


def test_pdf_without_text_has_no_extractable_text():
    with pytest.raises(ParseError) as caught:
        extract_text(one_column_pdf([]), FileKind.PDF)

    assert caught.value.code == "no_extractable_text"


def test_garbled_pdf_text_is_refused():
    garbage = ["\ufffd" * 30 + " abc" for _ in range(10)]
    with pytest.raises(ParseError) as caught:
        extract_text(one_column_pdf(["Nome Sobrenome", *garbage]), FileKind.PDF)

    assert caught.value.code == "no_extractable_text"


def test_truncated_pdf_is_unreadable():
    data = one_column_pdf(LINES)

    with pytest.raises(ParseError) as caught:
        extract_text(data[: len(data) // 3], FileKind.PDF)

    assert caught.value.code == "unreadable_file"


def test_not_a_pdf_is_unreadable():
    with pytest.raises(ParseError) as caught:
        extract_text(b"%PDF-1.4\n" + b"\x00garbage" * 50, FileKind.PDF)

    assert caught.value.code == "unreadable_file"


def test_a_stream_in_an_unknown_encoding_is_unreadable():
    # A damaged filter name, as a fuzzer found: pypdf raises NotImplementedError for it.
    data = one_column_pdf(LINES)
    assert b"/FlateDecode" in data

    with pytest.raises(ParseError) as caught:
        extract_text(data.replace(b"/FlateDecode", b"/FlateDecoX"), FileKind.PDF)

    assert caught.value.code == "unreadable_file"


def test_too_many_pages_is_too_complex():
    with pytest.raises(ParseError) as caught:
        extract_text(one_column_pdf(["Página"], pages=21), FileKind.PDF)

    assert caught.value.code == "file_too_complex"


def test_encrypted_pdf_is_unreadable():
    from io import BytesIO

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(BytesIO(one_column_pdf(LINES))))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    buffer = BytesIO()
    writer.write(buffer)

    with pytest.raises(ParseError) as caught:
        extract_text(buffer.getvalue(), FileKind.PDF)

    assert caught.value.code == "unreadable_file"


def _open_action(writer, kind: str) -> None:
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject(kind), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )


def _with(writer_change) -> bytes:
    from io import BytesIO

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(BytesIO(one_column_pdf(LINES))))
    writer_change(writer)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda w: _open_action(w, "/JavaScript"), id="javascript on open"),
        pytest.param(lambda w: _open_action(w, "/Launch"), id="launch on open"),
        pytest.param(lambda w: w.add_attachment("payload.exe", b"MZ..."), id="embedded file"),
    ],
)
def test_pdf_with_scripts_or_attachments_is_refused(change):
    with pytest.raises(ParseError) as caught:
        extract_text(_with(change), FileKind.PDF)
    assert caught.value.code == "unsafe_content"


def test_plain_pdf_rewritten_by_pypdf_is_still_accepted():
    assert "Maria José dos Santos" in extract_text(_with(lambda _w: None), FileKind.PDF).text
