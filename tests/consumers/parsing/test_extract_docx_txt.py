import zipfile
from io import BytesIO

import pytest

from consumers.parsing.errors import ParseError
from consumers.parsing.extract import extract_text
from consumers.parsing.parser import parse_file
from schemas.files import FileKind
from tests.consumers.parsing.factories import add_part, cv_docx, replace_part

TXT_CV = (
    "Fernanda Costa\nRecife - PE\nfernanda@example.com\n\nRESUMO\n"
    "Vendedora com experiência em atendimento ao cliente e vendas no varejo.\n"
)


def test_docx_reads_header_body_table_and_footer_in_order():
    text = extract_text(cv_docx(), FileKind.DOCX).text
    lines = text.split("\n")

    assert lines[0] == "Carlos Pereira · carlos@example.com"
    assert "Inglês | Avançado" in lines
    assert "Espanhol | Básico" in lines
    assert lines.index("IDIOMAS") < lines.index("Inglês | Avançado") < lines.index("HABILIDADES")
    assert lines[-1] == "Rodapé do currículo"


def test_docx_reads_text_boxes_once():
    text = extract_text(cv_docx(with_textbox=True), FileKind.DOCX).text

    assert text.count("Texto na caixa") == 1


def test_docx_parses_languages_from_a_table():
    parsed = parse_file(cv_docx(), FileKind.DOCX)

    assert [(lang.language, lang.level) for lang in parsed.languages] == [
        ("Inglês", "Avançado"),
        ("Espanhol", "Básico"),
    ]
    assert parsed.contact.email == "carlos@example.com"
    assert parsed.contact.name == "Carlos Pereira"
    assert parsed.page_count >= 1


def test_docx_zip_bomb_is_refused_before_opening():
    bomb = add_part(cv_docx(), "word/media/bomb.bin", b"\0" * (60 * 1024 * 1024))

    with pytest.raises(ParseError) as caught:
        extract_text(bomb, FileKind.DOCX)

    assert caught.value.code == "file_too_complex"


def test_docx_high_compression_ratio_is_refused():
    bomb = add_part(cv_docx(), "word/media/ratio.bin", b"A" * (5 * 1024 * 1024))

    with pytest.raises(ParseError) as caught:
        extract_text(bomb, FileKind.DOCX)

    assert caught.value.code == "file_too_complex"


def test_docx_with_entity_declaration_is_refused():
    document = cv_docx()
    body = zipfile.ZipFile(BytesIO(document)).read("word/document.xml")
    evil = body.replace(
        b"?>",
        b'?><!DOCTYPE w:document [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>',
        1,
    )

    with pytest.raises(ParseError) as caught:
        extract_text(replace_part(document, "word/document.xml", evil), FileKind.DOCX)

    assert caught.value.code == "unreadable_file"


def test_docx_with_utf16_doctype_is_refused():
    document = cv_docx()
    evil = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'

    with pytest.raises(ParseError) as caught:
        extract_text(
            add_part(document, "customXml/item9.xml", evil.encode("utf-16")), FileKind.DOCX
        )

    assert caught.value.code == "unreadable_file"


def test_corrupt_docx_is_unreadable():
    data = cv_docx()

    with pytest.raises(ParseError) as caught:
        extract_text(data[: len(data) // 2], FileKind.DOCX)

    assert caught.value.code == "unreadable_file"


def test_docx_missing_document_part_is_unreadable():
    data = BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")

    with pytest.raises(ParseError) as caught:
        extract_text(data.getvalue(), FileKind.DOCX)

    assert caught.value.code == "unreadable_file"


def test_empty_docx_has_no_extractable_text():
    from docx import Document

    buffer = BytesIO()
    Document().save(buffer)

    with pytest.raises(ParseError) as caught:
        extract_text(buffer.getvalue(), FileKind.DOCX)

    assert caught.value.code == "no_extractable_text"


def test_txt_utf8_with_bom():
    extracted = extract_text(b"\xef\xbb\xbf" + TXT_CV.encode(), FileKind.TXT)

    assert extracted.text.startswith("Fernanda Costa\nRecife - PE")
    assert extracted.page_count == 1


def test_txt_falls_back_to_cp1252():
    extracted = extract_text(TXT_CV.encode("cp1252"), FileKind.TXT)

    assert "experiência" in extracted.text


def test_txt_strips_nuls_and_unifies_bullets():
    data = b"Nome\x00 Completo\r\n\r\n\r\n\r\n- item um\r\n* item dois\r\n" + TXT_CV.encode()

    text = extract_text(data, FileKind.TXT).text

    assert text.startswith("Nome Completo\n\n• item um\n• item dois\n")


def test_empty_txt_has_no_extractable_text():
    with pytest.raises(ParseError) as caught:
        extract_text(b"   \n\n  ", FileKind.TXT)

    assert caught.value.code == "no_extractable_text"


def test_parse_error_codes_are_checked():
    with pytest.raises(ValueError, match="unknown"):
        ParseError("nope", "whatever")
