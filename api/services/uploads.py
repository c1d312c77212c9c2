"""Upload checks: pure functions over the received bytes, judged by content."""

from __future__ import annotations

from api.services.errors import (
    EmptyFileError,
    FileTooLargeError,
    UnreadableFileError,
    UnsupportedFileTypeError,
)
from schemas.files import FileKind, sniff

_SNIFF_BYTES = 8192


def check_upload(data: bytes, max_bytes: int) -> FileKind:
    """The file's kind, or the domain error that rejects it."""
    if len(data) > max_bytes:
        raise FileTooLargeError(f"The limit is {max_bytes // (1024 * 1024)} MiB.")
    if not data.strip():
        raise EmptyFileError()
    kind = sniff(data[:_SNIFF_BYTES], data)
    if kind is None:
        raise UnsupportedFileTypeError()
    if kind is FileKind.PDF and b"%%EOF" not in data[-2048:]:
        # Truncated uploads are common on flaky mobile connections: say so at once.
        raise UnreadableFileError("The PDF is incomplete (no end-of-file marker).")
    return kind


def safe_filename(name: str | None) -> str:
    """The base name a user gave, without path parts or control characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable()).strip()
    return cleaned[:255] or "cv"
