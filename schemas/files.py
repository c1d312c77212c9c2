"""CV file kinds, judged by content (magic bytes), never by name or declared type."""

from __future__ import annotations

import uuid
import zipfile
import zlib
from enum import StrEnum
from io import BytesIO


class FileKind(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    TXT = "txt"
    ODT = "odt"
    RTF = "rtf"


MEDIA_TYPES: dict[FileKind, str] = {
    FileKind.PDF: "application/pdf",
    FileKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileKind.TXT: "text/plain; charset=utf-8",
    FileKind.ODT: "application/vnd.oasis.opendocument.text",
    FileKind.RTF: "application/rtf",
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
        if whole is None:
            return None
        return FileKind.DOCX if _is_docx(whole) else FileKind.ODT if _is_odt(whole) else None
    if head.lstrip().startswith(b"{\\rtf"):
        return FileKind.RTF
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


def _is_odt(data: bytes) -> bool:
    # OpenDocument puts its type, stored uncompressed, in a member named "mimetype".
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            if "content.xml" not in archive.namelist():
                return False
            with archive.open("mimetype") as member:
                return member.read(64).strip() == b"application/vnd.oasis.opendocument.text"
    except (zipfile.BadZipFile, zlib.error, KeyError, ValueError, OSError, NotImplementedError):
        return False


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
