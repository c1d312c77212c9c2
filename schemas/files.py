"""CV file kinds, judged by content (magic bytes), never by name or declared type."""

from __future__ import annotations

import uuid
import zipfile
from enum import StrEnum
from io import BytesIO


class FileKind(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    TXT = "txt"


MEDIA_TYPES: dict[FileKind, str] = {
    FileKind.PDF: "application/pdf",
    FileKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileKind.TXT: "text/plain; charset=utf-8",
}


def report_key(user_id: uuid.UUID, cv_id: uuid.UUID, version: int) -> str:
    """Where the PDF report of one analysis version is stored: beside the CV's file, under
    the user's prefix, so that erasing the user's files erases it too."""
    return f"cvs/{user_id}/{cv_id}/report-v{version}.pdf"


def sniff(head: bytes, whole: bytes | None = None) -> FileKind | None:
    """Return the kind of a file from its first bytes, or None when it is not one we accept.

    ``head`` is the start of the file (at least 4 KiB when available). DOCX is a zip
    archive; telling it from any other zip needs the central directory, so ``whole``
    (the complete file) is read when the head looks like a zip.
    """
    if head.startswith(b"%PDF-"):
        return FileKind.PDF
    if head.startswith(b"PK\x03\x04"):
        return FileKind.DOCX if whole is not None and _is_docx(whole) else None
    if _looks_like_text(head):
        return FileKind.TXT
    return None


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return False
    return "[Content_Types].xml" in names and "word/document.xml" in names


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 with its byte-order mark (Notepad's "Unicode"): NULs are expected.
        return _looks_like_utf16_text(head)
    if not head or b"\x00" in head:
        return False
    # A multi-byte UTF-8 sequence may be cut at the end of the head: ignore that tail.
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:
            return _looks_like_latin1_text(head)
    return True


def _looks_like_latin1_text(head: bytes) -> bool:
    # Windows-1252 / Latin-1 CVs are common in Brazil; accept them when they are printable.
    controls = sum(1 for b in head if b < 0x20 and b not in (0x09, 0x0A, 0x0D, 0x0C))
    return controls == 0


def _looks_like_utf16_text(head: bytes) -> bool:
    # An odd cut at the end of the head is not the file's fault.
    text = head[: len(head) - len(head) % 2].decode("utf-16", errors="replace").rstrip("\ufffd")
    return not any(ch == "\ufffd" or (ch < " " and ch not in "\t\n\r\f") for ch in text)
