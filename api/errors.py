"""Every error leaves the API as an RFC 9457 problem body with a stable ``code``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.services.errors import DomainError
from infra.db.session import DATABASE_UNAVAILABLE, database_unavailable
from infra.ratelimit import RateLimitedError, TooManyStreamsError

PROBLEM_MEDIA_TYPE = "application/problem+json"
log = structlog.get_logger(__name__)

_RETRY_AFTER_SECONDS = 2


class Problem(BaseModel):
    """The body of every error response."""

    type: str = "about:blank"
    status: int
    code: str = Field(description="Stable and machine-readable, e.g. `file_too_large`")
    title: str
    detail: str | None = None


# For a route's ``responses``: documents a status as a problem body.
PROBLEM: dict[str, Any] = {
    "description": "A problem (RFC 9457) with a stable `code`",
    "content": {PROBLEM_MEDIA_TYPE: {"schema": Problem.model_json_schema()}},
}

_HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    408: "request_timeout",
    413: "file_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
}


def problem(
    status: int,
    code: str,
    title: str,
    detail: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = {"type": "about:blank", "status": status, "code": code, "title": title}
    if detail is not None:
        body["detail"] = detail
    body.update(extra)
    all_headers = dict(headers or {})
    if status == 401:
        all_headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse(
        body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=all_headers or None
    )


async def _domain_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    detail = exc.detail if exc.detail != exc.title else None
    return problem(exc.status, exc.code, exc.title, detail, **exc.extra)


async def _rate_limited(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RateLimitedError)
    return problem(
        429,
        "rate_limited",
        "Too many requests",
        f"Try again in {exc.retry_after} seconds.",
        headers={"Retry-After": str(exc.retry_after)},
    )


async def _too_many_streams(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, TooManyStreamsError)
    return problem(
        429,
        "rate_limited",
        "Too many open event streams",
        f"At most {exc.cap} event streams may be open at once; close one first.",
        headers={"Retry-After": str(exc.retry_after)},
    )


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    # Field locations and messages only: echoing the input could echo a password.
    errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
    return problem(422, "validation_error", "The request is not valid", errors=errors)


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    # Keep what the framework says in headers (``Allow`` on a 405).
    return problem(exc.status_code, code, str(exc.detail), headers=exc.headers)


async def _database_unavailable(_request: Request, exc: Exception) -> JSONResponse:
    log.warning("database unavailable", error=type(exc).__name__)
    return problem(
        503,
        "database_unavailable",
        "The database cannot be reached right now",
        f"Nothing was saved; try again in {_RETRY_AFTER_SECONDS} seconds.",
        headers={"Retry-After": str(_RETRY_AFTER_SECONDS)},
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    # The server logs the traceback itself: the exception goes on up once this is sent.
    if database_unavailable(exc):
        return await _database_unavailable(request, exc)
    return problem(500, "internal_error", "Something went wrong on our side")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RateLimitedError, _rate_limited)
    app.add_exception_handler(TooManyStreamsError, _too_many_streams)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    for unavailable in DATABASE_UNAVAILABLE:
        app.add_exception_handler(unavailable, _database_unavailable)
    # Anything else (a driver error on a connection the server closed mid-statement is
    # the one transient case) is still a problem body, never the framework's plain text.
    app.add_exception_handler(Exception, _unexpected)
