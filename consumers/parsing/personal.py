"""Personal data a recruiter does not need: found so it can be flagged, never kept.

Brazilian CVs still often carry the CPF, the RG, the date of birth, the age, the marital
status or a photo. The LGPD asks for no more personal data than the purpose needs, and
each of these invites discrimination, so the analysis advises removing them. Only the
kinds found are returned: the values never leave this module.
"""

from __future__ import annotations

import re

from consumers.parsing.text import fold_in_place

CPF = "cpf"
RG = "rg"
BIRTH_DATE = "birth_date"
AGE = "age"
MARITAL_STATUS = "marital_status"
PHOTO = "photo"
KINDS = (CPF, RG, BIRTH_DATE, AGE, MARITAL_STATUS, PHOTO)

# Each pattern is literal words and bounded digit runs: linear in the text.
_PATTERNS: dict[str, re.Pattern[str]] = {
    CPF: re.compile(r"(?<![\d.])\d{3}\.\d{3}\.\d{3}-\d{2}(?![\d])|\bcpf\b[ :.\-nº°]{0,6}\d{11}\b"),
    RG: re.compile(r"\brg\b[ :.\-nº°]{0,6}\d{1,2}\.?\d{3}\.?\d{3}"),
    BIRTH_DATE: re.compile(
        r"\b(?:data de nascimento|nascimento|nascido em|nascida em|date of birth|birth date"
        r"|birthdate|dob|born)\b[ :.\-]{0,4}(?:em |on )?\d{1,2}[/.\- ]"
    ),
    AGE: re.compile(
        r"(?:^|[,;|•]\s?)\d{2} anos(?! de)\b|\bidade\b[ :]{0,3}\d{2}\b|\bage\b[ :]{1,3}\d{2}\b"
        r"|\b\d{2} years old\b"
    ),
    MARITAL_STATUS: re.compile(
        r"\b(?:solteir[oa]|casad[oa]|divorciad[oa]|viuv[oa]|uniao estavel|estado civil"
        r"|marital status)\b"
    ),
}
# "Casado" is also a surname and "casada" a word in prose: count it next to other personal
# details ("Brasileira, casada, 34 anos") or after its label only.
_MARITAL_CONTEXT = re.compile(
    r"\b(?:brasileir[oa]|portugues[a]?|nacionalidade|\d{2} anos(?! de)|solteir[oa]|casad[oa]"
    r"|divorciad[oa]|viuv[oa]|filhos?)\b"
)


def find_personal_data(text: str, *, photo: bool = False) -> list[str]:
    """The kinds of personal data ``text`` (and the file, for ``photo``) carries."""
    folded = fold_in_place(text)
    found = [kind for kind, pattern in _PATTERNS.items() if _present(kind, pattern, folded)]
    if photo:
        found.append(PHOTO)
    return found


def mentions_personal_data(line: str) -> bool:
    """Does ``line`` hold a value of the personal data kinds above (not to be quoted)?"""
    return bool(find_personal_data(line))


def _present(kind: str, pattern: re.Pattern[str], folded: str) -> bool:
    if kind != MARITAL_STATUS:
        return pattern.search(folded) is not None
    for match in pattern.finditer(folded):
        word = match.group(0)
        if word in ("estado civil", "marital status"):
            return True
        window = folded[max(0, match.start() - 60) : match.end() + 60]
        if any(m.group(0) != word for m in _MARITAL_CONTEXT.finditer(window)):
            return True
    return False
