"""The locale of a new account from Accept-Language."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.services.locale import SUPPORTED, locale_from_accept_language


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "pt-BR"),
        ("", "pt-BR"),
        ("en-US,en;q=0.9,pt-BR;q=0.8", "en"),
        ("pt-PT", "pt-BR"),
        ("EN-gb", "en"),
        ("fr, en;q=0.5", "en"),  # the first supported one in order of preference
        ("en;q=0.1, pt;q=0.2", "pt-BR"),  # q-values, not position
        ("pt;q=0.5, en;q=0.5", "pt-BR"),  # a tie goes to the first listed
        ("en;q=0", "pt-BR"),  # q=0 means "not acceptable"
        ("es, de", "pt-BR"),
        ("*", "pt-BR"),
        ("en;q=abc, pt;q=2", "pt-BR"),  # malformed q-values are not acceptable
    ],
)
def test_preferences(header: str | None, expected: str) -> None:
    assert locale_from_accept_language(header) == expected


@given(st.text(max_size=3000))
def test_any_header_gives_a_supported_locale(header: str) -> None:
    assert locale_from_accept_language(header) in SUPPORTED
