"""Phone numbers of a CV: every one it gives, in E.164 when the region is known.

Candidates are digit runs shaped like a phone (one bounded character class, so the scan
stays linear); each is checked with ``phonenumbers`` (Google's libphonenumber metadata).
A number written with its country code ("+44 ...", "0044 ...") is kept when its length
is possible for that country. A national number ("(415) 874-3310") is read in the CV's
region when that is known or can be inferred (see ``infer_region``) and kept when valid
there; when the region is unknown it is kept in the national form it was written in,
without a region, if it is valid in one of the countries our users come from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberFormat

from consumers.parsing.text import fold

# Where Recoloca's users and the companies they apply to are, in the order a national
# number without a known region is tried.
REGIONS = ("BR", "US", "CA", "PT", "GB", "ES", "AR", "MX")
# Where a CV's language is spoken among ``REGIONS``: a number several countries could
# read ("938 337 660" is a Portuguese mobile and a Barcelona landline) is read in the one
# that speaks the CV's language.
LANGUAGE_REGIONS = {"pt": ("BR", "PT"), "en": ("US", "CA", "GB"), "es": ("ES", "AR", "MX")}
MAX_PHONES = 5
# Digits, separators and brackets, bounded: "+55 (11) 98765-4321", "0xx81 3333.2222".
_CANDIDATE = re.compile(r"(?<![\w@+/.,-])(\(?(?:\+|00)|0xx)?[(\d][\d \t().\-]{5,40}\d(?![\w/@])")
# How North America writes its numbers: "(786) 816-7536", "786-816-7536", "786.816.7536".
_NANP_SHAPE = re.compile(r"^(?:1[ .-])?(?:\(\d{3}\) ?|\d{3}[.-])\d{3}[.-]\d{4}$")
_CPF_RG = re.compile(r"^\d{3}\.\d{3}\.\d{3}-\d{2}$|^\d{1,2}\.\d{3}\.\d{3}-[\dxX]$")
_LABEL = re.compile(r"(?:tel|cel|fone|phone|mobile|whats|contato|m:|t:)", re.IGNORECASE)
_LABEL_WINDOW = 24
# Crown dependencies share +44 with the UK; a CV means the UK.
_REGION_ALIAS = {"GG": "GB", "JE": "GB", "IM": "GB"}


@dataclass(frozen=True, slots=True)
class FoundPhone:
    number: str  # E.164 when region is set or the number was international; else as written
    region: str | None  # ISO 3166 alpha-2 ("BR", "US", "GB")
    start: int
    labelled: bool
    # Read as another country's number because it is not one of the CV's region.
    foreign: bool = False


def find_phones(
    text: str, region: str | None, *, international_only: bool = False, language: str = ""
) -> list[FoundPhone]:
    """Every phone number in ``text``, in order, at most ``MAX_PHONES`` distinct; the
    CV's ``language`` settles a national number that several countries could read."""
    found: list[FoundPhone] = []
    seen: set[str] = set()
    for match in _CANDIDATE.finditer(text):
        raw = match.group(0).rstrip(" \t.-(")
        if international_only and not raw.lstrip("(").startswith(("+", "00")):
            continue
        start = match.start()
        line_start = text.rfind("\n", max(0, start - 200), start) + 1
        labelled = bool(_LABEL.search(text[max(line_start, start - _LABEL_WINDOW) : start]))
        for read in _read_run(raw, region, language):
            if read[0] not in seen:
                seen.add(read[0])
                foreign = (
                    region is not None
                    and read[1] != region
                    and not raw.lstrip("(").startswith(("+", "00"))
                )
                found.append(FoundPhone(read[0], read[1], start, labelled, foreign))
        if len(found) >= MAX_PHONES:
            break
    return found[:MAX_PHONES]


def _read_run(raw: str, region: str | None, language: str = "") -> list[tuple[str, str | None]]:
    """One number, or two written side by side ("+55 81 3472-7154 (12) 97598-6510")."""
    read = _read(raw, region, language)
    if read is not None:
        return [read]
    if sum(ch.isdigit() for ch in raw) < 16:
        return []
    for index, ch in enumerate(raw):  # the run is at most ~24 characters
        if ch == " ":
            left = _read(raw[:index].rstrip(" .-"), region, language)
            right = _read(raw[index + 1 :], region, language)
            if left is not None and right is not None:
                return [left, right]
    return []


def normalize(raw: str, region: str | None = "BR") -> str | None:
    """``raw`` as E.164, or None when it is not a phone number (national numbers are
    read in ``region``; with no region only international ones qualify)."""
    read = _read(raw.strip(), region)
    return read[0] if read is not None and read[1] else None


@lru_cache(maxsize=1024)
def _read(raw: str, region: str | None, language: str = "") -> tuple[str, str | None] | None:
    """(number, region) for one candidate, or None when it is not a phone number."""
    digits = sum(ch.isdigit() for ch in raw)
    if not 8 <= digits <= 15 or _CPF_RG.match(raw):
        return None
    if raw.lstrip("(").startswith(("+", "00")):
        text = raw.lstrip("(")
        number = _parse("+" + text.lstrip("+0") if text.startswith("00") else text, None)
        number = _drop_mexican_mobile_one(number) if number is not None else None
        if number is None or not phonenumbers.is_possible_number(number):
            return None
        return _e164(number), _region_of(number)
    national = raw.replace("0xx", "0", 1) if raw.startswith("0xx") else raw
    if region not in (None, "US", "CA") and _NANP_SHAPE.match(national):
        # Grouped 3-3-4, the North American way: "617-364-3010" is not a Brazilian landline.
        number = _parse(national, "US")
        if number is not None and phonenumbers.is_valid_number(number):
            return _e164(number), _region_of(number, "US")
    if region is not None:
        number = _parse(national, region)
        if number is not None and phonenumbers.is_valid_number(number):
            return _e164(number), _region_of(number, region)
    if digits < 9 or _looks_like_dates(national):
        # Some countries' number plans accept almost any digits ("03.2019 - 11.2021").
        return None
    # Not from the CV's region (or it is unknown): where is it valid?
    valid = {}
    for candidate in REGIONS:
        number = _parse(national, candidate)
        if number is not None and phonenumbers.is_valid_number(number):
            valid[_e164(number)] = _region_of(number, candidate)
    if len(valid) == 1:
        return next(iter(valid.items()))
    nanp = next((e164 for e164 in valid if e164.startswith("+1")), None)
    if nanp is not None and _NANP_SHAPE.match(national):
        # Written the North American way: "(786) 816-7536" is American wherever the CV is.
        return nanp, valid[nanp]
    kin = LANGUAGE_REGIONS.get(language, ())
    spoken = [e164 for e164, where in valid.items() if where in kin]
    # Only when the CV's region does not contradict its language: a Mexican CV in English
    # does not make an ambiguous number British.
    if len(spoken) == 1 and (region is None or region in kin):
        return spoken[0], valid[spoken[0]]
    if valid:
        # Several countries read it differently: keep it as the CV wrote it, region unknown.
        return " ".join(national.split()), None
    return None


def _looks_like_dates(raw: str) -> bool:
    """ "2019 - 2021", "03.2019 - 11.2021": years and months, not a number."""
    groups = re.findall(r"\d+", raw)
    years = [g for g in groups if len(g) == 4 and g[:2] in ("19", "20")]
    return bool(years) and all(len(g) <= 2 or g in years for g in groups)


def _parse(raw: str, region: str | None) -> PhoneNumber | None:
    try:
        return phonenumbers.parse(raw, region)
    except NumberParseException:
        return None


def _drop_mexican_mobile_one(number: PhoneNumber) -> PhoneNumber:
    # Mexico dropped the "1" of mobiles in 2019; old CVs still write "+52 1 55 ...".
    national = str(number.national_number)
    if number.country_code == 52 and len(national) == 11 and national.startswith("1"):
        return PhoneNumber(country_code=52, national_number=int(national[1:]))
    return number


def _e164(number: PhoneNumber) -> str:
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def _region_of(number: PhoneNumber, preferred: str | None = None) -> str | None:
    if preferred and phonenumbers.is_valid_number_for_region(number, preferred):
        return preferred
    code = phonenumbers.region_code_for_number(number)
    if (code is None or code == "ZZ") and number.country_code is not None:
        # Valid-looking but unassigned ranges: the country code still tells the region.
        code = phonenumbers.region_code_for_country_code(number.country_code)
        code = None if code == "ZZ" else code
    return _REGION_ALIAS.get(code, code) if code else None


# --- region inference ----------------------------------------------------------------------

_COUNTRY_REGIONS = {
    "brasil": "BR", "brazil": "BR", "portugal": "PT", "espanha": "ES", "spain": "ES",
    "espana": "ES", "argentina": "AR", "mexico": "MX", "usa": "US", "eua": "US",
    "estados unidos": "US", "united states": "US", "canada": "CA", "uk": "GB",
    "united kingdom": "GB", "reino unido": "GB", "england": "GB", "inglaterra": "GB",
    "scotland": "GB", "chile": "CL", "colombia": "CO", "uruguai": "UY", "uruguay": "UY",
    "alemanha": "DE", "germany": "DE", "franca": "FR", "france": "FR", "italia": "IT",
    "italy": "IT", "irlanda": "IE", "ireland": "IE", "holanda": "NL", "netherlands": "NL",
    "japao": "JP", "japan": "JP", "australia": "AU", "india": "IN",
}  # fmt: skip
# Folded country names a CV writes ("brasil", "united kingdom").
COUNTRY_NAMES = frozenset(_COUNTRY_REGIONS)
US_STATES = frozenset(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "DC",
    ]
)
CA_PROVINCES = frozenset(
    ["AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"]
)


def region_of_location(location: str | None) -> str | None:
    """The region a parsed location names: "Recife - PE" is BR, "Austin, TX" is US."""
    if not location:
        return None
    if " - " in location:
        return "BR"  # the parser writes Brazilian locations "City - UF"
    tail = location.rsplit(",", 1)[-1].strip()
    if tail in CA_PROVINCES and tail not in ("PE",):
        return "CA"
    if tail in US_STATES:
        return "US"
    return _COUNTRY_REGIONS.get(fold(tail))


def infer_region(
    location: str | None, language: str, international: list[str | None]
) -> str | None:
    """Where national numbers of this CV belong: its location, else the country of the
    numbers it writes with a country code, else Brazil for a Portuguese CV."""
    region = region_of_location(location)
    if region:
        return region
    known = [r for r in international if r]
    if known:
        return max(set(known), key=known.count)
    return "BR" if language == "pt" else None
