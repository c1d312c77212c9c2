"""Property-based fuzzing of the parser entry points, each input under a hard ceiling.

Inputs run in the parse sandbox (a child process killed past its budget, under an
address-space limit), so a pathological input fails the test as "over budget" instead
of hanging the suite. Generated texts repeat CV-like pieces up to hundreds of kilobytes:
the shape that made the old patterns quadratic.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consumers.parsing import sandbox as sandbox_module
from consumers.parsing.errors import CODES, ParseError
from consumers.parsing.sandbox import ParseSandbox
from schemas.files import FileKind
from tests.consumers.parsing.factories import one_column_pdf
from tests.support.documents import docx_cv

# Per input; a linear parse of the largest one takes well under a second.
CEILING_S = 20.0
_PIECES = [
    "Python",
    "SQL",
    "São Paulo",
    " - SP",
    "(11)",
    " 98765-4321",
    "+55",
    "@",
    "ana",
    ".com",
    "github.com/",
    "linkedin.com/in/",
    "Ana",
    " Maria",
    " da",
    " Silva",
    "\n",
    " ",
    "-",
    "•",
    "EXPERIÊNCIA",
    "2019",
    " – ",
    "atual",
    "jan/2020",
    ",",
    "|",
    "C++",
    ".NET",
    "R$",
    "x" * 50,
    "\t",
    "/",
    "’",
    "Rio de Janeiro",
    ", Brasil",
]
_texts = st.tuples(
    st.lists(st.sampled_from(_PIECES), min_size=1, max_size=30), st.integers(1, 4000)
).map(lambda t: "".join(t[0]) * t[1])


@pytest.fixture(scope="module")
def run() -> Iterator[object]:
    loop = asyncio.new_event_loop()
    box = ParseSandbox(timeout_seconds=CEILING_S, memory_bytes=1536 * 1024 * 1024)

    def parse(data: bytes, kind: FileKind) -> None:
        failure: ParseError | None = None
        try:
            loop.run_until_complete(box.parse(data, kind))
        except ParseError as exc:
            failure = exc
        if failure is not None:
            assert failure.reason != sandbox_module._TIMED_OUT, f"over the {CEILING_S}s ceiling"
            assert failure.reason != sandbox_module._CRASHED, "the parser crashed"
            assert failure.code in CODES

    yield parse
    box.close()
    loop.close()


_FUZZ = settings(
    max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


@_FUZZ
@given(text=_texts)
def test_any_text_parses_within_the_ceiling(run, text):
    run(text.encode(), FileKind.TXT)


@_FUZZ
@given(data=st.binary(max_size=20_000))
def test_any_bytes_as_text_parse_within_the_ceiling(run, data):
    run(data, FileKind.TXT)


def _mutated(document: bytes) -> st.SearchStrategy[bytes]:
    edits = st.lists(st.tuples(st.integers(0, len(document) - 1), st.integers(0, 255)), max_size=20)
    cut = st.integers(len(document) // 2, len(document))

    def apply(args: tuple[list[tuple[int, int]], int]) -> bytes:
        changes, end = args
        data = bytearray(document)
        for at, value in changes:
            data[at] = value
        return bytes(data[:end])

    return st.tuples(edits, cut).map(apply)


_PDF = one_column_pdf(["Ana Maria da Silva", "São Paulo - SP", "Python e SQL"] * 5)
_DOCX = docx_cv()


@_FUZZ
@given(data=_mutated(_PDF))
def test_damaged_pdfs_end_with_a_clear_outcome(run, data):
    run(data, FileKind.PDF)


@_FUZZ
@given(data=_mutated(_DOCX))
def test_damaged_docx_files_end_with_a_clear_outcome(run, data):
    run(data, FileKind.DOCX)
