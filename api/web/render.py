"""Rendering pages: one Jinja2 environment (autoescaped), the page context, the locale."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.services.locale import locale_from_accept_language
from api.web import i18n
from api.web import sessions as web_sessions
from infra.settings import Settings
from schemas.users import Locale

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
STATIC_PATH = "/static"

_env = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _date(value: datetime, locale: Locale) -> str:
    return value.strftime("%d/%m/%Y" if locale == "pt-BR" else "%Y-%m-%d")


_env.filters["date"] = _date


@dataclass
class Viewer:
    """Who the page is for: locale, signed-in user (or not), the CSRF token of its forms."""

    locale: Locale
    csrf: str
    user_email: str | None = None
    # The signed-in user's role: the console's links show for operators and admins only.
    role: str = "user"
    # A new anonymous CSRF token to set as a cookie with the response.
    new_anon_csrf: str | None = None
    extra_cookies: dict[str, str] = field(default_factory=dict)

    @property
    def signed_in(self) -> bool:
        return self.user_email is not None


def request_locale(request: Request) -> Locale:
    chosen = request.cookies.get(web_sessions.LOCALE_COOKIE)
    if chosen in i18n.LOCALES:
        return chosen
    return locale_from_accept_language(request.headers.get("accept-language"))


def anonymous(request: Request) -> Viewer:
    token = request.cookies.get(web_sessions.ANON_CSRF_COOKIE)
    fresh = None
    if not token or len(token) != 43:
        token = fresh = secrets.token_urlsafe(32)
    return Viewer(locale=request_locale(request), csrf=token, new_anon_csrf=fresh)


def render(
    request: Request,
    settings: Settings,
    viewer: Viewer,
    template: str,
    *,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    t = i18n.translator(viewer.locale)
    html = _env.get_template(template).render(
        t=t,
        viewer=viewer,
        locale=viewer.locale,
        path=request.url.path,
        static=STATIC_PATH,
        **context,
    )
    response = HTMLResponse(html, status_code=status_code)
    # Pages carry personal data and CSRF tokens: never from a shared cache.
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Vary"] = "Cookie, Accept-Language"
    if viewer.new_anon_csrf:
        response.set_cookie(
            web_sessions.ANON_CSRF_COOKIE,
            viewer.new_anon_csrf,
            path="/",
            httponly=True,
            samesite="lax",
            secure=web_sessions.secure_cookies(settings),
        )
    return response
