"""Rewritten examples of experience bullets that never invent facts.

A weak opener ("Responsável por gerenciar…") becomes an action verb ("Gerenciei…") only
when the bullet itself names the action; otherwise a placeholder asks for it. A missing
result becomes a placeholder ("[X%]"), never a number.
"""

from __future__ import annotations

import re

from consumers.scoring.text import strip_bullet

_PT_IRREGULAR: dict[str, str] = {
    "fazer": "fiz", "ter": "tive", "manter": "mantive", "obter": "obtive", "propor": "propus",
    "compor": "compus", "dispor": "dispus", "trazer": "trouxe", "ser": "fui", "ir": "fui",
    "estar": "estive", "ver": "vi", "vir": "vim", "por": "pus", "pôr": "pus", "poder": "pude",
    "saber": "soube", "dizer": "disse", "prover": "provi", "requerer": "requeri",
}  # fmt: skip
_EN_IRREGULAR: dict[str, str] = {
    "leading": "led", "building": "built", "running": "ran", "writing": "wrote",
    "making": "made", "selling": "sold", "teaching": "taught", "overseeing": "oversaw",
    "driving": "drove", "doing": "did", "taking": "took", "giving": "gave",
    "bringing": "brought", "setting": "set", "cutting": "cut", "getting": "got",
    "keeping": "kept", "growing": "grew", "winning": "won", "finding": "found",
    "holding": "held", "meeting": "met", "sending": "sent", "spending": "spent",
    "understanding": "understood", "seeing": "saw", "choosing": "chose", "buying": "bought",
}  # fmt: skip

# Openers after which the bullet names what the person owned (rewrite its verb).
_OWNERSHIP_PT = ("fui responsavel por", "responsavel por", "responsaveis por",
                 "responsabilidade por", "responsabilidades:", "atividades:", "funcoes:",
                 "tarefas:", "encarregado", "encarregada")  # fmt: skip
_OWNERSHIP_EN = ("was responsible for", "responsible for", "responsibilities included",
                 "responsibilities:", "in charge of", "duties included", "duties:",
                 "tasks included", "tasks:", "tasked with")  # fmt: skip
_PT_ARTICLES = {"pela": "a", "pelo": "o", "pelas": "as", "pelos": "os"}
_LEADING_LINK_RE = re.compile(r"^(?:a|em|de|com|to|with|in|on)\s+", re.IGNORECASE)
_PT_INFINITIVE_RE = re.compile(r"^[a-zà-ü]{2,}(?:ar|er|ir|or|ôr)$")

PLACEHOLDER = {
    "pt": {
        "verb": "[Verbo de ação, ex.: Liderei/Conduzi]",
        "part": "[Verbo que mostre a sua parte, ex.: Implementei/Analisei]",
        "result": ", resultando em [X%] de [métrica, ex.: redução de custos]",
        "own_part": " ([especifique a sua parte])",
    },
    "en": {
        "verb": "[Action verb, e.g. Led/Managed]",
        "part": "[Verb showing your part, e.g. Built/Analysed]",
        "result": ", resulting in [X%] [metric, e.g. lower costs]",
        "own_part": " ([your specific part])",
    },
}


def pt_past(infinitive: str) -> str | None:
    """First person past of a Portuguese infinitive ("gerenciar" -> "gerenciei")."""
    verb = infinitive.lower()
    if verb in _PT_IRREGULAR:
        return _PT_IRREGULAR[verb]
    if not _PT_INFINITIVE_RE.match(verb):
        return None
    stem, ending = verb[:-2], verb[-2:]
    if ending == "ar":
        # Spelling keeps the sound: buscar -> busquei, entregar -> entreguei.
        if stem.endswith("c"):
            return stem[:-1] + "quei"
        if stem.endswith("g"):
            return stem + "uei"
        if stem.endswith("ç"):
            return stem[:-1] + "cei"
        return stem + "ei"
    if ending == "ir" and stem.endswith("u"):
        return stem + "í"  # construir -> construí
    if ending in ("er", "ir"):
        return stem + "i"
    return None


def en_past(gerund: str) -> str | None:
    """Past tense from an English gerund ("managing" -> "managed")."""
    word = gerund.lower()
    if word in _EN_IRREGULAR:
        return _EN_IRREGULAR[word]
    if not word.endswith("ing") or len(word) < 6:
        return None
    stem = word[:-3]
    if stem.endswith("e"):
        return stem + "d"
    if stem.endswith("y") and stem[-2:-1] not in "aeiou":
        return stem[:-1] + "ied"
    return stem + "ed"


def _split_words(text: str, count: int) -> str:
    parts = text.split(maxsplit=count)
    return parts[count] if len(parts) > count else ""


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_first(text: str) -> str:
    # Keep acronyms ("SAP", "ERP") as they are.
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def rewrite_opener(bullet: str, opener: str, lang: str) -> str:
    """The bullet with its weak opener replaced by an action verb or a placeholder."""
    holders = PLACEHOLDER[lang]
    rest = _split_words(strip_bullet(bullet), len(opener.split()))
    if not rest:
        return holders["verb"]
    article = _PT_ARTICLES.get(opener.rsplit(" ", 1)[-1])
    if lang == "pt" and article:  # "Responsável pela gestão" names a duty, not an action
        return f"{holders['verb']} {article} {rest}"
    head, _, tail = rest.partition(" ")
    ownership = opener in (_OWNERSHIP_PT if lang == "pt" else _OWNERSHIP_EN)
    if not ownership:
        rest = _LEADING_LINK_RE.sub("", rest, count=1)
        head, _, tail = rest.partition(" ")
    past = pt_past(head) if lang == "pt" else en_past(head)
    if past is None:
        return f"{holders['verb' if ownership else 'part']} {_lower_first(rest)}"
    rewritten = f"{_capitalise(past)} {tail}".strip()
    return rewritten if ownership else rewritten.rstrip(".;") + holders["own_part"]


def improve_bullet(bullet: str, lang: str, *, weak_opener: str | None, quantified: bool) -> str:
    """An example rewrite of ``bullet``: action verb first, result as a placeholder."""
    text = strip_bullet(bullet)
    if weak_opener:
        text = rewrite_opener(text, weak_opener, lang)
    if not quantified:
        text = text.rstrip(" .;") + PLACEHOLDER[lang]["result"]
    return _capitalise(text)
