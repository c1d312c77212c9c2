"""The one exception parsing raises: a machine-readable code plus a human reason."""

from __future__ import annotations

from typing import Final

NO_EXTRACTABLE_TEXT: Final = "no_extractable_text"
UNREADABLE_FILE: Final = "unreadable_file"
FILE_TOO_COMPLEX: Final = "file_too_complex"
UNSAFE_CONTENT: Final = "unsafe_content"

CODES: Final = frozenset({NO_EXTRACTABLE_TEXT, UNREADABLE_FILE, FILE_TOO_COMPLEX, UNSAFE_CONTENT})


class ParseError(Exception):
    """A CV file that cannot be turned into text.

    ``code`` is stable and machine-readable (the API and the consumer's retry decision
    switch on it); ``reason`` is for humans and never contains CV content.
    """

    def __init__(self, code: str, reason: str) -> None:
        if code not in CODES:
            raise ValueError(f"unknown parse error code: {code}")
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason
