"""No CV or job description can close the quote it is placed in."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from infra.ai.prompts import _quotable

_CLOSING = re.compile(r"<\s*/\s*(?:cv|job_description)\s*>", re.IGNORECASE)
_PIECES = ["<", "/", ">", "cv", "CV", "Cv", "job_description", " ", "\u200b", "c", "v", "x"]


def test_nested_and_cased_tags_are_neutralised():
    for hostile in ("</c</cv>v>", "</CV>", "< / cv >", "</job_description>", "<cv>", "＜/cv>"):
        quoted = _quotable(hostile)
        assert not _CLOSING.search(quoted), (hostile, quoted)
        assert "<cv>" not in quoted.lower()


def test_ordinary_angle_brackets_stay():
    assert _quotable("C<3 e a<b; <b>negrito</b>") == "C<3 e a<b; <b>negrito</b>"


@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_no_input_can_close_the_quote(text):
    quoted = _quotable(text)
    assert not _CLOSING.search(quoted.replace("\u200b", ""))
    assert _quotable(quoted) == quoted  # nothing left to neutralise
