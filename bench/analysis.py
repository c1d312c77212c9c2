"""Offline analysis latency: ``parse_file`` + ``analyse`` on one core.

The CV is a realistic two-page, two-column PDF from the labelled corpus (the same
person also as DOCX and TXT). Each case is warmed up, then timed over ``--runs`` runs;
median and p95 are printed. Target: median under 50 ms for the PDF.

    python -m bench.analysis [--runs 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from io import BytesIO

from pypdf import PdfReader

from bench.pipeline import _percentile
from consumers.parsing.dates import find_date_range
from consumers.parsing.parser import parse_file
from consumers.scoring.analyser import analyse
from schemas.files import FileKind
from tests.corpus.generator import SyntheticCv, generate
from tests.corpus.render import render

TARGET_MEDIAN_MS = 50.0
WARM_UP = 10
JOB = (
    "Vaga: Desenvolvedor(a) Backend Sênior. Requisitos: Python, Django, PostgreSQL, Docker, "
    "Kubernetes, AWS, Kafka, inglês avançado. Diferenciais: Terraform, Go."
)


def two_page_cv() -> tuple[SyntheticCv, bytes]:
    """A generated CV with four jobs, given more bullets (borrowed from the other jobs)
    until its two-column PDF fills most of a second page."""
    cv = next(cv for cv in generate(count=120, seed=11) if len(cv.labels.experience) == 4)
    block = next(b for b in cv.main if b.kind == "experience")
    pool = [
        line
        for entry in block.entries
        for line in entry
        if len(line) > 45 and find_date_range(line) is None
    ]
    for round_ in range(80):
        pdf, _ = render(cv, "pdf_two_column")
        pages = len(PdfReader(BytesIO(pdf)).pages)
        if pages > 2:
            break
        # A full second page: about as much text as two dense pages hold.
        if pages == 2 and len(parse_file(pdf, FileKind.PDF).text) >= 5000:
            block.lines = [line for entry in block.entries for line in entry]
            return cv, pdf
        entry = block.entries[round_ % len(block.entries)]
        entry.append(pool[round_ % len(pool)])
    raise SystemExit("could not fill two pages")


def _time(data: bytes, kind: FileKind, runs: int, job: str | None) -> list[float]:
    for _ in range(WARM_UP):
        analyse(parse_file(data, kind), job)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        analyse(parse_file(data, kind), job)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        print(f"pinned to CPU {min(os.sched_getaffinity(0))}")
    else:
        print("CPU pinning unavailable on this platform")

    cv, pdf = two_page_cv()
    cases = [
        ("pdf two-column, 2 pages", pdf, FileKind.PDF, None),
        ("pdf + job description", pdf, FileKind.PDF, JOB),
        ("docx", render(cv, "docx")[0], FileKind.DOCX, None),
        ("docx table layout", render(cv, "docx_table")[0], FileKind.DOCX, None),
        ("txt", render(cv, "txt")[0], FileKind.TXT, None),
    ]
    parsed = parse_file(pdf, FileKind.PDF)
    print(
        f"CV {cv.ident} ({cv.lang}): {len(pdf) / 1024:.0f} KiB PDF, {parsed.page_count} pages, "
        f"{len(parsed.text)} chars, {len(parsed.experience)} jobs, {len(parsed.skills)} skills"
    )
    print(f"{args.runs} runs after {WARM_UP} warm-up runs, parse_file + analyse\n")
    print(f"  {'case':<26}{'median':>10}{'p95':>10}{'max':>10}")
    medians = {}
    for name, data, kind, job in cases:
        ms = _time(data, kind, args.runs, job)
        medians[name] = statistics.median(ms)
        print(
            f"  {name:<26}{statistics.median(ms):>8.1f}ms{_percentile(ms, 0.95):>8.1f}ms"
            f"{max(ms):>8.1f}ms"
        )
    headline = medians[cases[0][0]]
    verdict = "ok" if headline < TARGET_MEDIAN_MS else "OVER TARGET"
    print(
        f"\n{verdict}: two-column PDF median {headline:.1f} ms (target < {TARGET_MEDIAN_MS:.0f} ms)"
    )
    return 0 if headline < TARGET_MEDIAN_MS else 1


if __name__ == "__main__":
    sys.exit(main())
