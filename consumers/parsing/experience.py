"""Entries of the experience, education and languages sections."""

from __future__ import annotations

import re
from dataclasses import dataclass

from consumers.parsing.contact import find_location
from consumers.parsing.dates import DateRange, find_date_range, years_in
from consumers.parsing.text import fold, fold_in_place, is_bullet, normalize_text, strip_bullet
from consumers.parsing.vocabulary import COMPANY_WORDS, TITLE_WORDS
from schemas.cv import EducationEntry, ExperienceEntry, SpokenLanguage

MAX_BULLETS = 40
_PIECE_SEP = re.compile(r"\s+[|–—•·@-]\s+|\s*\|\s*|,\s+|\s+(?:at|@)\s+|\t")
# "Desenvolvedor na Acme": split only when the left side is a job title (checked below).
_PT_AT = re.compile(r"\s+(?:na|no|em|pela|pelo)\s+(?=[A-ZÀ-Ý])")
_WORK_MODE = re.compile(
    r"\(?\b(?:remoto|remote|hibrido|híbrido|hybrid|presencial|on-?site|home office)\b\)?",
    re.IGNORECASE,
)
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]")
_TRIM = " \t-–—|,;:[]•·"


def _trim(piece: str) -> str:
    piece = piece.strip(_TRIM)
    # Keep "(USP)" whole but drop a stray bracket left by splitting "Acme (Remoto)".
    while piece.startswith("(") and ")" not in piece:
        piece = piece[1:].strip(_TRIM)
    while piece.endswith(")") and "(" not in piece:
        piece = piece[:-1].strip(_TRIM)
    if piece.startswith("(") and piece.endswith(")") and piece.count("(") == 1:
        piece = piece[1:-1].strip(_TRIM)
    return piece


def _words(text: str) -> set[str]:
    return set(re.findall(r"[\w./]+", fold(text)))


def _is_title(piece: str) -> bool:
    return bool(_words(piece) & TITLE_WORDS)


def _is_company(piece: str) -> bool:
    return bool(_words(piece) & COMPANY_WORDS)


def _clean(text: str) -> str:
    location = find_location(text)
    if location is not None:
        # find_location normalises; remove the raw form by its city part.
        city = location.split(" - ")[0].split(", ")[0]
        text = re.sub(rf"{re.escape(city)}\s*(?:[-–—/,]\s*[A-Za-zÀ-ú ]{{2,20}})?", " ", text)
    text = _EMPTY_BRACKETS.sub(" ", _WORK_MODE.sub(" ", text))
    return _trim(" ".join(text.split()))


def _pieces(lines: list[str]) -> list[str]:
    pieces: list[str] = []
    for line in lines:
        for piece in _PIECE_SEP.split(_clean(line)):
            piece = _trim(piece)
            if not piece:
                continue
            split = _PT_AT.split(piece, maxsplit=1)
            if len(split) == 2 and _is_title(split[0]):
                pieces.extend(_trim(p) for p in split)
            else:
                pieces.append(piece)
    return [p for p in pieces if any(c.isalpha() for c in p)]


def _title_and_company(pieces: list[str]) -> tuple[str | None, str | None]:
    title = next((p for p in pieces if _is_title(p)), None)
    rest = [p for p in pieces if p is not title]
    company = next((p for p in rest if _is_company(p)), None)
    if title is None and rest:
        title = rest.pop(0)
    if company is None:
        company = next((p for p in rest if p is not title), None)
    return title, company


# "2 yrs 3 mos", "1 ano e 7 meses", "(8 months)": how long a role lasted, not a name.
_DURATION = re.compile(
    r"\(?\b\d{1,2}\s*(?:yrs?|years?|y|anos?|mos?|months?|m|meses|m[eê]s)\b"
    r"(?:\s*(?:e|and|,)?\s*\d{1,2}\s*(?:mos?|months?|m|meses|m[eê]s)\b)?\)?",
    re.IGNORECASE,
)
_CONNECTORS = frozenset(
    {"de", "da", "do", "das", "dos", "e", "em", "na", "no", "of", "the", "and", "for", "at"}
    | {"with", "com", "para", "por"}
)


def _prose(line: str) -> bool:
    """A sentence about the work (a bullet whose marker the file dropped), not a title
    or a company: several lower-case words that are not connectors ("Negotiated with 3
    suppliers", "Mentoria de 7 pessoas recém-contratadas")."""
    if _is_title(line) and not re.search(r"\d", line):
        return False
    words = re.findall(r"[^\s|,·•]+", line)
    lower = [w for w in words if w[:1].islower() and fold(w) not in _CONNECTORS]
    return len(lower) >= 2 or (len(lower) >= 1 and len(words) >= 6)


def _date_line(line: str) -> DateRange | None:
    if is_bullet(line) or len(line) > 120:
        return None
    found = find_date_range(line)
    if found is None:
        return None
    remainder = line[: found.span[0]] + line[found.span[1] :]
    # A year inside a sentence ("Em 2019 liderei...") is not an entry's dates.
    if found.end == found.start and len(remainder.split()) > 8:
        return None
    if remainder.rstrip().endswith(".") and len(remainder.split()) > 8:
        return None
    return found


_ABBREVIATION_END = re.compile(r"\b(?:S\.?A|Inc|Ltd|Ltda|Co|Corp|Jr|Sr|Eireli|ME)\.$", re.I)


def _header_like(line: str) -> bool:
    """Short, not a bullet, not the end of a sentence ("Banco X S.A." is fine)."""
    if not line or is_bullet(line) or len(line) > 80 or len(line.split()) > 10:
        return False
    end = line.rstrip()
    if _prose(line):
        return False
    return not end.endswith(";") and (not end.endswith(".") or bool(_ABBREVIATION_END.search(end)))


_OPEN_ENDS = _CONNECTORS | {"using", "usando", "to", "in", "a", "an", "o", "os", "as", "ao"}


def _wrapped_end(lines: list[str], index: int, floor: int) -> bool:
    """Line ``index`` is the wrapped end of the bullet above it ("... cortando 29% do
    custo" / "mensal", "... com" / "Process Improvement"), not a title or a company:
    the bullet stops mid-phrase, and the line starts lower-case or the bullet ends on
    a word that needs one after it."""
    cursor = index - 1
    while cursor >= floor and not lines[cursor].strip():
        cursor -= 1
    if cursor < floor:
        return False
    above = lines[cursor].strip()
    if not (is_bullet(above) or _prose(above)) or above[-1:] in ".;:!?)":
        return False
    line = lines[index].strip()
    last = fold(above.split()[-1])
    return line[:1].islower() or last in _OPEN_ENDS


def _may_continue(line: str, following: str) -> bool:
    if not line or not following or is_bullet(line) or is_bullet(following):
        return False
    return len(line) + len(following) <= 160 and following[:1].isalnum()


def _rejoin_wrapped_dates(lines: list[str]) -> list[str]:
    """Join a header line with the next when a narrow column wrapped its date range
    across the two ("Analista (Jul" / "2021 — Mai 2022)", "outubro de 2021 - fevereiro de"
    / "2023"): the range found in the joined text must straddle the line break."""
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index].rstrip()
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        if _may_continue(line, following):
            joined = f"{line} {following}"
            found = find_date_range(joined)
            if found is not None and found.span[0] < len(line) < found.span[1]:
                own = find_date_range(line)
                if own is None or (own.start, own.end) != (found.start, found.end):
                    out.append(joined)
                    index += 2
                    continue
        out.append(lines[index])
        index += 1
    return out


_SENIORITY = frozenset(
    {"lead", "senior", "sr", "jr", "junior", "pleno", "principal", "staff", "head", "chief"}
    | {"trainee", "ii", "iii", "iv"}
)
_TITLE_NOUNS = TITLE_WORDS - _SENIORITY
_TITLE_LINKS = frozenset({"de", "da", "do", "em", "of"})


def _level(word: str) -> bool:
    return fold(word).strip(".,") in _SENIORITY


def _split_run(piece: str) -> tuple[list[str], bool]:
    """Title and company run together with nothing between them, as flattened text
    leaves them ("Globant Lead UX Designer", "Cientista de Dados Sr. Tramontina
    Digital"): cut where the title's own words end. Says also whether the company
    came first (it may then head several roles)."""
    words = piece.split()
    nouns = [i for i, w in enumerate(words) if fold(w).strip(".,") in _TITLE_NOUNS]
    if len(words) < 3 or not nouns:
        return [piece], False
    end = nouns[0] + 1
    while end < len(words):
        word = words[end]
        if fold(word).strip(".,") in _TITLE_NOUNS or _level(word):
            end += 1
        elif fold(word) in _TITLE_LINKS and end + 1 < len(words):
            end += 2
        elif any(_level(w) for w in words[end + 1 : end + 2]):
            end += 2  # "Designer Gráfica Jr."
        else:
            break
    if end < len(words):
        # The title opens the run: the rest is the company.
        return [" ".join(words[:end]), " ".join(words[end:])], False
    start = nouns[0]
    levels = [i for i in range(max(0, start - 3), start) if _level(words[i])]
    linked = start + 1 < len(words) and fold(words[start + 1]) in _TITLE_LINKS
    if levels:
        start = levels[0]
    elif start >= 2 and not linked:
        # One qualifier before the noun ("Logistics Coordinator"); a title built with
        # "de" ("Supervisor de Operações") opens on its noun.
        start -= 1
    if start == 0:
        return [piece], False
    return [" ".join(words[start:]), " ".join(words[:start])], True


_HEADER_MAX_WORDS = 14
_DURATION_TAIL = re.compile(r"\s*[·|,–-]?\s*" + _DURATION.pattern, re.IGNORECASE)
_PLACE_TAIL = re.compile(r"\s*[|·,–-]\s*([^\s|·,]+(?:\s+[^\s|·,]+){0,3})")


def _cut_after_dates(line: str, places: tuple[str, ...]) -> list[str]:
    """A header that runs into its sentences, as exports that drop the bullet markers
    leave it ("Analista na Acme Set 2019 - Mar 2022 · 2 anos | Recife Reduzi o tempo..."):
    cut after the dates, with the duration and the CV's own city that follow them."""
    if len(line) <= 120:
        return [line]
    found = find_date_range(line)
    if found is None or len(line[: found.span[0]].split()) > _HEADER_MAX_WORDS:
        return [line]
    end = found.span[1]
    duration = _DURATION_TAIL.match(line, end)
    if duration:
        end = duration.end()
    place = _PLACE_TAIL.match(line, end)
    if place:
        words = place.group(1).split()
        for size in range(len(words), 0, -1):
            if _known_place(" ".join(words[:size]), places):
                end = place.start(1) + len(" ".join(words[:size]))
                break
    head, tail = line[:end].rstrip(), line[end:].strip()
    return [head, tail] if tail else [head]


@dataclass(slots=True)
class _Header:
    """What stands around an entry's date line: the lines above it (top first) and what
    the date line holds besides the dates."""

    above: list[str]
    remainder: str


def _place_of(lines: list[str], places: tuple[str, ...]) -> str | None:
    for line in lines:
        location = find_location(line)
        if location is not None:
            return location
        for piece in _PIECE_SEP.split(line):
            if _known_place(_trim(piece), places):
                return _trim(piece)
    return None


def _known_place(piece: str, places: tuple[str, ...]) -> bool:
    return bool(piece) and fold(piece) in places


def _entry_pieces(lines: list[str], places: tuple[str, ...]) -> list[str]:
    return [
        p
        for p in _pieces([_DURATION.sub(" ", line) for line in lines])
        if not _known_place(p, places)
    ]


def parse_experience(
    body: str, places: tuple[str, ...] = (), *, flattened: bool = False
) -> list[ExperienceEntry]:
    """Experience entries from an experience section's body.

    An entry is anchored on the line holding its dates; its title and company come
    from that line and the one or two short lines just above it (or just below, for
    layouts that put the company under the dates); the rest up to the next entry are
    its bullets. Shapes: "Title at Company", "Cargo na Empresa", "Company — Title",
    "Title | Company | dates", the title and the company on lines of their own, and a
    company on its own line above the titles of several roles (each later role takes
    the company of the one above). ``places`` are city names the CV gives elsewhere
    (folded): beside a role they are where it was, not its company. ``flattened`` text
    lost its line breaks, so a title and a company may run together in one piece.
    """
    lines = _rejoin_wrapped_dates(normalize_text(body).split("\n"))
    if flattened:
        lines = [part for line in lines for part in _cut_after_dates(line, places)]
    anchors = [(i, d) for i, line in enumerate(lines) if (d := _date_line(line)) is not None]
    if not anchors:
        return []
    starts: list[int] = []
    headers: list[_Header] = []
    floor = 0
    for index, dates in anchors:
        line = lines[index]
        remainder = line[: dates.span[0]] + " " + line[dates.span[1] :]
        own = _entry_pieces([remainder], places)
        room = max(0, 2 - len(own))
        above: list[str] = []
        first = index
        cursor = index - 1
        while room and cursor >= floor:
            candidate = lines[cursor].strip()
            if not candidate:
                # Some exports put a blank line between every line: step over them.
                cursor -= 1
                continue
            if not _header_like(candidate) or _wrapped_end(lines, cursor, floor):
                break
            above.insert(0, candidate)
            first = cursor
            # "Buyer II at Bimbo" fills both places at once: the short line above it
            # is then the wrapped end of the previous entry's last bullet. "Acme, Recife"
            # (a city the CV does not give elsewhere) is a company line only.
            held = _entry_pieces([candidate], places)
            both = len(held) >= 2 and any(_is_title(p) for p in held)
            room = max(0, room - (2 if both else 1))
            cursor -= 1
        starts.append(first)
        headers.append(_Header(above, remainder))
        floor = index + 1
    entries: list[ExperienceEntry] = []
    group: str | None = None  # a company written once above several roles
    for number, (index, dates) in enumerate(anchors):
        end = starts[number + 1] if number + 1 < len(anchors) else len(lines)
        body_lines = lines[index + 1 : end]
        header = headers[number]
        head_lines = [*header.above, header.remainder]
        pieces = _entry_pieces(head_lines, places)
        company_first = False
        if flattened and len(pieces) == 1:
            pieces, company_first = _split_run(pieces[0])
        elif flattened and pieces and not any(_is_company(p) for p in pieces[1:]):
            # "Analista de BI Pleno Ambev Tech, Campinas": the run is the title and the
            # company; what follows the comma is where the role was.
            run, first_company = _split_run(pieces[0])
            if len(run) == 2 and not first_company:
                pieces = [*run, *pieces[1:]]
        inherited = False
        if len(pieces) == 1 and group is not None and _is_title(pieces[0]):
            pieces.append(group)
            inherited = True
        if len(pieces) < 2 and body_lines and _header_like(body_lines[0].strip()):
            # Some layouts put the company (or title) on the line under the dates.
            below = _entry_pieces([body_lines[0]], places)
            short = len(body_lines[0].split()) <= 6
            # A title below the dates belongs to this entry only when it has none yet.
            titled = any(_is_title(p) for p in pieces)
            if below and short and (not pieces or not (titled and _is_title(body_lines[0]))):
                pieces += below
                head_lines.append(body_lines[0])
                body_lines = body_lines[1:]
        title, company = _title_and_company(pieces)
        if not inherited:
            # "Company" over "Title" over the dates: later roles with a title only are
            # roles at the same company.
            top = _entry_pieces(header.above[:1], places) if len(header.above) == 2 else []
            on_top = company_first or (bool(top) and company == top[-1])
            group = company if on_top and title != company else None
        entries.append(
            ExperienceEntry(
                title=title,
                company=company,
                location=_place_of(head_lines, places),
                start=dates.start,
                end=None if dates.current else dates.end,
                current=dates.current,
                bullets=bullets(body_lines),
            )
        )
    return entries


def bullets(lines: list[str]) -> list[str]:
    """Bullet points of an entry; wrapped lines (starting lower-case) are re-joined."""
    out: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        text = strip_bullet(line)
        if not text:
            continue
        if out and not is_bullet(line) and text[0].islower():
            out[-1] = f"{out[-1]} {text}"
        else:
            out.append(text)
    return out[:MAX_BULLETS]


_DEGREE_WORDS = re.compile(
    r"\b(?:bacharelado|bacharel|licenciatura|tecnologo|tecnologia em|tecnico|graduacao|"
    r"pos-graduacao|pos graduacao|mba|mestrado|doutorado|especializacao|ensino medio|"
    r"ensino fundamental|ensino superior|curso superior|engenharia|ciencias?|administracao|"
    r"direito|sistemas de informacao|analise e desenvolvimento|bachelor|bachelors|master|"
    r"masters|msc|bsc|b\.sc|m\.sc|phd|ph\.d|doctorate|degree|diploma|associate|"
    r"high school|b\.e|b\.tech|b\.s|m\.s|b\.a|m\.a|postgraduate|graduate)\b"
)
_INSTITUTION_WORDS = re.compile(
    r"\b(?:universidade|faculdade|faculdades|instituto|escola|centro universitario|colegio|"
    r"fundacao|university|college|institute|school|academy|polytechnic|fatec|etec|senai|"
    r"senac|usp|unicamp|unesp|puc|fgv|insper|mackenzie|ibmec|ita|unifesp|unip|uninove|"
    r"estacio|anhembi|fiap|impacta|ufabc)\b"
)
_INSTITUTION_ACRONYM = re.compile(r"\b(?:UF[A-Z]{1,4}|UNI[A-Z]{2,6}|IF[A-Z]{2,4}|PUC-?[A-Z]{2})\b")
_STATUS = re.compile(
    r"\b(?:cursando|concluido|concluida|em andamento|incompleto|completo|trancado|"
    r"previsao(?: de conclusao)?|conclusao|expected|graduated|in progress|ongoing|"
    r"semestre|periodo)\b"
)
_EDU_SEP = re.compile(r"\s+[|–—•·-]\s+|\s*\|\s*|,\s+|\s+(?:pela|pelo|at|from)\s+(?=[A-ZÀ-Ý])")


_PARENTHETICAL = re.compile(r"\(([^()]*)\)")


def _drop_status(match: re.Match[str]) -> str:
    # "(cursando, previsão 2026)" is about dates, not the school: drop it.
    inner = match.group(1)
    return " " if _STATUS.search(fold(inner)) or re.search(r"\d{4}", inner) else match.group(0)


def _kind_of(piece: str) -> str | None:
    folded = fold(piece)
    if _INSTITUTION_WORDS.search(folded) or _INSTITUTION_ACRONYM.search(piece):
        return "institution"
    if _DEGREE_WORDS.search(folded):
        return "degree"
    return None


def parse_education(body: str) -> list[EducationEntry]:
    """Education entries: degree, institution and the year it ended (or will end)."""
    entries: list[EducationEntry] = []
    current: EducationEntry | None = None
    for raw in normalize_text(body).split("\n"):
        line = strip_bullet(raw)
        if not line:
            continue
        dates = find_date_range(line)
        years = years_in(line)
        text = line if dates is None else line[: dates.span[0]] + " " + line[dates.span[1] :]
        text = _PARENTHETICAL.sub(_drop_status, text)
        for piece in _EDU_SEP.split(_clean(text)):
            piece = _trim(piece)
            if not piece or not any(c.isalpha() for c in piece) or len(piece.split()) > 14:
                continue
            if _STATUS.search(fold(piece)) and _kind_of(piece) is None:
                continue
            kind = _kind_of(piece) or ("degree" if current is None or not current.degree else None)
            if kind is None and current is not None and current.institution is None:
                kind = "institution"
            if kind is None:
                continue
            if current is None or getattr(current, kind) is not None:
                current = EducationEntry()
                entries.append(current)
            setattr(current, kind, piece)
        if years and current is not None:
            ongoing = dates is not None and dates.current
            expected = re.search(r"previs|expected|conclus", fold(line)) is not None
            if not ongoing or expected:
                current.end_year = max(years)
    return entries


_LANGUAGES = {
    "ingles": "english", "english": "english", "espanhol": "spanish", "spanish": "spanish",
    "castelhano": "spanish", "portugues": "portuguese", "portuguese": "portuguese",
    "frances": "french", "french": "french", "alemao": "german", "german": "german",
    "italiano": "italian", "italian": "italian", "japones": "japanese", "japanese": "japanese",
    "mandarim": "chinese", "chines": "chinese", "chinese": "chinese", "mandarin": "chinese",
    "russo": "russian", "russian": "russian", "coreano": "korean", "korean": "korean",
    "arabe": "arabic", "arabic": "arabic", "hebraico": "hebrew", "hebrew": "hebrew",
    "holandes": "dutch", "dutch": "dutch", "libras": "libras", "polones": "polish",
    "polish": "polish", "sueco": "swedish", "swedish": "swedish", "turco": "turkish",
    "turkish": "turkish", "hindi": "hindi", "grego": "greek", "greek": "greek",
}  # fmt: skip
_LANGUAGE_RE = re.compile(rf"\b({'|'.join(sorted(_LANGUAGES, key=len, reverse=True))})\b")
_LEVELS = [
    "full professional proficiency", "professional working proficiency",
    "limited working proficiency", "native or bilingual proficiency", "lingua materna",
    "pre-intermediario", "pre intermediario", "upper-intermediate", "upper intermediate",
    "pre-intermediate", "nativo", "nativa", "native", "fluente", "fluencia", "fluent",
    "avancado", "avancada", "advanced", "intermediario", "intermediaria", "intermediate",
    "basico", "basica", "basic", "elementary", "beginner", "iniciante", "tecnico", "tecnica",
    "proficiente", "proficiencia", "proficient", "proficiency", "conversacao",
    "conversational", "bilingue", "bilingual", "business", "leitura", "reading",
]  # fmt: skip
_LEVEL_RE = re.compile(rf"\b(?:{'|'.join(_LEVELS)}|[abc][12])\b")
_LANG_CHUNK = re.compile(r"[;|]|,(?![^()\n]*\))|\s+/\s+")


def parse_languages(text: str, *, require_level: bool = False) -> list[SpokenLanguage]:
    """Spoken languages with their level ("Inglês avançado", "English - Fluent",
    "Inglês | Avançado" from a table row).

    With ``require_level`` (scanning text outside a languages section) only lines that
    also state a level count, so "Letras - Português" is not taken for a language.
    """
    found: list[SpokenLanguage] = []
    seen: set[str] = set()
    last: SpokenLanguage | None = None
    for line in normalize_text(text).split("\n"):
        line = strip_bullet(line)
        if require_level and len(line.split()) > 8:
            continue
        last = None
        for chunk in _LANG_CHUNK.split(line):
            folded = fold_in_place(chunk)
            name = _LANGUAGE_RE.search(folded)
            level_match = _LEVEL_RE.search(folded, name.end() if name else 0) or (
                _LEVEL_RE.search(folded) if name else None
            )
            level = chunk[level_match.start() : level_match.end()] if level_match else None
            if name is None:
                # "Inglês | Avançado": a level in the next cell belongs to the language.
                if last is not None and last.level is None and level is not None:
                    last.level = level
                continue
            key = _LANGUAGES[name.group(1)]
            if key in seen:
                last = None
                continue
            seen.add(key)
            display = chunk[name.start() : name.end()]
            last = SpokenLanguage(language=display[:1].upper() + display[1:].lower(), level=level)
            found.append(last)
    if require_level:
        found = [language for language in found if language.level is not None]
    return found
