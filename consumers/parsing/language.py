"""Is a CV written in Portuguese or English? Stopword counts settle it."""

from __future__ import annotations

import re
from typing import Literal

Language = Literal["pt", "en"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_PT = _words(
    "de da do das dos em no na nos nas para com por pelo pela uma um os as ao aos "
    "que e é não mais como sobre entre até desde também foi são está atual atualmente "
    "experiência formação habilidades competências idiomas cursos empresa anos "
    "desenvolvimento gestão análise responsável atuação projetos vendas"
)
_EN = _words(
    "the of and to in for with on at by from an is are was were as or be "
    "this that my i have has over years experience education skills languages "
    "present current work company developed managed led responsible team using"
)
_WORD = re.compile(r"[^\W\d_]+")
# Letters that only Portuguese text uses, a tie-breaker for very short texts.
_PT_LETTERS = re.compile(r"[ãõçâêôáéíóúà]", re.IGNORECASE)


def detect_language(text: str) -> Language:
    """Return "pt" or "en"; Portuguese wins ties, as most of our users write it."""
    pt = en = 0
    for word in _WORD.findall(text.lower()):
        if word in _PT:
            pt += 1
        if word in _EN:
            en += 1
    if pt == en:
        return "pt" if _PT_LETTERS.search(text) or pt == 0 else "en"
    return "pt" if pt > en else "en"
