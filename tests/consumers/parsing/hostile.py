"""Hostile documents, built in memory: each once made a stage of the parser super-linear."""

from __future__ import annotations

import io
import random
import struct
import zipfile

from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from consumers.parsing.docx_text import MAX_XML_PART_BYTES
from tests.consumers.parsing.factories import one_column_pdf
from tests.consumers.parsing.samples import PT_CV
from tests.support.documents import docx_cv


def long_word(length: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(length))


def hostile_texts() -> dict[str, bytes]:
    """TXT files that froze the parser for tens of seconds to forever."""
    one_line = PT_CV.replace("\n", " ") + " " + "Python SQL " * 950_000
    return {
        "one 50 KB word": long_word(50_000).encode(),
        "a CV plus a 30 KB word": (PT_CV + "\n" + long_word(30_000)).encode(),
        "100 KB of phone numbers on one line": " ".join(
            ["Telefone celular (11) 98765-4321"] * 3_100
        ).encode(),
        "100 KB of capitalised words on one line": " ".join(["Ana Rio"] * 12_500).encode(),
        "a 10 MiB single line": one_line.encode(),
        "10 MiB over many lines": (PT_CV + "Python, Docker, Kubernetes e SQL\n" * 320_000).encode(),
    }


def rebuild_docx(docx: bytes, document_xml: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = document_xml if info.filename == "word/document.xml" else source.read(info)
            target.writestr(info.filename, data)
    return out.getvalue()


def declare_size(archive: bytes, name: bytes, size: int) -> bytes:
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


def docx_lying_about_its_size() -> bytes:
    """64 MiB of zeros deflate to ~64 KB; the archive claims the part is 1,000 bytes."""
    return declare_size(
        rebuild_docx(docx_cv(), b"\0" * (64 * 1024 * 1024)), b"word/document.xml", 1000
    )


def docx_honest_but_huge() -> bytes:
    paragraph = b"<w:p><w:r><w:t>" + b"Python Docker SQL " * 500 + b"</w:t></w:r></w:p>"
    body = paragraph * (MAX_XML_PART_BYTES // len(paragraph) + 10)
    document = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body>" + body + b"</w:body></w:document>"
    )
    return rebuild_docx(docx_cv(), document)


def pdf_with_an_endless_page(lines: list[str]) -> bytes:
    """7 MB of text operators in one page: pypdf would parse it for a minute."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(one_column_pdf(lines))))
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 10 Tf 72 720 Td (Python SQL Docker) Tj ET\n" * 150_000)
    writer.pages[0][NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def hostile_documents() -> dict[str, tuple[str, bytes]]:
    """Every hostile file of the parser's history: name → (file name, bytes)."""
    files = {name: ("cv.txt", data) for name, data in hostile_texts().items()}
    files["a DOCX lying about its size"] = ("cv.docx", docx_lying_about_its_size())
    files["an honest 48 MB document.xml"] = ("cv.docx", docx_honest_but_huge())
    files["a PDF page of 7 MB"] = ("cv.pdf", pdf_with_an_endless_page(["Maria Souza", "Python"]))
    return files
