"""DOCX files that lie about their sizes, or are honest but far bigger than a CV."""

import io
import struct
import tracemalloc
import zipfile

import pytest

from consumers.parsing.docx_text import MAX_XML_PART_BYTES, read_docx
from consumers.parsing.errors import ParseError
from tests.support.documents import docx_cv


def _rebuild(docx: bytes, document_xml: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = document_xml if info.filename == "word/document.xml" else source.read(info)
            target.writestr(info.filename, data)
    return out.getvalue()


def _declare_size(archive: bytes, name: bytes, size: int) -> bytes:
    """Rewrite the uncompressed size ``name`` declares, in its local and central headers."""
    data = bytearray(archive)
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            length = struct.unpack_from("<H", data, start + name_at - (2 if name_at == 30 else 18))[
                0
            ]
            if data[start + name_at : start + name_at + length] == name:
                struct.pack_into("<I", data, start + size_at, size)
            start += 4
    return bytes(data)


def test_a_part_that_lies_about_its_size_is_refused_without_inflating_it():
    # 64 MiB of zeros deflate to ~64 KB; the archive claims the part is 1,000 bytes.
    bomb = _declare_size(
        _rebuild(docx_cv(), b"\0" * (64 * 1024 * 1024)), b"word/document.xml", 1000
    )
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
    paragraph = b"<w:p><w:r><w:t>" + b"Python Docker SQL " * 500 + b"</w:t></w:r></w:p>"
    body = paragraph * (MAX_XML_PART_BYTES // len(paragraph) + 10)
    document = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body>" + body + b"</w:body></w:document>"
    )

    with pytest.raises(ParseError) as caught:
        read_docx(_rebuild(docx_cv(), document))

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
