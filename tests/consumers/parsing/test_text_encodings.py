"""Plain-text CVs in the encodings people save them in, and noise that is not a CV."""

import random

import pytest

from consumers.parsing.errors import ParseError
from consumers.parsing.extract import decode_text, extract_text
from consumers.parsing.parser import parse_file
from schemas.files import FileKind, sniff
from tests.consumers.parsing.samples import PT_CV


def test_utf16_with_a_bom_is_a_text_file_and_parses():
    data = PT_CV.encode("utf-16")  # with its BOM, as Notepad saves "Unicode"

    assert sniff(data[:4096], data) is FileKind.TXT
    parsed = parse_file(data, FileKind.TXT)
    assert parsed.contact.location == "São Paulo - SP"


def test_one_stray_byte_costs_one_character_not_the_whole_file():
    data = PT_CV.encode().replace(
        "Desenvolvedor Python Sênior\n".encode(), b"Desenvolvedor\xff\n", 1
    )

    text = decode_text(data)

    assert "São Paulo - SP" in text
    assert "Desenvolvedor\ufffd" in text
    parsed = parse_file(data, FileKind.TXT)
    assert {s.kind.value for s in parsed.sections} >= {"experience", "education", "skills"}


def test_a_windows_1252_file_still_decodes_as_such():
    assert "São Paulo - SP" in decode_text(PT_CV.encode("cp1252"))


def test_random_high_bytes_are_refused_as_noise():
    rng = random.Random(3)
    noise = bytes(rng.randrange(0x80, 0x100) for _ in range(5_000))

    with pytest.raises(ParseError) as caught:
        extract_text(noise, FileKind.TXT)

    assert caught.value.code == "no_extractable_text"
