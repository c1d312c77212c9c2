from consumers.parsing.bounds import (
    MAX_LINE_CHARS,
    MAX_TEXT_CHARS,
    MAX_TOKEN_CHARS,
    bound_text,
)
from tests.consumers.parsing.hostile import long_word
from tests.consumers.parsing.samples import PT_CV


def test_text_within_bounds_is_unchanged():
    assert bound_text(PT_CV) == PT_CV


def test_long_tokens_are_cut_and_short_ones_kept():
    text = f"Python {long_word(5_000)} Docker"

    bounded = bound_text(text)

    assert bounded == f"Python {long_word(5_000)[:MAX_TOKEN_CHARS]} Docker"


def test_long_lines_are_broken_at_spaces():
    line = " ".join(["palavra"] * 3_000)

    pieces = bound_text(line).split("\n")

    assert len(pieces) > 1
    assert all(len(p) <= MAX_LINE_CHARS for p in pieces)
    assert " ".join(pieces) == line


def test_the_whole_text_is_capped():
    text = "Python e SQL\n" * 100_000

    assert len(bound_text(text)) == MAX_TEXT_CHARS
