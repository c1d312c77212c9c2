"""Which language to answer in: the message's, else the profile's."""

from __future__ import annotations

from consumers.coaching.text import words

PT, EN = "pt-BR", "en"

_PT = frozenset(
    [
        "que",
        "nao",
        "com",
        "para",
        "uma",
        "um",
        "meu",
        "minha",
        "voce",
        "como",
        "por",
        "mais",
        "sobre",
        "isso",
        "esse",
        "essa",
        "ser",
        "tem",
        "posso",
        "fazer",
        "qual",
        "quais",
        "seu",
        "sua",
        "dos",
        "das",
        "nos",
        "nas",
        "pra",
        "estou",
        "tenho",
        "quero",
        "preciso",
        "entrevista",
        "curriculo",
        "vaga",
        "salario",
        "ajuda",
        "ajudar",
        "melhorar",
        "obrigado",
        "ola",
        "oi",
        "bom",
        "dia",
        "tarde",
        "noite",
        "eu",
        "trabalhei",
        "fiz",
        "tambem",
        "muito",
        "quando",
        "onde",
        "porque",
        "entao",
        "ainda",
        "ja",
        "foi",
        "era",
        "sao",
        "esta",
    ]
)
_EN = frozenset(
    [
        "the",
        "and",
        "with",
        "for",
        "you",
        "your",
        "how",
        "what",
        "which",
        "can",
        "could",
        "should",
        "would",
        "about",
        "this",
        "that",
        "is",
        "are",
        "my",
        "me",
        "i",
        "to",
        "of",
        "in",
        "it",
        "do",
        "does",
        "have",
        "has",
        "want",
        "need",
        "interview",
        "resume",
        "job",
        "salary",
        "help",
        "improve",
        "thanks",
        "hello",
        "hi",
        "please",
        "when",
        "where",
        "why",
        "was",
        "were",
        "did",
        "tell",
        "give",
        "write",
    ]
)
_PT_MARKS = frozenset("ãõçêâôáéíóú")


def normalise_locale(locale: str | None) -> str:
    return EN if (locale or "").lower().startswith("en") else PT


def detect(text: str, fallback: str | None) -> str:
    """pt-BR or en from the message's words; too little to tell: the profile locale."""
    tokens = words(text)
    pt = sum(1 for t in tokens if t in _PT)
    en = sum(1 for t in tokens if t in _EN)
    # Accented letters are Portuguese's, rarely English's (a quoted CV line aside).
    pt += min(3, sum(1 for c in text.lower() if c in _PT_MARKS))
    if pt > en:
        return PT
    if en > pt:
        return EN
    return normalise_locale(fallback)
