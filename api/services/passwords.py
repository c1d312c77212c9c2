"""The password policy (NIST SP 800-63B): 8 to 128 characters, none of the most common.

The common list is the ranked top 30,000 leaked passwords that ship as data in the
``zxcvbn`` package (MIT), already lower-cased; the candidate is compared after NFKC and
case folding, so "PassWord1" and its full-width twin are refused like "password1".
Length is counted in code points after NFKC, so a password does not pass on
composed versus decomposed accents.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from api.services.errors import (
    PasswordTooCommonError,
    PasswordTooLongError,
    PasswordTooShortError,
)

MIN_CHARS = 8
MAX_CHARS = 128


@cache
def common_passwords() -> frozenset[str]:
    # Loaded on first use: the module is ~800 KB of source, not worth every import.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(word for word in FREQUENCY_LISTS["passwords"] if len(word) >= MIN_CHARS)


def normalise(password: str) -> str:
    return unicodedata.normalize("NFKC", password)


def check_password(password: str) -> None:
    """Raise a 422 with its own code when the password is refused."""
    normalised = normalise(password)
    if len(normalised) < MIN_CHARS:
        raise PasswordTooShortError()
    if len(normalised) > MAX_CHARS:
        raise PasswordTooLongError()
    if normalised.casefold() in common_passwords():
        raise PasswordTooCommonError()
