"""Rendering a notification: subject, plain text and HTML from one template per locale.
Pure: templates in, strings out; no I/O beyond reading the package's own templates."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from schemas.notifications import LOCALES, TEMPLATES

TEMPLATE_DIR = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        # HTML is escaped; the text part and the subject are plain text.
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        keep_trailing_newline=True,
    )


def render(template: str, locale: str, data: dict[str, Any]) -> Rendered:
    if template not in TEMPLATES:
        raise KeyError(f"unknown template {template!r}; known: {', '.join(TEMPLATES)}")
    if locale not in LOCALES:
        raise KeyError(f"unknown locale {locale!r}; known: {', '.join(LOCALES)}")
    env = _environment()
    context = {
        "name": None,
        "link": None,
        "unsubscribe_url": None,
        "verify_url": None,
        **data,
        "locale": locale,
    }
    text_template = env.get_template(f"{template}.{locale}.txt")
    subject = "".join(text_template.blocks["subject"](text_template.new_context(context)))
    context["subject"] = " ".join(subject.split())
    text = text_template.render(context)
    html = env.get_template(f"{template}.{locale}.html").render(context)
    return Rendered(subject=context["subject"], text=_tidy(text), html=html)


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out) + "\n"


def sample_data(template: str, locale: str) -> dict[str, Any]:
    """What ``recoloca notifications preview`` renders a template with."""
    en = locale == "en"
    base: dict[str, Any] = {
        "name": "Ana",
        "link": "http://127.0.0.1:8000/",
        "unsubscribe_url": None,
    }
    samples: dict[str, dict[str, Any]] = {
        "welcome": {
            "verify_url": "http://127.0.0.1:8000/v1/auth/verify?token=sample",
            "verify_hours": 72,
        },
        "cv_scored": {
            "score": 72,
            "fixes": [
                "Add numbers to your results" if en else "Coloque números nos seus resultados",
                "Put your skills in their own section"
                if en
                else "Crie uma seção só para as competências",
                "Cut the summary to three lines" if en else "Reduza o resumo a três linhas",
            ],
            "unsubscribe_url": "http://127.0.0.1:8000/v1/notifications/unsubscribe?token=sample",
        },
        "cv_failed": {
            "code": "no_extractable_text",
            "unsubscribe_url": "http://127.0.0.1:8000/v1/notifications/unsubscribe?token=sample",
        },
        "subscription_changed": {
            "plan": "pro",
            "previous_plan": "free",
            "status": "active",
            "cancel_at_period_end": False,
            "period_end": "2027-01-02",
        },
        "payment_failed": {"amount": "R$ 29,90", "next_attempt": "2026-12-05"},
        "export_ready": {},
        "security_alert": {
            "kind": "new_device",
            "when": "2 Dec 2026, 12:04 (America/Sao_Paulo)"
            if en
            else "02/12/2026 12:04 (America/Sao_Paulo)",
            "ip": "203.0.113.7",
            "device": "Firefox · Windows",
            "key_name": None,
        },
        "coach_replied": {
            "session_id": "00000000-0000-0000-0000-000000000000",
            "unsubscribe_url": "http://127.0.0.1:8000/v1/notifications/unsubscribe?token=sample",
        },
        "announcement": {
            "title": "Job match is better now" if en else "A comparação com vagas melhorou",
            "body": "Paste a job ad next to your CV to see the missing keywords."
            if en
            else "Cole o anúncio da vaga junto do currículo para ver as palavras que faltam.",
            "unsubscribe_url": "http://127.0.0.1:8000/v1/notifications/unsubscribe?token=sample",
        },
    }
    return {**base, **samples[template]}
