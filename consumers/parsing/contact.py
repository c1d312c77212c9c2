"""Contact details: name, email, phones (E.164 where the region is known), LinkedIn,
GitHub, location."""

from __future__ import annotations

import re

from consumers.parsing import phones
from consumers.parsing.sections import heading_kind
from consumers.parsing.text import fold, strip_bullet
from consumers.parsing.vocabulary import (
    COMPANY_WORDS,
    DOCUMENT_WORDS,
    TITLE_QUALIFIERS,
    TITLE_WORDS,
    UFS,
)
from schemas.cv import Contact, PhoneNumber

_PARTICLES = frozenset({"da", "de", "do", "das", "dos", "e", "di", "du", "del", "van", "von"})

# An apostrophe is legal inside the local part and common in Irish and Italian surnames
# ("maria.o'connell@..."); only inside it, so a quoted address keeps its quotes out.
_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+(?:['’][\w.+-]+)*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
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
# "Austin, TX", "Toronto, ON": tried after the Brazilian form, which claims shared codes.
_CITY_STATE = re.compile(
    rf"(?<![\w])({_CITY}),[ \t]*({'|'.join(sorted(phones.US_STATES | phones.CA_PROVINCES))})(?![\w])"
)
_LOCATION_LABELS = frozenset(
    {"localizacao", "endereco", "cidade", "location", "address", "residente", "local", "city"}
)
_NAME_WORD = re.compile(rf"^[{_UPPER}][{_UPPER}{_LOWER}'’.\-]*$")
_NAME_SPLIT = re.compile(r"\s+[|–—•·-]\s+|\s*[|,]\s*")
_HEADER_SPLIT = re.compile(r"\s+[|–—•·-]\s+|\s*\|\s*")
_PROSE_LINE = 70
# How far before a match its line is searched for a label or a preceding proper noun.
_LOOK_BACK = 80


def extract_contact(
    text: str,
    preamble: str | None = None,
    language: str = "pt",
    prominent: tuple[str, ...] = (),
) -> Contact:
    """Contact details found in a CV; the preamble (text before the first heading)
    is searched first for the name and location, then the whole text. National phone
    numbers are read in the region the location, the other numbers or the language
    (``pt``: Brazil) point to; with none, they keep their national form. The name is
    looked for first among the ``prominent`` lines (set apart by type)."""
    head = preamble if preamble else "\n".join(text.split("\n")[:8])
    american = _reads_american(text, language)
    location = find_location(head, american=american) or find_location(text, american=american)
    numbers = _contact_phones(text, location, language)
    return Contact(
        name=find_prominent_name(prominent)
        or find_name(head)
        or find_labelled_name(text)
        or find_name_before_contact(text),
        email=find_email(text),
        phone=numbers[0].number if numbers else None,
        phone_region=numbers[0].region if numbers else None,
        phones=numbers,
        linkedin=find_linkedin(text),
        github=find_github(text),
        location=location,
    )


def find_email(text: str) -> str | None:
    match = _EMAIL.search(text)
    # The typographic apostrophe is how word processors write the ASCII one.
    return match.group(0).replace("’", "'").lower() if match else None


def normalize_phone(raw: str, region: str | None = "BR") -> str | None:
    """Return ``raw`` as E.164 ("+5511987654321"), or None when it is not a phone number.

    Numbers without a country code are read in ``region`` (Brazil unless told otherwise).
    """
    return phones.normalize(raw, region)


_WRAPPED_DIGITS = re.compile(r"(?<=[\d)])[ \t]*\n[ \t]*(?=\d)")


def find_phone(text: str, region: str | None = "BR") -> str | None:
    """The CV's main phone number: a labelled one ("Cel:") wins, else the first."""
    found = find_phones(text, region)
    return found[0].number if found else None


def find_phones(text: str, region: str | None, language: str = "") -> list[PhoneNumber]:
    """Every number, in text order. When no line holds one, a number a narrow column
    wrapped ("+55 (27)" / "96072-1359") is looked for with such line breaks removed."""
    found = phones.find_phones(text, region, language=language)
    if _WRAPPED_DIGITS.search(text):
        joined = phones.find_phones(_WRAPPED_DIGITS.sub(" ", text), region, language=language)
        if _sure(joined) > _sure(found):
            found = joined
    labelled = [p for p in found if p.labelled]
    ordered = labelled[:1] + [p for p in found if p not in labelled[:1]]
    return [PhoneNumber(number=p.number, region=p.region) for p in ordered]


def _sure(found: list[phones.FoundPhone]) -> int:
    return sum(1 for p in found if p.region and not p.foreign)


def _contact_phones(text: str, location: str | None, language: str) -> list[PhoneNumber]:
    # Numbers with a country code say where the others may be from; then read them all.
    international = [p.region for p in phones.find_phones(text, None, international_only=True)]
    region = phones.infer_region(location, language, list(international))
    return find_phones(text, region, language)


def find_linkedin(text: str) -> str | None:
    match = _LINKEDIN.search(text)
    if match is None:
        return None
    return f"https://www.linkedin.com/in/{match.group(1).strip('-')}"


def find_github(text: str) -> str | None:
    match = _GITHUB.search(text)
    return f"https://github.com/{match.group(1)}" if match else None


_BRAZIL_MARK = re.compile(r"\+\s?55\b|\bBras[il]l?\b|\bBrazil\b", re.IGNORECASE)
_AMERICAN_PHONE = re.compile(r"(?<![\d+])\+\s?1[\s.(-]*\d{3}")


def _reads_american(text: str, language: str) -> bool:
    """Whether "Boston, MA" is more likely Massachusetts than Maranhão: an English CV (or
    one with a +1 number) that nowhere points to Brazil."""
    if _BRAZIL_MARK.search(text):
        return False
    return language == "en" or bool(_AMERICAN_PHONE.search(text))


def find_location(text: str, *, american: bool = False) -> str | None:
    """A Brazilian "City - UF" (normalised to that form), a "City, Country" or a North
    American "City, ST". With ``american``, "City, ST" with a code both countries use
    (MA, PA, SC, AL, MS, MT) is read as the US state."""
    for pattern, joiner in ((_BR_LOCATION, " - "), (_CITY_COUNTRY, ", "), (_CITY_STATE, ", ")):
        for match in pattern.finditer(text):
            if (
                american
                and pattern is _BR_LOCATION
                and "," in match.group(0)
                and match.group(2) in phones.US_STATES
            ):
                continue
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


def find_prominent_name(prominent: tuple[str, ...]) -> str | None:
    """The first of the lines set apart by type that reads like a person's name."""
    for line in prominent:
        line = strip_bullet(line)
        if heading_kind(line) is not None or len(line) > _PROSE_LINE:
            continue
        candidate = _NAME_SPLIT.split(line)[0].strip()
        location = find_location(line)
        if location is not None and location.startswith(candidate):
            continue
        if candidate.split() and fold(candidate.split()[-1]) in _PARTICLES:
            # "Murilo Damasceno de": a name wrapped over three lines; the rest is the
            # prominent line that starts where this one ends ("Damasceno de Vasconcelos").
            candidate = _continued(candidate, prominent)
        if _looks_like_name(candidate):
            return _title_case(candidate)
    return None


def _continued(candidate: str, prominent: tuple[str, ...]) -> str:
    words = candidate.split()
    for other in prominent:
        tail = other.split()
        for overlap in range(len(words) - 1, 0, -1):
            if tail[:overlap] == words[-overlap:] and len(tail) > overlap:
                return " ".join(words + tail[overlap:])
    return candidate


def find_name(text: str) -> str | None:
    """The first line (of the first few) that reads like a person's name, title-cased
    when written in capitals ("MARIA JOSÉ DOS SANTOS" -> "Maria José dos Santos").

    A name a narrow sidebar wrapped ("Gabriel Figueiredo de" / "Santos Dias", or
    "ANA" / "CARDOSO") is joined back with its continuation line.
    """
    lines = [strip_bullet(line) for line in text.split("\n")[:10]]
    first = next((index for index, line in enumerate(lines) if line), None)
    for index, line in enumerate(lines):
        if not line or heading_kind(line) is not None:
            continue
        candidate = _NAME_SPLIT.split(line)[0].strip()
        if index == first and not _looks_like_name(candidate):
            # A CV opens with the name, even when its first line runs on past it.
            opening = leading_name(line)
            if opening is not None:
                return opening
        elif (
            index == first and len(line) > _PROSE_LINE and _CREDENTIALS.match(line, len(candidate))
        ):
            return _title_case(candidate)  # "Hal Schmeler, MS (CS), PMP 232 Olive Ave ..."
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


# Words of a template's placeholders and of the lines around a name ("Your Name", "Client
# Name", "Phone Number", "Last Updated"), and the address and school words that follow a
# name on a run-on first line: never part of a person's name.
_NOT_NAME_WORDS = frozenset(
    [
        "name",
        "nome",
        "your",
        "seu",
        "sua",
        "sample",
        "example",
        "examples",
        "template",
        "modelo",
        "exemplo",
        "number",
        "numero",
        "phone",
        "telefone",
        "email",
        "e-mail",
        "mail",
        "address",
        "endereco",
        "updated",
        "contact",
        "contato",
        "seeker",
        "applicant",
        "candidate",
        "candidato",
        "candidata",
        "street",
        "st",
        "road",
        "ave",
        "avenue",
        "rua",
        "av",
        "avenida",
        "university",
        "universidade",
        "college",
        "faculdade",
        "school",
        "escola",
        "institute",
        "instituto",
        "drive",
        "lane",
        "room",
        "suite",
        "floor",
        "apt",
    ]
)
_MAX_LEADING_WORDS = 4


def leading_name(line: str) -> str | None:
    """The person's name that opens a run-on line ("Allen Neal King ESB Integration
    Developer - Cisco", "Hal Doyle 123 Main St."): the capitalised words at its start, up
    to the first word that cannot be part of a name (a digit, an address, an acronym
    after a name in mixed case, a job title, a heading), when they read like a name.

    A title's front qualifier ("Kevin Brooks Graphic Designer") is left to the title."""
    words = strip_bullet(line).split()
    run: list[str] = []
    stopped_by_title = False
    upper = bool(words) and words[0].isupper()
    for word in words:
        bare = word.rstrip(",;:")
        folded = fold(bare).strip(".")
        if folded in _PARTICLES and run and not upper and bare.islower():
            run.append(bare)
            continue
        if not _NAME_WORD.match(bare) or bare.isupper() != upper:
            break
        if folded in TITLE_WORDS:
            stopped_by_title = True
            break
        if folded in _NOT_NAME_WORDS or folded in DOCUMENT_WORDS or folded in COMPANY_WORDS:
            break
        if heading_kind(bare) is not None:
            break
        run.append(bare)
        if bare != word or len(run) == _MAX_LEADING_WORDS:
            break  # "Hal Schmeler, MS (CS)": a comma closes the name
    while run and (fold(run[-1]) in _PARTICLES or len(run[-1]) == 1):
        run.pop()  # a bare letter after a name is an icon's glyph, not an initial
    if len(run) >= 3 and stopped_by_title and fold(run[-1]) in TITLE_QUALIFIERS:
        run.pop()
    candidate = " ".join(run)
    if len(run) < 2 or heading_kind(candidate) is not None or not _looks_like_name(candidate):
        return None
    return _title_case(candidate)


# What opens a contact block: an email, a phone, or a street number before a street name
# (a year is a date, not an address).
_CONTACT_TOKEN = re.compile(r"@|^[(+]\d|^\d{3}[-.)]\d{3}")
_STREET_NUMBER = re.compile(r"^\d{1,6}$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_MONTHS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "may",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "janeiro",
        "fevereiro",
        "marco",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ]
)
_CONTACT_SEARCH_WORDS = 40
_MAX_ANCHORED_WORDS = 3


def find_name_before_contact(text: str) -> str | None:
    """A name written just before the contact block ("... Resume Example - Experienced
    Teacher Rudolph Adams 1640 Maple Street"): the capitalised words right before the
    first street number, phone or email they precede, when they read like a name.

    The last resort for text whose opening lines are a template's title or a banner."""
    words = text.split()[:_CONTACT_SEARCH_WORDS]
    for index, word in enumerate(words):
        street = (
            _STREET_NUMBER.match(word) is not None
            and not _YEAR.match(word)
            and index + 1 < len(words)
            and words[index + 1][:1].isupper()
        )
        if index < 2 or not (street or _CONTACT_TOKEN.search(word)):
            continue
        run: list[str] = []
        for before in reversed(words[max(0, index - _MAX_ANCHORED_WORDS) : index]):
            folded = fold(before).strip(".")
            if (
                not _NAME_WORD.match(before)
                or folded in TITLE_WORDS | _NOT_NAME_WORDS | DOCUMENT_WORDS | COMPANY_WORDS
                or folded in _MONTHS
                or folded in phones.COUNTRY_NAMES
                or heading_kind(before) is not None
                or (run and before.isupper() != run[0].isupper())
            ):
                break
            run.insert(0, before)
        candidate = " ".join(run)
        if len(run) >= 2 and heading_kind(candidate) is None and _looks_like_name(candidate):
            return _title_case(candidate)
    return None


# After a name and a comma, degrees and certifications ("MS (CS)", "Ph.D.", "MBA") say the
# line is a header; a lowercase word says it is a sentence ("Hall Columbia, where I led").
_CREDENTIALS = re.compile(r"\s*,\s*(?:[A-Z][A-Za-z]*\.|[A-Z]{2,}\b)")
_NAME_LABEL = re.compile(r"^(?:full name|name|nome completo|nome)\s*:\s*(.*)$")
_LABEL_SEARCH_LINES = 60


def find_labelled_name(text: str) -> str | None:
    """The value of a "Name:" / "Nome:" field (a personal-details block), when it reads
    like a name; the value may be on the line after the label."""
    lines = [line.strip() for line in text.split("\n")[:_LABEL_SEARCH_LINES]]
    for index, line in enumerate(lines):
        match = _NAME_LABEL.match(fold(line))
        if match is None:
            continue
        value = line[len(line) - len(match.group(1)) :].strip() if match.group(1) else ""
        if not value:
            value = next((rest for rest in lines[index + 1 : index + 3] if rest), "")
        candidate = _NAME_SPLIT.split(value)[0].strip()
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


def looks_like_name(candidate: str) -> bool:
    """Does ``candidate`` (a whole line or run of words) read like a person's name?"""
    return _looks_like_name(candidate)


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
    if any(w in _NOT_NAME_WORDS for w in folded):
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
