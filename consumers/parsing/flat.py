"""CV text that arrives without its line breaks, given back some structure.

Some exporters (and some copy-pastes) flatten a CV onto one line, or into a paragraph
wrapped at the page width: the headings, the name and the entries are all there, but
nothing the line-based parsers rely on is. ``unflatten`` puts breaks back where the text
itself says one was: before and after a known section heading written as a heading
(capitalised, not inside a sentence), before each bullet, and after the name the text
opens with. Everything is a single pass over the words, so the cost is linear.
"""

from __future__ import annotations

import re

from consumers.parsing.dates import find_date_range
from consumers.parsing.sections import WEAK_HEADINGS, heading_kind
from consumers.parsing.text import BULLET, fold
from consumers.parsing.vocabulary import DOCUMENT_WORDS, TITLE_QUALIFIERS, TITLE_WORDS

_MIN_FLAT_CHARS = 300
_SHORT_LINE = 45
_MAX_HEADING_WORDS = 4
_MAX_NAME_WORDS = 4
_NAME_SEARCH_WORDS = 14
_WORD = re.compile(r"\S+")
_NAME_PARTICLES = frozenset({"da", "de", "do", "das", "dos", "e", "di", "del", "van", "von"})
_HEADING_JOINERS = frozenset({"e", "and", "&", "/", "de", "of", "do", "da"})
# A capitalised heading word after one of these is part of a sentence ("trained in Sales").
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "in",
        "on",
        "of",
        "for",
        "with",
        "and",
        "to",
        "at",
        "by",
        "em",
        "de",
        "do",
        "da",
        "dos",
        "das",
        "no",
        "na",
        "com",
        "para",
        "por",
        "e",
        "o",
        "os",
        "as",
        "um",
        "uma",
        "sobre",
    ]
)
_NOT_NAME = DOCUMENT_WORDS | frozenset(
    [
        "template",
        "sample",
        "examples",
        "example",
        "resume",
        "cv",
        "curriculum",
        "vitae",
        "road",
        "street",
        "st",
        "ave",
        "avenue",
        "rua",
        "av",
        "avenida",
        "contact",
        "contato",
        "phone",
        "email",
    ]
)


def is_flattened(text: str) -> bool:
    """A long text with (almost) no short lines: no headings, names or dates on their own."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(text) < _MIN_FLAT_CHARS or not lines:
        return False
    if len(lines) <= 3:
        return True
    short = sum(1 for line in lines if len(line) < _SHORT_LINE)
    return short / len(lines) < 0.12


def unflatten(text: str) -> str:
    """``text`` with line breaks put back at headings, bullets and after the name."""
    # Flattened text often comes out of a spreadsheet cell, quoted.
    words = [m.group(0) for m in _WORD.finditer(text.strip().lstrip('"“'))]
    breaks_before: set[int] = set()
    breaks_after: set[int] = set()
    name = _leading_name(words)
    if name is not None:
        start, end = name
        breaks_before.add(start)
        breaks_after.add(end - 1)
    index = 0
    # Where the body of the current entry (a bullet, or the text after its dates)
    # started; -1 outside one. An entry's header is looked for only past a heading.
    body = -1
    floor = -1
    while index < len(words):
        word = words[index]
        if word.startswith(BULLET) or (word in _DASHES and not _joins_dates(words, index)):
            breaks_before.add(index)
            body = index
            index += 1
            continue
        if floor >= 0 and (body < 0 or index - body > 2) and _entry_starts(words, index):
            # The body of an entry (its last bullet, or sentences whose markers the
            # export dropped) runs into the next entry's title and dates; the title may
            # open with words that are not title words ("Lead Software Engineer",
            # "Natura &Co" before the dates): step back over capitalised ones.
            if body >= 0:
                breaks_before.add(_header_start(words, index, body + 2))
            body = _dates_at(words, index)
        length = _heading_at(words, index)
        if length:
            breaks_before.add(index)
            breaks_after.add(index + length - 1)
            index += length
            body, floor = -1, index
            continue
        index += 1
    out: list[str] = []
    for index, word in enumerate(words):
        if index in breaks_before and out and out[-1] != "\n":
            out.append("\n")
        elif out and out[-1] != "\n":
            out.append(" ")
        out.append(BULLET if word in _DASHES and index in breaks_before else word)
        if index in breaks_after:
            out.append("\n")
    return "".join(out).strip()


_YEAR = re.compile(r"(?:19|20)\d\d")
# "—" joins "Company — Title" far more often than it opens a bullet.
_DASHES = frozenset({"-", "–", "▪", "►"})


def _joins_dates(words: list[str], index: int) -> bool:
    """A dash between two dates ("August 2023 – Present") joins a range; it is not the
    marker of a bullet."""
    if words[index] not in ("-", "–", "—") or index == 0 or index + 1 >= len(words):
        return False
    before = words[index - 1]
    after = " ".join(words[index + 1 : index + 4])
    ends_date = bool(re.search(r"(?:\d{4}|/\d\d|'\d\d)\W*$", before))
    if not ends_date:
        return False
    # The range must reach past the dash: "dez/16 – Reduzi o tempo" is a date, then a bullet.
    found = find_date_range(f"{before} - {after}")
    return found is not None and found.span[1] > len(before) + 3


_ENTRY_LOOKAHEAD = 12


def _entry_starts(words: list[str], index: int) -> bool:
    """A capitalised job-title word, not inside a phrase, with a year a few words on."""
    word = words[index]
    if not word[:1].isupper() or fold(word).strip(".,") not in TITLE_WORDS or index == 0:
        return False
    if (
        fold(words[index - 1]) in _FUNCTION_WORDS
        or fold(words[index - 1]).strip(".") in TITLE_WORDS
    ):
        return False
    ahead = words[index + 1 : index + 1 + _ENTRY_LOOKAHEAD]
    if any(w.startswith(BULLET) for w in ahead[:3]):
        return False
    return any(_YEAR.search(w) for w in ahead) or find_date_range(" ".join(ahead)) is not None


def _dates_at(words: list[str], index: int) -> int:
    """Where the dates of the header whose title is at ``index`` are (their first year, or
    the end of the lookahead): the entry's body starts past them."""
    for offset, word in enumerate(words[index + 1 : index + 1 + _ENTRY_LOOKAHEAD], 1):
        if _YEAR.search(word):
            return index + offset
    return min(index + _ENTRY_LOOKAHEAD, len(words) - 1)


_HEADER_BACK = 3
_HEADER_LINKS = frozenset({"de", "da", "do", "dos", "das", "of", "&", "—", "–", "|", "@", "at"})
# English titles put their qualifiers first ("UX Designer", "Data Engineer"), and a
# qualifier may be a skill's name; Portuguese ones follow the noun ("Engenheiro de Dados").
_ENGLISH_TITLE_NOUNS = frozenset(
    {"designer", "engineer", "developer", "analyst", "manager", "coordinator", "director",
     "assistant", "consultant", "specialist", "architect", "scientist", "administrator",
     "accountant", "programmer", "technician", "buyer", "planner", "recruiter", "controller",
     "supervisor", "lead", "officer", "writer", "editor", "researcher"}
)  # fmt: skip


def _is_skill(word: str) -> bool:
    # A bullet often ends on a tool ("... com ETL"): that is not the next title's first word.
    from consumers.parsing.skills import find_skills  # skills -> sections: import late

    return bool(find_skills(word))


def _header_start(words: list[str], index: int, floor: int) -> int:
    start = index
    english = fold(words[index]).strip(".,") in _ENGLISH_TITLE_NOUNS
    while start > floor and index - start < _HEADER_BACK:
        word = words[start - 1]
        # "Vivo (Telefônica)": a company's parenthesis is part of its name.
        aside = word.startswith("(") and word[1:2].isupper()
        if word[-1:] in ".,;:!?)" and fold(word).strip(".") not in TITLE_WORDS and not aside:
            break
        if not (word[:1].isupper() or aside or fold(word) in _HEADER_LINKS):
            break
        if _is_skill(word) and not (english and start == index):
            break
        if start < index and not _is_skill(words[start]) and _is_skill(f"{word} {words[start]}"):
            # "... com Process Improvement Compradora III": a two-word tool ends the bullet.
            start += 1
            break
        start -= 1
    if start < index and start > 0 and fold(words[start - 1]) in _FUNCTION_WORDS:
        # "with Supply Chain", "para Vivo": the capitalised words are the sentence's object.
        start = index
    while start < index and fold(words[start]) in _HEADER_LINKS:
        start += 1
    return start


def _heading_at(words: list[str], index: int) -> int:
    """How many words from ``index`` form a section heading written as one (0: none)."""
    if index and fold(words[index - 1]) in _FUNCTION_WORDS:
        return 0
    for length in range(min(_MAX_HEADING_WORDS, len(words) - index), 0, -1):
        phrase = words[index : index + length]
        if not _capitalised(phrase):
            continue
        text = " ".join(phrase)
        if heading_kind(text) is None:
            continue
        key = fold(text).rstrip(":")
        plain = not (text.isupper() or text.endswith(":"))
        # One-word label-like headings ("Tools", "Profile") only in capitals or with a colon.
        if length == 1 and key in WEAK_HEADINGS and plain:
            continue
        if plain and _ends_company(words, index, length):
            continue
        return length
    return 0


_HEADER_SEPARATORS = frozenset({"|", "·", "•", "—", "–", "-", ","})


def _ends_company(words: list[str], index: int, length: int) -> bool:
    """ "Analista Sênior Arco Educação fev/23 – set/24": a heading's words after a
    capitalised word and right before dates end a company's name in an entry header."""
    if index == 0 or not words[index - 1][:1].isupper() or words[index - 1][-1:] in ".:;!?":
        return False
    after = words[index + length : index + length + 5]
    while after and after[0] in _HEADER_SEPARATORS:
        after = after[1:]
    if not after:
        return False
    found = find_date_range(" ".join(after))
    return found is not None and found.span[0] == 0


def _capitalised(words: list[str]) -> bool:
    if fold(words[-1]).rstrip(":") in _HEADING_JOINERS:
        return False
    return all(w[:1].isupper() or fold(w) in _HEADING_JOINERS for w in words)


def _leading_name(words: list[str]) -> tuple[int, int] | None:
    """(start, end) of the run of words at the opening that reads as a person's name."""
    from consumers.parsing.contact import looks_like_name  # contact -> sections: import late

    index = 0
    limit = min(len(words), _NAME_SEARCH_WORDS)
    while index < limit:
        end = _name_run(words, index)
        if end - index >= 2 and looks_like_name(" ".join(words[index:end])):
            return index, end
        index = max(end, index + 1)
    return None


def _name_run(words: list[str], start: int) -> int:
    """End of the run of name-like words from ``start``, written in one case."""
    first = words[start]
    if not first[:1].isupper() or not first.isalpha() or fold(first) in _NOT_NAME:
        return start + 1
    upper = first.isupper()
    end = start + 1
    real = 1
    while end < len(words) and real < _MAX_NAME_WORDS:
        word = words[end]
        folded = fold(word).strip(".,")
        if folded in _NAME_PARTICLES and not upper:
            end += 1
            continue
        if not word[:1].isupper() or word.isupper() != upper or folded in _NOT_NAME:
            break
        if folded in TITLE_WORDS:
            # "Kevin Brooks Graphic Designer": a title's front qualifier goes with it.
            if end - start >= 3 and fold(words[end - 1]) in TITLE_QUALIFIERS:
                end -= 1
            break
        if not word.replace("-", "").replace("'", "").isalpha():
            break
        if heading_kind(word) is not None:
            break
        end += 1
        real += 1
    while end > start and fold(words[end - 1]) in _NAME_PARTICLES:
        end -= 1
    return end
