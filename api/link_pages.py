"""The small pages that links in mails open (unsubscribe, e-mail verification): plain
HTML in the user's language, no script, readable on a phone."""

from __future__ import annotations

import html

from fastapi.responses import HTMLResponse

_PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width"><title>Recoloca</title></head>
<body style="font-family:Arial,Helvetica,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem">
<h1 style="color:#0b6e4f">Recoloca</h1>{body}</body></html>"""


def link_page(locale: str, body: str) -> HTMLResponse:
    """``body`` is HTML the caller built (escaping what it took from elsewhere)."""
    return HTMLResponse(_PAGE.format(lang=html.escape(locale), body=body))
