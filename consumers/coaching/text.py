"""Folding and tokenising for the coach's matching: accents and case never matter."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[a-z0-9][a-z0-9+#.\-]*")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return [w.strip(".-") for w in _WORD.findall(fold(text)) if w.strip(".-")]


def stem(word: str) -> str:
    """A crude shared stem: enough for 'negociar'/'negociação' or 'salary'/'salaries'."""
    return word[:5] if len(word) > 5 else word


def stems(text: str) -> set[str]:
    return {stem(w) for w in words(text) if len(w) > 2}


def contains_phrase(folded_text: str, phrase: str) -> bool:
    """``phrase`` (folded) as whole words of ``folded_text``."""
    return re.search(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", folded_text) is not None
