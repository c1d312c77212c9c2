"""Skills named in a text, mapped to canonical names through a curated taxonomy.

The taxonomy (``skills_taxonomy.json``) maps each canonical name to its synonyms in
Portuguese and English. Aliases are matched on whole words, accent-insensitively, and
case-insensitively except for the ones listed as case-sensitive (``C``, ``R``, ``Go``,
``Word``, ``Spring``...), where the case is what tells the skill from an ordinary word.
The job-match code reuses ``find_skills`` on job descriptions.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from consumers.parsing.text import fold, strip_accents

_SEPARATORS = re.compile(r"[\s\-]+")
# Word characters plus the symbols that make "C++", "C#" and ".NET" tokens.
_LEFT = r"(?<![\w@])"
# A version glued to the name ("PHP5", "HTML5", "C++11", "Java8") still names it.
_RIGHT = r"(?=(?:\d{1,2}(?:\.\d{1,2})?)?(?![\w+#]))"
# One- and two-letter aliases ("C", "R", "Go", "BI") need stricter edges: "R$", "C.",
# "Go-live" and "e-mail"-like compounds are not skills.
_SHORT_LEFT = r"(?<![\w@.\-$&(])"
# "R&D", "R/3", "C/o", "(C)" are not skills either.
_SHORT_RIGHT = r"(?![\w+#$\-'’.&)]|/[\do])"
# "github.com/x" or "x@python.org" name a site, not a skill. Anchored at a token's
# start: unanchored, a long token is rescanned from each of its characters (quadratic).
_ADDRESS = re.compile(
    r"(?<!\S)[^\s]*(?:@|https?://|www\.|\.(?:com|br|io|org|dev|me)(?:/|\b))[^\s]*", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class _Matcher:
    patterns: tuple[re.Pattern[str], ...]
    folded: dict[str, str]
    exact: dict[str, str]
    categories: dict[str, str]
    # Canonical names with an alias matched only in its own case (it is also a word).
    sensitive: frozenset[str]


def find_skills(text: str) -> list[str]:
    """Canonical names of the skills mentioned in ``text``, in first-seen order."""
    matcher = _matcher()
    plain = strip_accents(text)
    hits: list[tuple[int, int, str]] = []
    addresses = [m.span() for m in _ADDRESS.finditer(plain)]
    address_starts = [start for start, _ in addresses]
    for pattern in matcher.patterns:
        for match in pattern.finditer(plain):
            found = _SEPARATORS.sub(" ", match.group(0))
            canonical = matcher.exact.get(found) or matcher.folded.get(fold(found))
            if canonical is not None and not _inside(addresses, address_starts, match.start()):
                hits.append((match.start(), -(match.end() - match.start()), canonical))
    hits.sort()
    seen: set[str] = set()
    out: list[str] = []
    covered_to = -1
    for start, negative_length, canonical in hits:
        # Overlaps between the patterns: the earliest, then longest, match wins.
        if start < covered_to:
            continue
        covered_to = start - negative_length
        if canonical not in seen:
            seen.add(canonical)
            out.append(canonical)
    return out


def _inside(spans: list[tuple[int, int]], starts: list[int], position: int) -> bool:
    # Spans are sorted and disjoint: only the last one starting at or before counts.
    index = bisect.bisect_right(starts, position) - 1
    return index >= 0 and position < spans[index][1]


def skill_category(name: str) -> str | None:
    """The taxonomy category of a canonical skill name ("Python" -> "programming_languages")."""
    return _matcher().categories.get(name)


def all_skills() -> list[str]:
    """Every canonical skill name in the taxonomy."""
    return list(_matcher().categories)


@cache
def _taxonomy() -> dict[str, Any]:
    resource = files("consumers.parsing").joinpath("skills_taxonomy.json")
    data: dict[str, Any] = json.loads(resource.read_text(encoding="utf-8"))
    return data


@cache
def _matcher() -> _Matcher:
    taxonomy = _taxonomy()
    case_sensitive = set(taxonomy["case_sensitive"])
    folded: dict[str, str] = {}
    exact: dict[str, str] = {}
    categories: dict[str, str] = {}
    insensitive: list[str] = []
    sensitive: list[str] = []
    short: list[str] = []
    for category, skills in taxonomy["categories"].items():
        for canonical, aliases in skills.items():
            categories[canonical] = category
            for alias in [canonical, *aliases]:
                key = _SEPARATORS.sub(" ", strip_accents(alias)).strip()
                if alias in case_sensitive:
                    exact[key] = canonical
                    (short if len(key) <= 2 else sensitive).append(key)
                else:
                    folded[fold(key)] = canonical
                    insensitive.append(fold(key))
    patterns = (
        re.compile(_LEFT + _trie_regex(insensitive) + _RIGHT, re.IGNORECASE),
        re.compile(_LEFT + _trie_regex(sensitive) + _RIGHT),
        re.compile(_SHORT_LEFT + _trie_regex(short) + _SHORT_RIGHT),
    )
    return _Matcher(patterns, folded, exact, categories, frozenset(exact.values()))


def _trie_regex(words: list[str]) -> str:
    """One regex matching any of ``words`` (longest first), built as a character trie.

    A flat alternation of ~900 aliases would try every branch at every position of the
    text; a trie lets the engine reject a position after one character.
    """
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _node_regex(root) or "(?!)"


def _node_regex(node: dict[str, Any]) -> str:
    branches = []
    for char in sorted(k for k in node if k):
        piece = r"[\s\-]+" if char == " " else re.escape(char)
        branches.append(piece + _node_regex(node[char]))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:
        # Terminal here too: try the longer continuations first, greedily.
        return f"(?:{body})?"
    return body


# Categories whose names are rarely ordinary words: named in a sentence, they are skills.
_TECHNICAL = frozenset(
    {"programming_languages", "frameworks", "databases", "cloud_devops", "data_ml", "tools"}
)
# "Technologies: ...", "Environment: ...", "Ferramentas: ...": a list follows, whatever
# its section.
_LIST_LABEL = re.compile(
    r"^\W*(?:technolog(?:y|ies)|tech(?:nical)? stack|stack|tools?|environment|software|"
    r"skills?|competenc(?:y|ies)|tecnologias?|ferramentas?|ambiente|habilidades|"
    r"conhecimentos|compet[eê]ncias)\b[^:]{0,30}:",
    re.IGNORECASE,
)
_LIST_SEPARATORS = re.compile(r"[,;|/•·]|\s[-–]\s")
_MAX_LIST_ITEM_WORDS = 5


def _is_list(line: str, count: int) -> bool:
    """A line that enumerates (short items between separators) rather than tells."""
    if _LIST_LABEL.match(line):
        return True
    items = [item for item in _LIST_SEPARATORS.split(line) if item.strip()]
    if count < 2 or len(items) < 2:
        return False
    long_items = sum(1 for item in items if len(item.split()) > _MAX_LIST_ITEM_WORDS)
    return long_items * 3 <= len(items)


_NAME_ITEMS = re.compile(r"[,;|•·▪]|\s[-–]\s")
_MAX_NAME_WORDS = 4


def _names_only(line: str) -> bool:
    """A line of three or more short items and nothing else: a list of names."""
    items = [item.strip(" .") for item in _NAME_ITEMS.split(line)]
    items = [item for item in items if item]
    if len(items) < 3:
        return False
    return all(len(item.split()) <= _MAX_NAME_WORDS for item in items)


_SENTENCE_WORDS = 9


def _tells(line: str, count: int) -> bool:
    """A line that reads as a sentence: long, not a list, mostly lower-case words."""
    words = line.split()
    if len(words) < _SENTENCE_WORDS or _is_list(line, count):
        return False
    lower = sum(1 for word in words if word[:1].islower())
    return lower * 2 >= len(words)


def find_cv_skills(
    text: str, listed: str = "", studied: str = "", employers: tuple[str, ...] = ()
) -> list[str]:
    """Skills of a CV: every skill named in ``listed`` (its skills sections), and in the
    rest of ``text`` only those a context vouches for. A line that enumerates names its
    skills; a sentence does so for tools and technologies, but "communication",
    "leadership" or "sales" in a sentence are ordinary words, not a claimed skill.
    ``studied`` (its degrees) vouches for technical fields ("Estatística") only: a
    degree in business administration or marketing is what was studied, not a claim.
    ``employers`` (the companies of its experience) are names, even when a product's:
    "SAP - Bengaluru" or "Oracle" above a role says where the person worked."""
    # A sentence in a skills section (often the next section run on into it: "Managed
    # a team migrating sites written in Java to Drupal") is read as any sentence is.
    # The other lines stay together: a narrow column wraps "Power BI" across two.
    told: list[str] = []
    kept: list[str] = []
    for line in listed.split("\n"):
        sentence = _tells(line, len(find_skills(line)))
        (told if sentence else kept).append(line)
    found = find_skills(_SEASON.sub(" ", "\n".join(kept))) if kept else []
    text = "\n".join([*told, text])
    for skill in find_skills(_SEASON.sub(" ", studied)) if studied else []:
        if skill not in found and skill_category(skill) in _TECHNICAL:
            found.append(skill)
    seen = set(found)
    sensitive = _matcher().sensitive
    for line in text.split("\n"):
        if not line.strip() or _cites(line):
            continue
        every = find_skills(_SEASON.sub(" ", _not_skills(line, employers)))
        named = [s for s in every if s not in seen]
        if not named:
            continue
        labelled = bool(_LIST_LABEL.match(line))
        enumerates = labelled or _is_list(line, len(every))
        for skill in named:
            category = skill_category(skill)
            if category == "business":
                # "Sales", "Communication", "Administration": claimed only in a list
                # that says it lists skills, or one made of nothing but short names
                # ("Project Management | Contract Negotiations | Procurement").
                keep = labelled or _names_only(line)
            elif skill in sensitive:
                # Names that double as ordinary words ("Spring", "Word", "C") need a
                # list of skills around them.
                keep = enumerates
            else:
                keep = enumerates or category in _TECHNICAL
            if keep:
                seen.add(skill)
                found.append(skill)
    return found


# "Spring 2016", "Fall 2010-Spring 2013": a term, not the framework.
_SEASON = re.compile(
    r"\b(?:Spring|Summer|Fall|Autumn|Winter)\b(?=,?\s*(?:\d{4}|semester|term|quarter))"
)


# A bibliography or a grant list names works and people, not what the person can do:
# "Baek JD, Sudha X, Stoskopf C, Seidman R. (2013)", "Journal of ...", "doi:".
_AUTHOR = re.compile(r"\b[A-Z][a-z]+(?: [A-Z]{1,3}[,.]|, (?:[A-Z]\.){1,3})")
_CITED_YEAR = re.compile(r"\((?:19|20)\d\d[a-z]?\)")
_CITATION = re.compile(
    r"\bdoi\b|\bet al\.|\bjournal of\b|\bin press\b|\bproceedings\b|\bvol\. \d|"
    r"\bpp\. \d|\bISBN\b|\buniversity press\b",
    re.IGNORECASE,
)


def _cites(line: str) -> bool:
    if _CITATION.search(line):
        return True
    return len(_AUTHOR.findall(line)) >= 2 and bool(_CITED_YEAR.search(line))


# "Cisco Systems", "Oracle Corporation", "SAP Labs": an employer named after its product.
_EMPLOYER = re.compile(
    r"\b([A-Z][\w.&]*)(?= (?:Systems|Corporation|Corp\.?|Inc\.?|Ltd\.?|Labs|"
    r"Technologies|Pvt|Private|Limited|Consulting|University|College|Books|Press)\b)"
)


def _not_skills(line: str, employers: tuple[str, ...] = ()) -> str:
    """``line`` with the names that look like skills but name something else blanked."""
    for employer in employers:
        if employer in line:
            # Where it heads or ends the line ("SAP - Bengaluru", "Account Executive -
            # MongoDB") it names the employer; "Built SAP reports" uses the tool.
            name = re.escape(employer)
            line = re.sub(rf"^(\W*){name}(?!\w)|(?<!\w){name}(\W*)$", r"\1 \2", line)
    line = _CHANNEL.sub(lambda m: " " * len(m.group(0)), line)
    return _EMPLOYER.sub(lambda m: " " * len(m.group(1)), line)


# "LinkedIn: /in/ana", "Github:// deedydas", "Skype: ana.lima": where to reach the
# person, not a skill.
_CHANNEL = re.compile(
    r"\b(?:linkedin|github|gitlab|twitter|facebook|instagram|youtube|skype|whatsapp|"
    r"telegram|quora|medium|behance|dribbble)\b(?=\s*:)",
    re.IGNORECASE,
)
