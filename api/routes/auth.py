from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Header, Query, status
from fastapi.responses import HTMLResponse, JSONResponse

from api.deps import RequestMetaDep, ResourcesDep, SessionDep
from api.errors import PROBLEM, PROBLEM_MEDIA_TYPE, Problem, problem
from api.link_pages import link_page
from api.policies import PUBLIC, USER, PrincipalDep, requires
from api.schemas import EmailVerifiedOut, MfaLogInIn, RefreshIn, RegisterIn, TokenOut, UserOut
from api.services import auth
from api.services.errors import MfaRequiredError
from api.services.locale import locale_from_accept_language
from infra.ratelimit import Bucket

router = APIRouter(prefix="/v1/auth", tags=["auth"])


class MfaRequiredProblem(Problem):
    mfa_token: str | None = None


# A 401 is either wrong credentials or, with MFA on, `mfa_required` with its mfa_token.
_TOKEN_401: dict[str, Any] = {
    "description": "A problem; `mfa_required` carries the `mfa_token` for /v1/auth/mfa",
    "content": {PROBLEM_MEDIA_TYPE: {"schema": MfaRequiredProblem.model_json_schema()}},
}


def _token_out(pair: auth.TokenPair) -> TokenOut:
    return TokenOut(
        access_token=pair.access_token, refresh_token=pair.refresh_token, expires_in=pair.expires_in
    )


@router.post(
    "/register",
    dependencies=[requires(PUBLIC, limit=Bucket.REGISTRATION)],
    status_code=status.HTTP_201_CREATED,
    response_model=UserOut,
    responses={409: PROBLEM, 422: PROBLEM, 429: PROBLEM},
)
async def register(
    body: RegisterIn,
    session: SessionDep,
    resources: ResourcesDep,
    meta: RequestMetaDep,
    accept_language: Annotated[str | None, Header()] = None,
) -> UserOut:
    locale = body.locale or locale_from_accept_language(accept_language)
    user = await auth.register(
        session, resources.hashing, body.email, body.password, locale=locale, meta=meta
    )
    return UserOut(id=user.id, email=user.email, created_at=user.created_at)


@router.post(
    "/token",
    dependencies=[requires(PUBLIC, limit=Bucket.LOGIN_IP)],
    response_model=TokenOut,
    # 403: `account_disabled`, once the password is right.
    responses={401: _TOKEN_401, 403: PROBLEM, 422: PROBLEM, 429: PROBLEM},
)
async def token(
    # OAuth2's password grant, as form fields: FastAPI's OAuth2PasswordRequestForm is a
    # class, built in a worker thread on every log-in.
    username: Annotated[str, Form()],
    password: Annotated[str, Form(json_schema_extra={"format": "password"})],
    session: SessionDep,
    resources: ResourcesDep,
    meta: RequestMetaDep,
    grant_type: Annotated[str | None, Form(pattern="^password$")] = None,
) -> TokenOut | JSONResponse:
    try:
        pair = await auth.log_in(
            session,
            resources.settings,
            resources.hashing,
            username,
            password,
            meta,
            resources.limiter,
        )
    except MfaRequiredError as exc:
        return problem(exc.status, exc.code, exc.title, exc.detail, mfa_token=exc.mfa_token)
    return _token_out(pair)


@router.post(
    "/mfa",
    dependencies=[requires(PUBLIC, limit=Bucket.LOGIN_IP)],
    response_model=TokenOut,
    responses={401: PROBLEM, 403: PROBLEM, 422: PROBLEM, 429: PROBLEM},
)
async def mfa(
    body: MfaLogInIn, session: SessionDep, resources: ResourcesDep, meta: RequestMetaDep
) -> TokenOut:
    """The second step of a log-in with MFA on: the mfa_token and a code give the tokens."""
    pair = await auth.complete_mfa(session, resources.settings, body.mfa_token, body.code, meta)
    return _token_out(pair)


@router.post(
    "/refresh",
    dependencies=[requires(PUBLIC)],
    response_model=TokenOut,
    responses={401: PROBLEM, 422: PROBLEM},
)
async def refresh(
    body: RefreshIn, session: SessionDep, resources: ResourcesDep, meta: RequestMetaDep
) -> TokenOut:
    pair = await auth.refresh(
        session, resources.settings.auth, resources.sessions, body.refresh_token, meta
    )
    return _token_out(pair)


@router.post(
    "/logout",
    dependencies=[requires(USER)],
    status_code=status.HTTP_204_NO_CONTENT,
    responses={401: PROBLEM},
)
async def logout(
    principal: PrincipalDep, session: SessionDep, resources: ResourcesDep, meta: RequestMetaDep
) -> None:
    """End this session: its refresh token and every access token issued with it."""
    await auth.log_out(session, resources.sessions, principal.user_id, principal.family_id, meta)


@router.get(
    "/verify",
    dependencies=[requires(PUBLIC, limit=Bucket.LOGIN_IP)],
    response_model=EmailVerifiedOut,
    responses={
        200: {"content": {"text/html": {}}},
        400: PROBLEM,
        410: PROBLEM,
        422: PROBLEM,
        429: PROBLEM,
    },
)
async def verify(
    token: Annotated[str, Query(min_length=10, max_length=512)],
    session: SessionDep,
    resources: ResourcesDep,
    meta: RequestMetaDep,
    accept: Annotated[str | None, Header()] = None,
) -> EmailVerifiedOut | HTMLResponse:
    """The link of the welcome mail: proves the address reaches the account's owner.
    Works again without changing anything; a browser gets a page, a client JSON."""
    user = await auth.verify_email(session, resources.settings, token, meta)
    assert user.email_verified_at is not None
    if accept and "text/html" in accept:
        done = (
            "Your email address is confirmed. Thank you!"
            if user.locale == "en"
            else "Seu e-mail está confirmado. Obrigado!"
        )
        return link_page(user.locale, f"<p>{done}</p>")
    return EmailVerifiedOut(email=user.email, email_verified_at=user.email_verified_at)
