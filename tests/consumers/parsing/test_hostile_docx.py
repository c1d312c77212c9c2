"""DOCX files that lie about their sizes, or are honest but far bigger than a CV."""

import io
import tracemalloc
import zipfile

import pytest

from consumers.parsing.docx_text import read_docx
from consumers.parsing.errors import ParseError
from tests.consumers.parsing.hostile import (
    docx_honest_but_huge,
    docx_lying_about_its_size,
)
from tests.support.documents import docx_cv


def test_a_part_that_lies_about_its_size_is_refused_without_inflating_it():
    bomb = docx_lying_about_its_size()
    assert zipfile.ZipFile(io.BytesIO(bomb)).getinfo("word/document.xml").file_size == 1000

    tracemalloc.start()
    try:
        with pytest.raises(ParseError) as caught:
            read_docx(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert caught.value.code in {"unreadable_file", "file_too_complex"}
    # Reading it whole would allocate the 64 MiB (Python inflates up to 2 GiB per read).
    assert peak < 16 * 1024 * 1024


def test_an_honest_but_huge_document_part_is_too_complex():
    with pytest.raises(ParseError) as caught:
        read_docx(docx_honest_but_huge())

    assert caught.value.code == "file_too_complex"


def test_a_damaged_deflate_stream_is_unreadable():
    # Found by fuzzing: corrupting the compressed bytes of a part raised zlib.error.
    archive = bytearray(docx_cv())
    info = zipfile.ZipFile(io.BytesIO(bytes(archive))).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    archive[start : start + 16] = b"\xff" * 16

    with pytest.raises(ParseError) as caught:
        read_docx(bytes(archive))

    assert caught.value.code in {"unreadable_file", "file_too_complex"}
