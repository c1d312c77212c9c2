"""Contact details: name, email, phone (E.164), LinkedIn, GitHub, location."""

from __future__ import annotations

import re

from consumers.parsing.sections import heading_kind
from consumers.parsing.text import fold, strip_bullet
from consumers.parsing.vocabulary import COMPANY_WORDS, DOCUMENT_WORDS, TITLE_WORDS, UFS
from schemas.cv import Contact

# Brazilian area codes (DDD) in use.
_DDDS = frozenset(
    {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 24, 27, 28, 31, 32, 33, 34, 35, 37, 38}
    | {41, 42, 43, 44, 45, 46, 47, 48, 49, 51, 53, 54, 55, 61, 62, 63, 64, 65, 66, 67, 68}
    | {69, 71, 73, 74, 75, 77, 79, 81, 82, 83, 84, 85, 86, 87, 88, 89, 91, 92, 93, 94, 95}
    | {96, 97, 98, 99}
)
_PARTICLES = frozenset({"da", "de", "do", "das", "dos", "e", "di", "du", "del", "van", "von"})

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_SEP = r"[ \t.\-]?"
_BR_PHONE = re.compile(
    rf"(?<![\w/+])(?:\+[ \t]?55{_SEP}|55[ \t]?)?"
    rf"(?:\([ \t]?0?\d{{2}}[ \t]?\)|0?\d{{2}}){_SEP}(?:9[ \t.]?)?\d{{4}}{_SEP}\d{{4}}(?![\w/])"
)
_INTL_PHONE = re.compile(r"(?<![\w/])\+[ \t]?\d{1,3}(?:[ \t.\-]?\(?\d{1,5}\)?){2,5}(?![\w/])")
_YEAR_RANGE = re.compile(r"^(?:19|20)\d\d\s*[-–—]\s*(?:19|20)\d\d$")
_PHONE_LABEL = re.compile(r"(?:tel|cel|fone|phone|mobile|whats|contato)", re.IGNORECASE)
# Scheme and subdomain ("https://br.", "www.") do not matter: the URL is rebuilt.
_LINKEDIN = re.compile(r"linkedin\.com/in/([A-Za-z0-9_%\-]{2,100})", re.IGNORECASE)
_GITHUB = re.compile(r"(?<![\w-])github\.com/([A-Za-z0-9][A-Za-z0-9-]{0,38})", re.IGNORECASE)
_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿ"
# At most six words ("São José dos Campos" is three): unbounded, a long line of
# capitalised words is rescanned from each word (quadratic).
_CITY = (
    rf"[{_UPPER}][{_LOWER}']+(?:[ \-](?:(?:d[aeo]s?|del|d')[ \-])?[{_UPPER}][{_LOWER}']+){{0,5}}"
)
_BR_LOCATION = re.compile(
    rf"(?<![\w])({_CITY})[ \t]*(?:-|–|—|/|,)[ \t]*({'|'.join(sorted(UFS))})(?![\w])"
)
_COUNTRIES = (
    "Brasil|Brazil|Portugal|Argentina|Chile|Uruguai|Uruguay|Colômbia|Colombia|México|Mexico"
    "|Canadá|Canada|USA|EUA|Estados Unidos|United States|United Kingdom|UK|Reino Unido"
    "|Irlanda|Ireland|Alemanha|Germany|Espanha|Spain|França|France|Itália|Italy"
    "|Holanda|Netherlands|Japão|Japan|Austrália|Australia|India|Índia"
)
_CITY_COUNTRY = re.compile(rf"(?<![\w])({_CITY}),[ \t]*({_COUNTRIES})(?![\w])")
_LOCATION_LABELS = frozenset(
    {"localizacao", "endereco", "cidade", "location", "address", "residente", "local", "city"}
)
_NAME_WORD = re.compile(rf"^[{_UPPER}][{_UPPER}{_LOWER}'’.\-]*$")
_NAME_SPLIT = re.compile(r"\s+[|–—•·-]\s+|\s*[|,]\s*")
_HEADER_SPLIT = re.compile(r"\s+[|–—•·-]\s+|\s*\|\s*")
_PROSE_LINE = 70
# How far before a match its line is searched for a label or a preceding proper noun.
_LOOK_BACK = 80


def extract_contact(text: str, preamble: str | None = None) -> Contact:
    """Contact details found in a CV; the preamble (text before the first heading)
    is searched first for the name and location, then the whole text."""
    head = preamble if preamble else "\n".join(text.split("\n")[:8])
    return Contact(
        name=find_name(head),
        email=find_email(text),
        phone=find_phone(text),
        linkedin=find_linkedin(text),
        github=find_github(text),
        location=find_location(head) or find_location(text),
    )


def find_email(text: str) -> str | None:
    match = _EMAIL.search(text)
    return match.group(0).lower() if match else None


def normalize_phone(raw: str) -> str | None:
    """Return ``raw`` as E.164 ("+5511987654321"), or None when it is not a phone number.

    Numbers without a country code are taken as Brazilian and validated (area code,
    nine-digit mobiles starting with 9, landlines starting with 2-8).
    """
    text = raw.strip()
    if _YEAR_RANGE.match(text):
        return None
    digits = re.sub(r"\D", "", text)
    if text.startswith("+"):
        if digits.startswith("55"):
            national = digits[2:].lstrip("0")
            return f"+55{national}" if _is_brazilian(national) else None
        return f"+{digits}" if 8 <= len(digits) <= 15 and digits[0] != "0" else None
    if len(digits) in (12, 13) and digits.startswith("55") and _is_brazilian(digits[2:]):
        return f"+{digits}"
    national = digits[1:] if digits.startswith("0") else digits
    return f"+55{national}" if _is_brazilian(national) else None


def _is_brazilian(national: str) -> bool:
    if len(national) not in (10, 11) or int(national[:2]) not in _DDDS:
        return False
    if len(national) == 11:
        return national[2] == "9"
    return national[2] in "2345678"


_WRAPPED_DIGITS = re.compile(r"(?<=[\d)])[ \t]*\n[ \t]*(?=\d)")


def find_phone(text: str) -> str | None:
    """The CV's phone number in E.164: a labelled one ("Cel:") wins, else the first.

    When no line holds one, a number a narrow column wrapped ("+55 (27)" /
    "96072-1359") is looked for with such line breaks removed.
    """
    phone = _find_phone(text)
    if phone is None and _WRAPPED_DIGITS.search(text):
        phone = _find_phone(_WRAPPED_DIGITS.sub(" ", text))
    return phone


def _find_phone(text: str) -> str | None:
    found: list[tuple[bool, int, str]] = []
    for pattern in (_BR_PHONE, _INTL_PHONE):
        for match in pattern.finditer(text):
            phone = normalize_phone(match.group(0))
            if phone is not None:
                # The label sits just before the number; a bounded look-back keeps a
                # long line of numbers linear.
                window = max(0, match.start() - _LOOK_BACK)
                line_start = text.rfind("\n", window, match.start()) + 1 or window
                labelled = bool(_PHONE_LABEL.search(text[line_start : match.start()]))
                found.append((not labelled, match.start(), phone))
    return min(found)[2] if found else None


def find_linkedin(text: str) -> str | None:
    match = _LINKEDIN.search(text)
    if match is None:
        return None
    return f"https://www.linkedin.com/in/{match.group(1).strip('-')}"


def find_github(text: str) -> str | None:
    match = _GITHUB.search(text)
    return f"https://github.com/{match.group(1)}" if match else None


def find_location(text: str) -> str | None:
    """A Brazilian "City - UF" (normalised to that form) or a "City, Country"."""
    for pattern, joiner in ((_BR_LOCATION, " - "), (_CITY_COUNTRY, ", ")):
        for match in pattern.finditer(text):
            city = _plausible_city(text, match)
            if city:
                return f"{city}{joiner}{match.group(2)}"
    return None


_PROPER_BEFORE = re.compile(rf"[{_UPPER}][\w&.]*[ ]$")


def _plausible_city(text: str, match: re.Match[str]) -> str | None:
    # "SAP Labs, India": the match started in the middle of a longer proper noun.
    window = max(0, match.start() - _LOOK_BACK)
    line_start = text.rfind("\n", window, match.start()) + 1 or window
    if _PROPER_BEFORE.search(text[line_start : match.start()]):
        return None
    city = _drop_labels(match.group(1))
    words = {fold(w) for w in city.split()}
    # "Project Management - MS" is a skill next to a state abbreviation.
    if not city or words & (TITLE_WORDS | COMPANY_WORDS) or _mentions_skill(city):
        return None
    return city


def _mentions_skill(city: str) -> bool:
    from consumers.parsing.skills import find_skills  # skills -> sections -> contact: import late

    return bool(find_skills(city))


def _drop_labels(city: str) -> str:
    words = city.split()
    while words and fold(words[0]) in _LOCATION_LABELS:
        words = words[1:]
    return " ".join(words)


def find_name(text: str) -> str | None:
    """The first line (of the first few) that reads like a person's name, title-cased
    when written in capitals ("MARIA JOSÉ DOS SANTOS" -> "Maria José dos Santos").

    A name a narrow sidebar wrapped ("Gabriel Figueiredo de" / "Santos Dias", or
    "ANA" / "CARDOSO") is joined back with its continuation line.
    """
    lines = [strip_bullet(line) for line in text.split("\n")[:10]]
    for index, line in enumerate(lines):
        if not line or heading_kind(line) is not None:
            continue
        candidate = _NAME_SPLIT.split(line)[0].strip()
        if len(line) > _PROSE_LINE and not _HEADER_SPLIT.search(line):
            continue  # a long line cut at a comma is a sentence, not a header
        location = find_location(line)
        if location is not None and location.startswith(candidate):
            continue  # "João Pessoa – PB" is a place
        joined = _wrapped_name(candidate, line, lines[index + 1 : index + 3])
        if joined is not None:
            return _title_case(joined)
        if _looks_like_name(candidate):
            return _title_case(candidate)
    return None


def _wrapped_name(candidate: str, line: str, following: list[str]) -> str | None:
    """``candidate`` joined with the next line or two when they only continue it."""
    if candidate != line.strip():
        return None
    joined = None
    for rest in (f.strip() for f in following):
        if not _continues_name(candidate, rest):
            break
        if not _looks_like_name(f"{candidate} {rest}"):
            break
        candidate = joined = f"{candidate} {rest}"
    return joined


def _continues_name(candidate: str, rest: str) -> bool:
    words = rest.split()
    if not 1 <= len(words) <= 3 or heading_kind(rest) is not None:
        return False
    if not all(_NAME_WORD.match(w) or fold(w) in _PARTICLES for w in words):
        return False
    if words[-1] in UFS or find_location(rest) is not None:
        return False
    # The two halves are written alike (both in capitals, or neither).
    return candidate.isupper() == rest.isupper() and not _mentions_skill(rest)


def _looks_like_name(candidate: str) -> bool:
    words = candidate.split()
    if not 2 <= len(words) <= 6 or len(candidate) > 60:
        return False
    folded = [fold(w).strip(".") for w in words]
    if any(w in TITLE_WORDS or w in DOCUMENT_WORDS for w in folded):
        return False
    # Accents matter here: "Sá" is a surname, "SA" a company suffix.
    if any(w.lower().strip(".") in COMPANY_WORDS for w in words):
        return False
    real = [w for w, f in zip(words, folded, strict=True) if f not in _PARTICLES]
    if len(real) < 2:
        return False
    if candidate.islower():
        # Names are written capitalised; a lowercase line is prose (often a wrapped one).
        return False
    if candidate.isupper():
        return all(w.replace("'", "").replace("-", "").isalpha() for w in words)
    return all(_NAME_WORD.match(w) for w in real) and all(
        w.islower() for w, f in zip(words, folded, strict=True) if f in _PARTICLES
    )


def _title_case(name: str) -> str:
    if not (name.isupper() or name.islower()):
        return name
    words = []
    for index, word in enumerate(name.lower().split()):
        if index > 0 and word in _PARTICLES:
            words.append(word)
        else:
            words.append(re.sub(r"(^|[-'’])(\w)", lambda m: m.group(1) + m.group(2).upper(), word))
    return " ".join(words)
