"""Templates, choices and the pure rules of notifications: no services."""

from __future__ import annotations

import pytest

from consumers.notifications import rules
from consumers.notifications.render import render, sample_data
from infra.signing import InvalidSignatureError, sign_token, verify_token
from schemas import notifications as cat


@pytest.mark.parametrize("locale", cat.LOCALES)
@pytest.mark.parametrize("template", sorted(cat.TEMPLATES))
def test_every_template_renders_in_both_locales(template: str, locale: str) -> None:
    rendered = render(template, locale, sample_data(template, locale))
    assert rendered.subject
    assert "\n" not in rendered.subject
    assert "Ana" in rendered.text
    assert "Ana" in rendered.html
    assert f'<html lang="{locale}">' in rendered.html
    assert "http://127.0.0.1:8000/" in rendered.text


def test_locales_differ() -> None:
    pt = render("welcome", "pt-BR", sample_data("welcome", "pt-BR"))
    en = render("welcome", "en", sample_data("welcome", "en"))
    assert "Boas-vindas" in pt.subject
    assert "Welcome" in en.subject


def test_html_is_escaped_and_text_is_not() -> None:
    data = {**sample_data("cv_scored", "en"), "name": "<script>x</script>", "fixes": ["a & b"]}
    rendered = render("cv_scored", "en", data)
    assert "<script>" not in rendered.html
    assert "&lt;script&gt;" in rendered.html
    assert "a &amp; b" in rendered.html
    assert "a & b" in rendered.text


def test_cv_scored_has_the_score_and_three_fixes() -> None:
    data = {**sample_data("cv_scored", "pt-BR"), "score": 64}
    rendered = render("cv_scored", "pt-BR", data)
    assert "64/100" in rendered.subject
    for fix in data["fixes"]:
        assert fix in rendered.text
        assert fix in rendered.html


@pytest.mark.parametrize("code", cat.FAILURE_CODES)
def test_each_failure_code_is_explained(code: str) -> None:
    generic = render("cv_failed", "en", {"code": "something_else"}).text
    explained = render("cv_failed", "en", {"code": code}).text
    assert explained != generic


def test_unknown_template_or_locale_is_refused() -> None:
    with pytest.raises(KeyError):
        render("nope", "en", {})
    with pytest.raises(KeyError):
        render("welcome", "fr", {})


def test_top_fixes_take_the_most_severe_first() -> None:
    suggestions = [
        {"severity": "low", "message": "l1"},
        {"severity": "high", "message": "h1"},
        {"severity": "medium", "message": "m1"},
        {"severity": "high", "message": "h2"},
    ]
    assert rules.top_fixes(suggestions) == ["h1", "h2", "m1"]


def test_locale_falls_back_to_portuguese() -> None:
    assert rules.locale_of("en") == "en"
    assert rules.locale_of("en-GB") == "en"
    assert rules.locale_of("pt-BR") == "pt-BR"
    assert rules.locale_of(None) == "pt-BR"
    assert rules.locale_of("es") == "pt-BR"


def test_transactional_mail_cannot_be_turned_off() -> None:
    off = {(name, ch): False for name in cat.CATEGORIES for ch in cat.CHANNELS}
    assert cat.enabled(cat.BILLING, cat.EMAIL, off)
    assert cat.enabled(cat.ACCOUNT, cat.EMAIL, off)
    assert not cat.enabled(cat.ANALYSIS, cat.EMAIL, off)
    assert cat.enabled(cat.ANALYSIS, cat.EMAIL, {})


def test_signed_tokens_are_bound_to_key_and_purpose() -> None:
    token = sign_token(b"k", "unsubscribe", "user:analysis")
    assert verify_token(b"k", "unsubscribe", token) == "user:analysis"
    for key, purpose, value in (
        (b"other", "unsubscribe", token),
        (b"k", "other", token),
        (b"k", "unsubscribe", token[:-2] + "xx"),
        (b"k", "unsubscribe", "garbage"),
    ):
        with pytest.raises(InvalidSignatureError):
            verify_token(key, purpose, value)
