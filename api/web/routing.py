"""How page routes answer errors: as pages, not problem bodies.

A signed-out visitor is sent to the log-in page; any other domain error becomes an
error page in the visitor's language. A script calling a page route for JSON (upload,
coach messages) gets the API's problem body instead, with its machine-readable code.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute

from api.services.errors import DomainError, NotAuthenticatedError
from api.web import i18n
from api.web import sessions as web_sessions
from api.web.render import Viewer, anonymous, render


def wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def error_page(request: Request, status: int, code: str, title: str) -> Response:
    settings = request.app.state.resources.settings
    viewer = anonymous(request)
    handle = getattr(request.state, "browser_session", None)
    email = getattr(request.state, "user_email", None)
    if handle and email:
        # Signed in: the header's forms (language, sign out) need the session's token.
        viewer = Viewer(
            locale=getattr(request.state, "user_locale", viewer.locale),
            csrf=web_sessions.csrf_token(settings, handle),
            user_email=email,
        )
    message = i18n.error_text(viewer.locale, code, title)
    return render(
        request, settings, viewer, "error.html", status_code=status, code=code, message=message
    )


class PageRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except NotAuthenticatedError:
                if wants_json(request):
                    raise
                back = request.url.path if request.method == "GET" else "/app"
                return RedirectResponse(f"/login?next={quote(back)}", status_code=303)
            except DomainError as exc:
                if wants_json(request):
                    raise
                return error_page(request, exc.status, exc.code, exc.title)
            except RequestValidationError:
                if wants_json(request):
                    raise
                # A malformed id in a page's address is a page that does not exist.
                return error_page(request, 404, "not_found", "Not found")

        return page_handler
