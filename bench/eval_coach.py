"""The offline coach over scripted conversations (``bench/coach_cases.py``): each CV goes
through the real parser and analyser, each turn through the coach with the history so
far, and the replies are judged here, with checks of this module's own.

    python -m bench.eval_coach [--verbose]

Prints: reply language right, mode right, grounded claims (share of statements about the
user found in the CV, the user's words or the job description), the weakest category
named when asked how to improve, and interview feedback naming the missing STAR parts.
Exits non-zero when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from bench.coach_cases import CASES, Case
from consumers.coaching.facts import CvFacts, facts_from_analysis
from consumers.coaching.grounding import check
from consumers.coaching.labels import CATEGORY_LABELS, STAR_LABELS
from consumers.coaching.offline import CoachInput, CoachReply, Turn, reply
from consumers.coaching.safety import suspicious_lines
from consumers.parsing.parser import parse_cv
from consumers.scoring.analyser import analyse
from schemas.coach import CoachMode, CoachRole
from schemas.cv import Analysis

TARGETS = {"language": 1.0, "grounded": 1.0, "mode": 0.90, "weakest": 0.95}
KNOWLEDGE = Path(__file__).resolve().parents[1] / "consumers" / "coaching" / "knowledge"

# Function words of each language, this module's own list.
_PT_WORDS = frozenset(
    [
        "você",
        "seu",
        "sua",
        "não",
        "para",
        "com",
        "uma",
        "que",
        "mais",
        "dos",
        "das",
        "nas",
        "pelo",
        "isso",
        "está",
    ]
)
_EN_WORDS = frozenset(
    [
        "you",
        "your",
        "the",
        "and",
        "with",
        "for",
        "this",
        "that",
        "are",
        "not",
        "what",
        "can",
        "it's",
        "don't",
    ]
)
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


@dataclass
class Tally:
    right: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ok: bool, what: str) -> None:
        self.total += 1
        self.right += ok
        if not ok:
            self.misses.append(what)

    @property
    def share(self) -> float:
        return self.right / self.total if self.total else 1.0


@cache
def _analysis(cv_text: str) -> tuple[Analysis, CvFacts]:
    parsed = parse_cv(cv_text)
    analysis = analyse(parsed, None, None)
    lines = [line.strip() for line in parsed.text.splitlines() if line.strip()]
    return analysis, facts_from_analysis("eval", analysis, suspicious_lines(lines))


@cache
def _knowledge_text() -> str:
    texts: list[str] = []
    for path in KNOWLEDGE.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        texts.extend(f"{e['title']} {e['text']}" for e in data["entries"])
        texts.extend(q for qs in data["questions"].values() for q in qs)
    return "\n".join(texts)


def reply_language(text: str) -> str | None:
    """The language a reply is written in, quotes and diff lines left out."""
    prose = "\n".join(
        line for line in _QUOTED.sub(" ", text).splitlines() if not line.startswith(("- ", "+ "))
    )
    tokens = re.findall(r"[\wçãõáéíóúâêô']+", prose.lower())
    pt = sum(t in _PT_WORDS for t in tokens)
    en = sum(t in _EN_WORDS for t in tokens)
    if pt == en:
        return None
    return "pt-BR" if pt > en else "en"


def independent_claims(text: str, sources: str) -> tuple[int, list[str]]:
    """Quoted passages and years in the reply, checked against the raw sources."""
    folded = " ".join(sources.split()).casefold()
    claims, wrong = 0, []
    for quote in _QUOTED.findall(text):
        body = " ".join(quote.strip('“”"').split()).casefold().strip(" .").lstrip("•-* ")
        if len(body) < 8:
            continue
        claims += 1
        if body not in folded:
            wrong.append(quote)
    for year in _YEAR.findall(_QUOTED.sub(" ", text)):
        claims += 1
        if year not in sources:
            wrong.append(year)
    return claims, wrong


def named_missing(text: str, language: str) -> set[str] | None:
    """The STAR parts a feedback names as missing; None when it gives no STAR verdict."""
    labels = {v: k for k, v in STAR_LABELS[language].items()}
    for line in text.splitlines():
        if line.startswith(("Faltou:", "Missing:")):
            names = line.split(":", 1)[1].strip(" .").split(", ")
            return {labels[n] for n in names if n in labels}
    if "quatro partes" in text or "all four" in text:
        return set()
    return None


@dataclass
class Report:
    language: Tally = field(default_factory=Tally)
    mode: Tally = field(default_factory=Tally)
    grounded: Tally = field(default_factory=Tally)
    independent: Tally = field(default_factory=Tally)
    weakest: Tally = field(default_factory=Tally)
    star: Tally = field(default_factory=Tally)
    seconds: list[float] = field(default_factory=list)


def run_case(case: Case, report: Report, verbose: bool) -> None:
    analysis, facts = _analysis(case.cv) if case.cv else (None, None)
    history: list[Turn] = []
    said: list[str] = []
    for n, turn in enumerate(case.turns, start=1):
        said.append(turn.text)
        data = CoachInput(
            message=turn.text,
            facts=facts,
            locale=case.locale,
            history=tuple(history),
            session_mode=CoachMode(case.session_mode) if case.session_mode else None,
            job_description=case.job_description,
            target_role=case.target_role,
        )
        started = time.perf_counter()
        answer: CoachReply = reply(data)
        report.seconds.append(time.perf_counter() - started)
        where = f"{case.name}#{n}"
        written = reply_language(answer.text)
        report.language.add(
            answer.language == turn.language and written in (None, turn.language),
            f"{where}: {answer.language}/{written} for {turn.language}",
        )
        report.mode.add(answer.mode == turn.mode, f"{where}: {answer.mode} for {turn.mode}")
        sources = [*(facts.corpus() if facts else ()), *said, case.job_description or ""]
        checked = check(answer.text, [*sources, *answer.references])
        for claim in checked.claims:
            report.grounded.add(claim not in checked.ungrounded, f"{where}: {claim}")
        raw = "\n".join([case.cv or "", *said, case.job_description or "", _knowledge_text()])
        claims, wrong = independent_claims(answer.text, raw)
        for i in range(claims):
            report.independent.add(
                i >= len(wrong), f"{where}: {wrong[i] if i < len(wrong) else ''}"
            )
        if turn.improve and analysis is not None:
            lowest = min(item.score for item in analysis.breakdown)
            labels = [
                CATEGORY_LABELS[answer.language][item.category]
                for item in analysis.breakdown
                if item.score == lowest
            ]
            report.weakest.add(
                any(label in answer.text for label in labels), f"{where}: {labels} not named"
            )
        if turn.star_missing is not None:
            found = named_missing(answer.text, answer.language)
            report.star.add(
                found == set(turn.star_missing),
                f"{where}: named {sorted(found or [])} for {sorted(turn.star_missing)}",
            )
        if verbose:
            print(f"--- {where} [{answer.mode} {answer.language}] {turn.text}\n{answer.text}\n")
        history.append(Turn(CoachRole.USER, turn.text))
        history.append(Turn(CoachRole.ASSISTANT, answer.text, answer.mode, answer.asked_question))


def _line(name: str, tally: Tally, target: float | None) -> str:
    goal = f"  (target {target:.0%})" if target is not None else ""
    verdict = "" if target is None else ("  ok" if tally.share >= target else "  BELOW TARGET")
    return f"{name:<34} {tally.share:7.1%}  {tally.right}/{tally.total}{goal}{verdict}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="print every reply")
    args = parser.parse_args(argv)
    report = Report()
    for case in CASES:
        run_case(case, report, args.verbose)
    turns = len(report.mode.misses) + report.mode.right
    ms = sorted(s * 1000 for s in report.seconds)
    print(f"offline coach: {len(CASES)} conversations, {turns} turns")
    print(_line("reply language right", report.language, TARGETS["language"]))
    print(_line("intent/mode right", report.mode, TARGETS["mode"]))
    print(_line("grounded claims (checker)", report.grounded, TARGETS["grounded"]))
    print(_line("grounded quotes and years (raw CV)", report.independent, TARGETS["grounded"]))
    print(_line("weakest category named", report.weakest, TARGETS["weakest"]))
    print(_line("STAR feedback names missing parts", report.star, None))
    print(f"{'reply time':<34} p50 {ms[len(ms) // 2]:.2f} ms  max {ms[-1]:.2f} ms")
    failed = False
    for name, tally in (
        ("language", report.language),
        ("mode", report.mode),
        ("grounded", report.grounded),
        ("grounded", report.independent),
        ("weakest", report.weakest),
        ("star", report.star),
    ):
        for miss in tally.misses:
            print(f"  miss [{name}] {miss}")
        if name in TARGETS and tally.share < TARGETS[name]:
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
