"""ODT and RTF CVs go through the same pipeline as the other kinds."""

import io
import zipfile

import pytest

from consumers.parsing.errors import FILE_TOO_COMPLEX, UNREADABLE_FILE, ParseError
from consumers.parsing.parser import parse_file
from schemas.files import FileKind, sniff

_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
)
_BODY = """
<text:p text:style-name="Title">Mariana Lopes Ferreira</text:p>
<text:p>mariana.ferreira@example.com<text:tab/>+55 11 98765-4321</text:p>
<text:p>São Paulo - SP</text:p>
<text:h text:outline-level="1">Experiência Profissional</text:h>
<text:p>Engenheira de Dados<text:s text:c="2"/>| Nubank | mar/2021 – atual</text:p>
<text:list><text:list-item><text:p>Criei pipelines em Python e Airflow</text:p></text:list-item>
<text:list-item><text:p>Migrei relatórios para o BigQuery</text:p></text:list-item></text:list>
<text:h text:outline-level="1">Competências</text:h>
<table:table><table:table-row><table:table-cell><text:p>Python</text:p></table:table-cell>
<table:table-cell><text:p>SQL</text:p></table:table-cell></table:table-row></table:table>
<text:h text:outline-level="1">Formação</text:h>
<text:p>Bacharelado em Estatística, USP (2018)</text:p>
"""


def _odt(body: str = _BODY, *, mimetype: bytes = b"application/vnd.oasis.opendocument.text",
         content: bytes | None = None) -> bytes:  # fmt: skip
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        xml = f"<office:document-content {_NS}><office:body><office:text>{body}"
        xml += "</office:text></office:body></office:document-content>"
        archive.writestr(
            "content.xml", content if content is not None else xml.encode(), zipfile.ZIP_DEFLATED
        )
        archive.writestr("meta.xml", '<m meta:page-count="2" xmlns:meta="urn:x"/>')
    return buffer.getvalue()


_RTF = (
    (
        r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Calibri;}}"
        r"{\pict\pngblip\picw100\pich100\picwgoal1400\pichgoal1700 89504e470d0a1a0a}"
        r"\f0\fs36 Jo\'e3o Batista Moreira\par"
        r"\fs22 joao.moreira@example.com \'b7 (21) 99876-5432\par"
        r"Rio de Janeiro - RJ\par\par"
        r"{\b Experi\'eancia}\par"
        r"Analista de Sistemas | Petrobras | jan/2019 \endash  atual\par"
        r"\bullet  Automatizei relat\'f3rios com Python e SQL\par\par"
        r"{\b Habilidades}\par Java, Python, PostgreSQL\par"
        r"{\b Forma\'e7\'e3o}\par Bacharelado em Ci\'eancia da Computa\'e7\'e3o, UFRJ (2017)\par}"
    )
    .replace("\\par", "\\par\n")
    .encode("ascii")
)  # as writers do: "\\par" ends at the break


def test_an_odt_cv_is_sniffed_and_parsed_like_a_docx():
    data = _odt()

    assert sniff(data[:4096], data) is FileKind.ODT
    parsed = parse_file(data, FileKind.ODT)
    assert parsed.contact.name == "Mariana Lopes Ferreira"
    assert parsed.contact.email == "mariana.ferreira@example.com"
    assert parsed.page_count == 2
    assert [(e.title, e.company, e.start) for e in parsed.experience] == [
        ("Engenheira de Dados", "Nubank", "2021-03")
    ]
    assert parsed.experience[0].bullets == [
        "Criei pipelines em Python e Airflow",
        "Migrei relatórios para o BigQuery",
    ]
    assert {"Python", "SQL", "Airflow"} <= set(parsed.skills)


def test_an_rtf_cv_is_sniffed_and_parsed_with_its_accents_and_photo():
    assert sniff(_RTF[:4096], _RTF) is FileKind.RTF
    parsed = parse_file(_RTF, FileKind.RTF)

    assert parsed.contact.name == "João Batista Moreira"
    assert parsed.contact.email == "joao.moreira@example.com"
    assert [(e.title, e.company, e.start) for e in parsed.experience] == [
        ("Analista de Sistemas", "Petrobras", "2019-01")
    ]
    assert {"Java", "Python", "PostgreSQL"} <= set(parsed.skills)
    assert "89504e47" not in parsed.text
    assert "photo" in parsed.personal_data


def test_a_zip_that_is_neither_docx_nor_odt_is_refused_by_the_sniffer():
    data = _odt(mimetype=b"application/vnd.oasis.opendocument.spreadsheet")

    assert sniff(data[:4096], data) is None


def test_an_odt_declaring_entities_is_refused():
    content = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><office:document-content/>'
    )

    with pytest.raises(ParseError) as raised:
        parse_file(_odt(content=content), FileKind.ODT)
    assert raised.value.code == UNREADABLE_FILE


def test_an_odt_decompression_bomb_is_refused():
    content = b"<office:document-content>" + b" " * (60 * 1024 * 1024)

    with pytest.raises(ParseError) as raised:
        parse_file(_odt(content=content), FileKind.ODT)
    assert raised.value.code == FILE_TOO_COMPLEX


def test_a_broken_rtf_is_unreadable_not_a_crash():
    with pytest.raises(ParseError):
        parse_file(b"{\\rtf1 " + b"{" * 5000, FileKind.RTF)


def test_personal_data_in_an_odt_is_flagged_and_never_copied_into_the_analysis():
    from consumers.scoring.analyser import analyse

    body = _BODY.replace(
        "<text:p>São Paulo - SP</text:p>",
        "<text:p>São Paulo - SP</text:p><text:p>Brasileira, casada, 41 anos</text:p>"
        "<text:p>RG: 12.345.678-9 · CPF: 542.735.574-37</text:p>"
        "<text:p>Data de nascimento: 12/03/1984</text:p>",
    )
    parsed = parse_file(_odt(body), FileKind.ODT)

    assert set(parsed.personal_data) >= {"cpf", "rg", "birth_date", "age", "marital_status"}
    analysis = analyse(parsed)
    assert any("CPF" in s.message and "RG" in s.message for s in analysis.suggestions)
    dumped = analysis.model_dump_json()
    for value in ("12.345.678-9", "542.735.574-37", "12/03/1984", "41 anos", "casada"):
        assert value not in dumped
