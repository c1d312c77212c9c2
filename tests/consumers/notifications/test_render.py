"""Templates, choices and the pure rules of notifications: no services."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from consumers.notifications import rules
from consumers.notifications.render import render, sample_data
from infra import mail_links
from infra.settings import Settings
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


@pytest.mark.parametrize(
    ("user_agent", "device"),
    [
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
            "Edge · Windows",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like "
            "Gecko) Version/17.5 Safari/605.1.15",
            "Safari · macOS",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Mobile Safari/537.36",
            "Chrome · Android",
        ),
        ("curl/8.5.0", "curl/8.5.0"),
        (None, None),
    ],
)
def test_device_of_a_user_agent(user_agent: str | None, device: str | None) -> None:
    assert rules.device_of(user_agent) == device


def test_local_time_is_the_users_clock() -> None:
    moment = datetime(2026, 12, 2, 15, 4, tzinfo=UTC)
    assert rules.local_time(moment, "America/Sao_Paulo", "pt-BR") == (
        "02/12/2026 12:04 (America/Sao_Paulo)"
    )
    assert rules.local_time(moment, "Europe/Lisbon", "en") == "2 Dec 2026, 15:04 (Europe/Lisbon)"
    assert rules.local_time(moment, "Not/AZone", "en") == "2 Dec 2026, 15:04 (UTC)"


def test_verification_links_expire_and_name_the_address(settings: Settings) -> None:
    user_id = uuid.uuid4()
    url = mail_links.verification_url(settings, user_id, "Ana@Example.com", now=1_000_000)
    token = url.split("token=")[1]
    hours = settings.notifications.verify_link_hours
    link = mail_links.read_verification(settings, token, now=1_000_000 + hours * 3600 - 1)
    assert link.user_id == user_id
    assert link.email_digest == mail_links.email_digest("ana@example.com")
    with pytest.raises(mail_links.ExpiredLinkError):
        mail_links.read_verification(settings, token, now=1_000_000 + hours * 3600 + 1)


def test_link_tokens_serve_one_purpose_and_each_mail_gets_its_own(settings: Settings) -> None:
    user_id = uuid.uuid4()
    first = mail_links.unsubscribe_url(settings, user_id, "analysis").split("token=")[1]
    second = mail_links.unsubscribe_url(settings, user_id, "analysis").split("token=")[1]
    assert first != second
    assert mail_links.read_unsubscribe(settings, first).nonce != (
        mail_links.read_unsubscribe(settings, second).nonce
    )
    with pytest.raises(InvalidSignatureError):
        mail_links.read_verification(settings, first)
    verify = mail_links.verification_url(settings, user_id, "a@example.com").split("token=")[1]
    with pytest.raises(InvalidSignatureError):
        mail_links.read_unsubscribe(settings, verify)
