"""The web application's pages: thin adapters over the same services as the JSON API.

Reads render server-side; every change is an HTML form posted here (with its CSRF
token), which scripts may send with fetch for a live page instead of a reload."""

from __future__ import annotations

import base64
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, Response, status
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse
from pydantic import ValidationError

from api.deps import RequestIdDep, RequestMetaDep, ResourcesDep, SessionDep
from api.forms import read_cv_form
from api.policies import (
    ADMIN,
    OPERATOR,
    PUBLIC,
    USER,
    CurrentUserId,
    PrincipalDep,
    get_principal,
    requires,
)
from api.schemas import ApiKeyIn, MatchIn, RegisterIn
from api.services import (
    account,
    admin,
    api_keys,
    auth,
    billing,
    coach,
    cvs,
    entitlements,
    mfa,
    notifications,
    ops,
    privacy,
    profile,
)
from api.services.errors import (
    CsrfFailedError,
    DomainError,
    InvalidFormError,
    MfaRequiredError,
    NotAuthenticatedError,
)
from api.web import i18n
from api.web import sessions as web_sessions
from api.web.render import STATIC_DIR, Viewer, anonymous, render, request_locale
from api.web.routing import PageRoute, wants_json
from infra.db.repositories import user_events as user_events_repo
from infra.ratelimit import Bucket
from infra.storage import FileNotStoredError
from infra.stripe_gateway import InvoiceSummary
from schemas import notifications as notification_kinds
from schemas.billing import Currency, Interval, Plan
from schemas.coach import MAX_MESSAGE_CHARS, CoachMode, Rating
from schemas.cv import CvStatus
from schemas.files import report_key
from schemas.topics import TOPICS

router = APIRouter(route_class=PageRoute, include_in_schema=False, tags=["pages"])


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=status.HTTP_303_SEE_OTHER)


def _safe_next(target: str | None) -> str:
    # Only a path of this site: an absolute or protocol-relative URL would be an open redirect.
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/app"


async def signed_in_viewer(
    request: Request, principal: PrincipalDep, session: SessionDep, resources: ResourcesDep
) -> Viewer:
    user = await profile.get(session, principal.user_id)
    handle = getattr(request.state, "browser_session", None)
    csrf = web_sessions.csrf_token(resources.settings, handle) if handle else ""
    request.state.user_email = user.email
    request.state.user_locale = user.locale
    return Viewer(
        locale=user.locale,  # type: ignore[arg-type]
        csrf=csrf,
        user_email=user.email,
        role=str(principal.role),
    )


ViewerDep = Annotated[Viewer, Depends(signed_in_viewer)]


async def _check_anonymous_form(request: Request) -> None:
    expected = request.cookies.get(web_sessions.ANON_CSRF_COOKIE)
    if not expected:
        raise CsrfFailedError("The form's CSRF cookie is missing; reload the page.")
    await web_sessions.check_csrf(request, expected)


async def _start_session(
    request: Request, resources: ResourcesDep, pair: auth.TokenPair, target: str
) -> Response:
    handle = await web_sessions.start(resources.redis, resources.settings, pair)
    response = _see_other(_safe_next(target))
    web_sessions.set_session_cookie(response, resources.settings, handle)
    response.delete_cookie(web_sessions.ANON_CSRF_COOKIE, path="/")
    return response


# --- anonymous pages ---------------------------------------------------------------------


@router.get("/sw.js", dependencies=[requires(PUBLIC)])
async def service_worker() -> Response:
    """The service worker, from the root so that its scope is the whole site."""
    return FileResponse(
        STATIC_DIR / "sw.js",
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache"},
    )


@router.get("/", dependencies=[requires(PUBLIC)], response_class=HTMLResponse)
async def landing(request: Request, resources: ResourcesDep) -> Response:
    if request.cookies.get(web_sessions.SESSION_COOKIE):
        try:
            await get_principal(request, resources, None)
        except NotAuthenticatedError:
            pass
        else:
            return _see_other("/app")
    viewer = anonymous(request)
    return render(
        request,
        resources.settings,
        viewer,
        "landing.html",
        plans=billing.plans(resources.settings),
        deleted=request.query_params.get("deleted") == "1",
    )


@router.get("/login", dependencies=[requires(PUBLIC)], response_class=HTMLResponse)
async def login_page(request: Request, resources: ResourcesDep, next: str = "/app") -> Response:
    return render(
        request, resources.settings, anonymous(request), "login.html", next=_safe_next(next)
    )


@router.post("/login", dependencies=[requires(PUBLIC, limit=Bucket.LOGIN_IP)])
async def login(
    request: Request,
    session: SessionDep,
    resources: ResourcesDep,
    meta: RequestMetaDep,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str, Form(max_length=2000)] = "/app",
) -> Response:
    await _check_anonymous_form(request)
    viewer = anonymous(request)
    try:
        pair = await auth.log_in(
            session,
            resources.settings,
            resources.hashing,
            email,
            password,
            meta,
            resources.limiter,
        )
    except MfaRequiredError as exc:
        return render(
            request,
            resources.settings,
            viewer,
            "mfa.html",
            mfa_token=exc.mfa_token,
            next=_safe_next(next),
        )
    except DomainError as exc:
        return render(
            request,
            resources.settings,
            viewer,
            "login.html",
            status_code=exc.status,
            error=i18n.error_text(viewer.locale, exc.code, exc.title),
            email=email,
            next=_safe_next(next),
        )
    return await _start_session(request, resources, pair, next)


@router.post("/login/mfa", dependencies=[requires(PUBLIC, limit=Bucket.LOGIN_IP)])
async def login_mfa(
    request: Request,
    session: SessionDep,
    resources: ResourcesDep,
    meta: RequestMetaDep,
    mfa_token: Annotated[str, Form(max_length=4000)],
    code: Annotated[str, Form(max_length=64)],
    next: Annotated[str, Form(max_length=2000)] = "/app",
) -> Response:
    await _check_anonymous_form(request)
    viewer = anonymous(request)
    try:
        pair = await auth.complete_mfa(session, resources.settings, mfa_token, code.strip(), meta)
    except DomainError as exc:
        return render(
            request,
            resources.settings,
            viewer,
            "mfa.html",
            status_code=exc.status,
            error=i18n.error_text(viewer.locale, exc.code, exc.title),
            mfa_token=mfa_token,
            next=_safe_next(next),
        )
    return await _start_session(request, resources, pair, next)


@router.get("/signup", dependencies=[requires(PUBLIC)], response_class=HTMLResponse)
async def signup_page(request: Request, resources: ResourcesDep) -> Response:
    return render(request, resources.settings, anonymous(request), "signup.html")


@router.post("/signup", dependencies=[requires(PUBLIC, limit=Bucket.REGISTRATION)])
async def signup(
    request: Request,
    session: SessionDep,
    resources: ResourcesDep,
    meta: RequestMetaDep,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1024)],
) -> Response:
    await _check_anonymous_form(request)
    viewer = anonymous(request)

    def again(code: str, title: str, status_code: int) -> Response:
        return render(
            request,
            resources.settings,
            viewer,
            "signup.html",
            status_code=status_code,
            error=i18n.error_text(viewer.locale, code, title),
            email=email,
        )

    try:
        body = RegisterIn(email=email, password=password, locale=viewer.locale)
    except ValidationError:
        return again("validation_error", "Check the fields.", 422)
    try:
        await auth.register(
            session, resources.hashing, body.email, body.password, locale=viewer.locale, meta=meta
        )
        pair = await auth.log_in(
            session,
            resources.settings,
            resources.hashing,
            body.email,
            body.password,
            meta,
            resources.limiter,
        )
    except DomainError as exc:
        return again(exc.code, exc.title, exc.status)
    return await _start_session(request, resources, pair, "/app")


@router.post("/locale", dependencies=[requires(PUBLIC)])
async def switch_locale(
    request: Request,
    session: SessionDep,
    resources: ResourcesDep,
    meta: RequestMetaDep,
    locale: Annotated[str, Form()],
    back: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """The language switch of the header: remembered in a cookie, and in the profile of
    a signed-in user (so mails and the next device follow it too)."""
    if locale not in i18n.LOCALES:
        locale = request_locale(request)
    if request.cookies.get(web_sessions.SESSION_COOKIE):
        try:
            principal = await get_principal(request, resources, None)
        except NotAuthenticatedError:
            await _check_anonymous_form(request)
        else:
            await profile.update(session, principal.user_id, {"locale": locale}, meta)
    else:
        await _check_anonymous_form(request)
    response = _see_other(_safe_next(back) if back != "/" else "/")
    web_sessions.set_locale_cookie(response, resources.settings, locale)
    return response


# --- signed-in pages -------------------------------------------------------------------


@router.post("/logout", dependencies=[requires(USER)])
async def logout(
    request: Request,
    principal: PrincipalDep,
    session: SessionDep,
    resources: ResourcesDep,
    meta: RequestMetaDep,
) -> Response:
    await auth.log_out(session, resources.sessions, principal.user_id, principal.family_id, meta)
    handle = request.cookies.get(web_sessions.SESSION_COOKIE)
    if handle:
        await web_sessions.end(resources.redis, handle)
    response = _see_other("/")
    web_sessions.clear_session_cookie(response, resources.settings)
    return response


def score_changes(rows: list[cvs.CvView]) -> dict[uuid.UUID, int]:
    """Each scored CV's score minus that of the scored CV uploaded before it (``rows``
    newest first): how the user's versions of their CV are going."""
    changes: dict[uuid.UUID, int] = {}
    previous: int | None = None
    for row in reversed(rows):
        if row.analysis is None:
            continue
        if previous is not None:
            changes[row.cv.id] = row.analysis.score - previous
        previous = row.analysis.score
    return changes


@router.get("/app", dependencies=[requires(USER)], response_class=HTMLResponse)
async def dashboard(
    request: Request,
    viewer: ViewerDep,
    principal: PrincipalDep,
    session: SessionDep,
    resources: ResourcesDep,
) -> Response:
    rows, total = await cvs.list_for_user(
        session, resources.vault, principal.user_id, limit=50, offset=0
    )
    standing, usage = await entitlements.usage(
        session, resources.settings.billing, principal.user_id
    )
    _, _, unread = await notifications.page(session, principal.user_id, limit=1, offset=0)
    return render(
        request,
        resources.settings,
        viewer,
        "dashboard.html",
        rows=rows,
        changes=score_changes(rows),
        total=total,
        plan=standing.plan,
        usage=usage,
        unread=unread,
    )


async def _since(session: SessionDep, user_id: uuid.UUID) -> int:
    # The page's event stream starts after what the page already shows.
    return await user_events_repo.last_id(session, user_id)


@router.get("/app/upload", dependencies=[requires(USER)], response_class=HTMLResponse)
async def upload_page(
    request: Request,
    viewer: ViewerDep,
    principal: PrincipalDep,
    session: SessionDep,
    resources: ResourcesDep,
) -> Response:
    return render(
        request,
        resources.settings,
        viewer,
        "upload.html",
        max_bytes=resources.settings.api.max_upload_bytes,
        since=await _since(session, principal.user_id),
    )


@router.post("/app/upload", dependencies=[requires(USER, limit=Bucket.UPLOADS)])
async def upload(
    request: Request,
    viewer: ViewerDep,
    principal: PrincipalDep,
    session: SessionDep,
    resources: ResourcesDep,
    request_id: RequestIdDep,
) -> Response:
    """The upload form (multipart, read after the session and CSRF checks): JSON for
    the page's script, which follows progress live; a redirect without scripts."""
    max_bytes = resources.settings.api.max_upload_bytes
    try:
        form = await read_cv_form(request, max_bytes)
        cv = await cvs.submit(
            session,
            resources.storage,
            resources.vault,
            user_id=principal.user_id,
            filename=form.filename,
            data=form.data,
            job_description=form.job_description,
            correlation_id=request_id,
            max_bytes=max_bytes,
            billing=resources.settings.billing,
        )
    except DomainError as exc:
        if wants_json(request):
            raise
        return render(
            request,
            resources.settings,
            viewer,
            "upload.html",
            status_code=exc.status,
            error=i18n.error_text(viewer.locale, exc.code, exc.title),
            max_bytes=max_bytes,
            since=await _since(session, principal.user_id),
        )
    url = f"/app/cvs/{cv.id}"
    if wants_json(request):
        return JSONResponse({"id": str(cv.id), "status": cv.status, "url": url}, status_code=202)
    return _see_other(url)


async def _report_ready(resources: ResourcesDep, view: cvs.CvView) -> bool:
    if view.analysis is None:
        return False
    key = report_key(view.cv.user_id, view.cv.id, view.analysis.version)
    try:
        # Reports are tens of kilobytes and sealed: reading one is the simplest probe.
        await resources.storage.get(key)
    except FileNotStoredError:
        return False
    return True


@router.get("/app/cvs/{cv_id}", dependencies=[requires(USER)], response_class=HTMLResponse)
async def cv_page(
    cv_id: uuid.UUID,
    request: Request,
    viewer: ViewerDep,
    principal: PrincipalDep,
    session: SessionDep,
    resources: ResourcesDep,
) -> Response:
    view = await cvs.get(session, resources.vault, principal.user_id, cv_id)
    return render(
        request,
        resources.settings,
        viewer,
        "cv.html",
        view=view,
        versions=await cvs.versions(session, resources.vault, principal.user_id, cv_id),
        a=view.analysis_body,
        report_ready=await _report_ready(resources, view),
        since=await _since(session, principal.user_id),
    )


@router.get("/app/cvs/{cv_id}/analysis", dependencies=[requires(USER)], response_class=HTMLResponse)
async def cv_analysis_fragment(
    cv_id: uuid.UUID,
    request: Request,
    viewer: ViewerDep,
    principal: PrincipalDep,
    session: SessionDep,
    resources: ResourcesDep,
) -> Response:
    """The analysis part of the CV page alone, for a page that saw ``cv.scored`` arrive."""
    view = await cvs.get(session, resources.vault, principal.user_id, cv_id)
    return render(
        request,
        resources.settings,
        viewer,
        "_analysis.html",
        view=view,
        versions=await cvs.versions(session, resources.vault, principal.user_id, cv_id),
        a=view.analysis_body,
        report_ready=await _report_ready(resources, view),
    )


@router.post("/app/cvs/{cv_id}/match", dependencies=[requires(USER)])
async def cv_match(
    cv_id: uuid.UUID,
    request: Request,
    viewer: ViewerDep,
    principal: PrincipalDep,
    session: SessionDep,
    resources: ResourcesDep,
    request_id: RequestIdDep,
    job_description: Annotated[str, Form(max_length=20_000)],
) -> Response:
    """A new analysis of the CV against another job; ``cv.scored`` brings it to the page."""
    try:
        body = MatchIn(job_description=job_description)
    except ValidationError as exc:
        raise InvalidFormError(
            i18n.error_text(viewer.locale, "job_too_short", "The job description is too short.")
        ) from exc
    await cvs.request_match(
        session,
        resources.vault,
        user_id=principal.user_id,
        cv_id=cv_id,
        job_description=body.job_description,
        correlation_id=request_id,
        billing=resources.settings.billing,
    )
    if wants_json(request):
        return JSONResponse({"id": str(cv_id), "status": "queued"}, status_code=202)
    return _see_other(f"/app/cvs/{cv_id}")


# --- coach -----------------------------------------------------------------------------


@router.get("/app/coach", dependencies=[requires(USER)], response_class=HTMLResponse)
async def coach_page(
    request: Request,
    viewer: ViewerDep,
    principal: PrincipalDep,
    session: SessionDep,
    resources: ResourcesDep,
) -> Response:
    rows, _ = await coach.list_sessions(session, principal.user_id, limit=50, offset=0)
    cv_rows, _ = await cvs.list_for_user(
        session, resources.vault, principal.user_id, limit=50, offset=0
    )
    scored = [row for row in cv_rows if row.cv.status == CvStatus.SCORED]
    return render(
        request,
        resources.settings,
        viewer,
        "coach.html",
        sessions=rows,
        modes=list(CoachMode),
        cvs=scored,
    )


@router.post("/app/coach", dependencies=[requires(USER)])
async def coach_start(
    principal: PrincipalDep,
    session: SessionDep,
    resources: ResourcesDep,
    mode: Annotated[CoachMode | None, Form()] = None,
    cv_id: Annotated[str, Form()] = "",
) -> Response:
    chosen = uuid.UUID(cv_id) if cv_id else None
    created = await coach.create_session(
        session,
        resources.vault,
        user_id=principal.user_id,
        cv_id=chosen,
        mode=mode,
        job_description=None,
    )
    return _see_other(f"/app/coach/{created.id}")


@router.get("/app/coach/{session_id}", dependencies=[requires(USER)], response_class=HTMLResponse)
async def coach_session_page(
    session_id: uuid.UUID,
    request: Request,
    viewer: ViewerDep,
    principal: PrincipalDep,
    session: SessionDep,
    resources: ResourcesDep,
) -> Response:
    found = await coach.get_session(session, principal.user_id, session_id)
    messages, _ = await coach.list_messages(
        session, resources.vault, principal.user_id, session_id, limit=200, offset=0
    )
    return render(
        request,
        resources.settings,
        viewer,
        "coach_session.html",
        coach_session=found,
        max_chars=MAX_MESSAGE_CHARS,
        messages=messages,
        since=await _since(session, principal.user_id),
    )


@router.post("/app/coach/{session_id}/messages", dependencies=[requires(USER, limit=Bucket.COACH)])
async def coach_send(
    session_id: uuid.UUID,
    request: Request,
    principal: PrincipalDep,
    session: SessionDep,
    resources: ResourcesDep,
    request_id: RequestIdDep,
    text: Annotated[str, Form(max_length=20000)],
) -> Response:
    message = await coach.send_message(
        session,
        resources.vault,
        user_id=principal.user_id,
        session_id=session_id,
        text=text,
        correlation_id=request_id,
        billing=resources.settings.billing,
    )
    if wants_json(request):
        return JSONResponse(
            {"message_id": str(message.id), "reply_id": str(coach.reply_id_for(message.id))},
            status_code=202,
        )
    return _see_other(f"/app/coach/{session_id}")


@router.post("/app/coach/{session_id}/cancel", dependencies=[requires(USER)])
async def coach_cancel(
    session_id: uuid.UUID,
    request: Request,
    principal: PrincipalDep,
    session: SessionDep,
    message_id: Annotated[uuid.UUID, Form()],
) -> Response:
    reply_id, reply_status = await coach.cancel(session, principal.user_id, session_id, message_id)
    if wants_json(request):
        return JSONResponse({"reply_id": str(reply_id), "status": reply_status}, status_code=202)
    return _see_other(f"/app/coach/{session_id}")


@router.post("/app/coach/{session_id}/messages/{message_id}/rating", dependencies=[requires(USER)])
async def coach_rate(
    session_id: uuid.UUID,
    message_id: uuid.UUID,
    request: Request,
    principal: PrincipalDep,
    session: SessionDep,
    resources: ResourcesDep,
    rating: Annotated[Rating, Form()],
) -> Response:
    await coach.rate(
        session, resources.vault, principal.user_id, session_id, message_id, rating, None
    )
    if wants_json(request):
        return JSONResponse({"message_id": str(message_id), "rating": rating.value})
    return _see_other(f"/app/coach/{session_id}#m-{message_id}")


# --- plan, notifications, account ------------------------------------------------------


@router.get("/app/billing", dependencies=[requires(USER)], response_class=HTMLResponse)
async def billing_page(
    request: Request,
    viewer: ViewerDep,
    principal: PrincipalDep,
    session: SessionDep,
    resources: ResourcesDep,
) -> Response:
    standing, usage = await entitlements.usage(
        session, resources.settings.billing, principal.user_id
    )
    invoices: list[InvoiceSummary] | None = None
    if resources.stripe is not None:
        try:
            invoices = await billing.invoices(session, resources.stripe, principal.user_id)
        except DomainError:
            # Stripe down or refusing: the plan and usage still show, with a note.
            invoices = None
    return render(
        request,
        resources.settings,
        viewer,
        "billing.html",
        standing=standing,
        usage=usage,
        plans=billing.plans(resources.settings),
        payments=resources.stripe is not None,
        invoices=invoices,
    )


@router.post("/app/billing/checkout", dependencies=[requires(USER)])
async def billing_checkout(
    request: Request,
    viewer: ViewerDep,
    principal: PrincipalDep,
    session: SessionDep,
    resources: ResourcesDep,
    request_id: RequestIdDep,
    interval: Annotated[Interval, Form()] = Interval.MONTH,
    currency: Annotated[Currency, Form()] = Currency.BRL,
) -> Response:
    link = await billing.checkout(
        session,
        resources.settings,
        resources.stripe,
        user_id=principal.user_id,
        plan=Plan.PRO,
        interval=interval,
        currency=currency,
        request_id=request_id,
    )
    return _external(request, viewer, resources, link.url)


@router.post("/app/billing/portal", dependencies=[requires(USER)])
async def billing_portal(
    request: Request,
    viewer: ViewerDep,
    principal: PrincipalDep,
    session: SessionDep,
    resources: ResourcesDep,
) -> Response:
    url = await billing.portal(session, resources.settings, resources.stripe, principal.user_id)
    return _external(request, viewer, resources, url)


def _external(request: Request, viewer: Viewer, resources: ResourcesDep, url: str) -> Response:
    """Off to Stripe's hosted page. Not a redirect: the CSP's form-action keeps forms to
    this site, redirects included, so the script navigates, or the visitor follows a link."""
    if wants_json(request):
        return JSONResponse({"url": url})
    return render(request, resources.settings, viewer, "external.html", url=url)


@router.get("/app/notifications", dependencies=[requires(USER)], response_class=HTMLResponse)
async def notifications_page(
    request: Request,
    viewer: ViewerDep,
    principal: PrincipalDep,
    session: SessionDep,
    resources: ResourcesDep,
) -> Response:
    rows, total, unread = await notifications.page(session, principal.user_id, limit=50, offset=0)
    return render(
        request,
        resources.settings,
        viewer,
        "notifications.html",
        rows=rows,
        total=total,
        unread=unread,
        choices=await notifications.choices(session, principal.user_id),
        channels=notification_kinds.CHANNELS,
        saved=request.query_params.get("saved") == "1",
    )


@router.post("/app/notifications/preferences", dependencies=[requires(USER)])
async def notifications_preferences(
    principal: PrincipalDep,
    session: SessionDep,
    choice: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """The checked boxes are on; every optional box left unchecked is off."""
    checked = set(choice or [])
    wanted = [
        (category.name, channel, f"{category.name}:{channel}" in checked)
        for category in notification_kinds.CATEGORIES.values()
        if category.optional
        for channel in notification_kinds.CHANNELS
    ]
    await notifications.set_choices(session, principal.user_id, wanted)
    return _see_other("/app/notifications?saved=1")


@router.post("/app/notifications/read", dependencies=[requires(USER)])
async def notifications_read(principal: PrincipalDep, session: SessionDep) -> Response:
    await notifications.mark_all_read(session, principal.user_id)
    return _see_other("/app/notifications")


async def _account(
    request: Request,
    viewer: Viewer,
    principal: PrincipalDep,
    session: SessionDep,
    resources: ResourcesDep,
    *,
    status_code: int = 200,
    **notice: Any,
) -> Response:
    user = await profile.get(session, principal.user_id)
    return render(
        request,
        resources.settings,
        viewer,
        "account.html",
        status_code=status_code,
        user=user,
        mfa_enabled=await mfa.is_enabled(session, principal.user_id),
        sessions=await account.list_sessions(session, principal.user_id),
        current_family=principal.family_id,
        keys=await api_keys.list_active(session, principal.user_id),
        locales=i18n.LOCALES,
        **notice,
    )


@router.get("/app/account", dependencies=[requires(USER)], response_class=HTMLResponse)
async def account_page(
    request: Request,
    viewer: ViewerDep,
    principal: PrincipalDep,
    session: SessionDep,
    resources: ResourcesDep,
    done: str | None = None,
    export: uuid.UUID | None = None,
) -> Response:
    notice = done if done in ("saved", "export", "password", "mfa_off") else None
    state = await privacy.export_state(session, principal.user_id, export) if export else None
    return await _account(
        request,
        viewer,
        principal,
        session,
        resources,
        notice=notice,
        export=state,
        since=await _since(session, principal.user_id),
    )


@router.post("/app/account/profile", dependencies=[requires(USER)])
async def account_profile(
    principal: PrincipalDep,
    session: SessionDep,
    resources: ResourcesDep,
    meta: RequestMetaDep,
    display_name: Annotated[str, Form(max_length=100)] = "",
    locale: Annotated[str, Form()] = "pt-BR",
) -> Response:
    changes: dict[str, Any] = {"display_name": display_name.strip() or None}
    if locale in i18n.LOCALES:
        changes["locale"] = locale
    await profile.update(session, principal.user_id, changes, meta)
    response = _see_other("/app/account?done=saved")
    if locale in i18n.LOCALES:
        web_sessions.set_locale_cookie(response, resources.settings, locale)
    return response


@router.post("/app/account/password", dependencies=[requires(USER)])
async def account_password(
    request: Request,
    viewer: ViewerDep,
    principal: PrincipalDep,
    session: SessionDep,
    resources: ResourcesDep,
    meta: RequestMetaDep,
    current_password: Annotated[str, Form(max_length=1024)],
    new_password: Annotated[str, Form(max_length=1024)],
) -> Response:
    try:
        pair = await account.change_password(
            session,
            resources.settings.auth,
            resources.hashing,
            resources.sessions,
            principal.user_id,
            current_password,
            new_password,
            meta,
        )
    except DomainError as exc:
        return await _account(
            request,
            viewer,
            principal,
            session,
            resources,
            status_code=exc.status,
            error=i18n.error_text(viewer.locale, exc.code, exc.title),
        )
    # Every session ended, this one too: it goes on with the fresh pair.
    old = request.cookies.get(web_sessions.SESSION_COOKIE)
    if old:
        await web_sessions.end(resources.redis, old)
    return await _start_session(request, resources, pair, "/app/account?done=password")


@router.post("/app/account/sessions/{family_id}/revoke", dependencies=[requires(USER)])
async def account_revoke_session(
    family_id: uuid.UUID,
    principal: PrincipalDep,
    session: SessionDep,
    resources: ResourcesDep,
    meta: RequestMetaDep,
) -> Response:
    await account.revoke_session(session, resources.sessions, principal.user_id, family_id, meta)
    return _see_other("/app/account")


@router.post("/app/account/export", dependencies=[requires(USER)])
async def account_export(
    principal: PrincipalDep, session: SessionDep, meta: RequestMetaDep
) -> Response:
    export = await privacy.request_export(session, principal.user_id, meta)
    return _see_other(f"/app/account?done=export&export={export.id}#export-h")


@router.post("/app/account/delete", dependencies=[requires(USER)])
async def account_delete(
    request: Request,
    viewer: ViewerDep,
    principal: PrincipalDep,
    session: SessionDep,
    resources: ResourcesDep,
    meta: RequestMetaDep,
    password: Annotated[str, Form(max_length=1024)],
    code: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    try:
        await privacy.request_erasure(
            session,
            hashing=resources.hashing,
            sessions=resources.sessions,
            keys=resources.vault.keys,
            mfa_settings=resources.settings.mfa,
            user_id=principal.user_id,
            password=password,
            code=code.strip() or None,
            meta=meta,
        )
    except DomainError as exc:
        return await _account(
            request,
            viewer,
            principal,
            session,
            resources,
            status_code=exc.status,
            error=i18n.error_text(viewer.locale, exc.code, exc.title),
        )
    handle = request.cookies.get(web_sessions.SESSION_COOKIE)
    if handle:
        await web_sessions.end(resources.redis, handle)
    response = _see_other("/?deleted=1")
    web_sessions.clear_session_cookie(response, resources.settings)
    return response


@router.post("/app/account/api-keys", dependencies=[requires(USER)])
async def account_create_key(
    request: Request,
    viewer: ViewerDep,
    principal: PrincipalDep,
    session: SessionDep,
    resources: ResourcesDep,
    meta: RequestMetaDep,
    name: Annotated[str, Form(max_length=100)],
    scope: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """The key's secret is shown on the page this once, never stored in a form of ours."""
    try:
        body = ApiKeyIn.model_validate({"name": name.strip(), "scopes": scope or []})
        _, token = await api_keys.create(session, principal.user_id, body.name, body.scopes, meta)
    except ValidationError:
        return await _account(
            request,
            viewer,
            principal,
            session,
            resources,
            status_code=422,
            error=i18n.error_text(viewer.locale, "api_key_invalid", "Check the fields."),
        )
    except DomainError as exc:
        return await _account(
            request,
            viewer,
            principal,
            session,
            resources,
            status_code=exc.status,
            error=i18n.error_text(viewer.locale, exc.code, exc.title),
        )
    return await _account(request, viewer, principal, session, resources, new_key=token)


@router.post("/app/account/api-keys/{key_id}/revoke", dependencies=[requires(USER)])
async def account_revoke_key(
    key_id: uuid.UUID, principal: PrincipalDep, session: SessionDep, meta: RequestMetaDep
) -> Response:
    await api_keys.revoke(session, principal.user_id, key_id, meta)
    return _see_other("/app/account#keys-h")


@router.post("/app/account/mfa", dependencies=[requires(USER)])
async def account_mfa_start(
    request: Request,
    viewer: ViewerDep,
    principal: PrincipalDep,
    session: SessionDep,
    resources: ResourcesDep,
    meta: RequestMetaDep,
) -> Response:
    enrolment = await mfa.start_enrolment(session, resources.settings, principal.user_id, meta)
    qr = base64.b64encode(enrolment.qr_svg.encode()).decode()
    return await _account(
        request,
        viewer,
        principal,
        session,
        resources,
        enrolment=enrolment,
        qr_data_uri=f"data:image/svg+xml;base64,{qr}",
    )


@router.post("/app/account/mfa/confirm", dependencies=[requires(USER)])
async def account_mfa_confirm(
    request: Request,
    viewer: ViewerDep,
    principal: PrincipalDep,
    session: SessionDep,
    resources: ResourcesDep,
    meta: RequestMetaDep,
    password: Annotated[str, Form(max_length=4096)],
    code: Annotated[str, Form(max_length=64)],
) -> Response:
    try:
        codes = await mfa.confirm_enrolment(
            session,
            resources.settings,
            resources.hashing,
            principal.user_id,
            password,
            code.strip(),
            meta,
        )
    except DomainError as exc:
        return await _account(
            request,
            viewer,
            principal,
            session,
            resources,
            status_code=exc.status,
            error=i18n.error_text(viewer.locale, exc.code, exc.title),
        )
    return await _account(request, viewer, principal, session, resources, recovery_codes=codes)


@router.post("/app/account/mfa/disable", dependencies=[requires(USER)])
async def account_mfa_disable(
    request: Request,
    viewer: ViewerDep,
    principal: PrincipalDep,
    session: SessionDep,
    resources: ResourcesDep,
    meta: RequestMetaDep,
    password: Annotated[str, Form(max_length=1024)],
    code: Annotated[str, Form(max_length=64)],
) -> Response:
    """Turning the second step off asks for both factors, as the API does."""
    try:
        await mfa.disable(
            session,
            resources.settings,
            resources.hashing,
            principal.user_id,
            password,
            code.strip(),
            meta,
        )
    except DomainError as exc:
        return await _account(
            request,
            viewer,
            principal,
            session,
            resources,
            status_code=exc.status,
            error=i18n.error_text(viewer.locale, exc.code, exc.title),
        )
    return _see_other("/app/account?done=mfa_off#mfa-h")


# --- the console of operators and admins ------------------------------------------------

_ROLES = ("user", "operator", "admin")
_LETTERS_SHOWN = 200


@router.get("/app/ops", dependencies=[requires(OPERATOR)], response_class=HTMLResponse)
async def ops_page(
    request: Request,
    viewer: ViewerDep,
    resources: ResourcesDep,
    topic: str = "",
    redriven: int | None = None,
) -> Response:
    """Lag per worker and the dead-letter topics; the oldest letters of one topic at a
    time (the API pages through the rest)."""
    kafka = resources.settings.kafka
    groups = await ops.groups(kafka)
    # Letters ever dead-lettered (redriven ones too): the topic keeps them.
    sizes: dict[str, int] = {}
    for row in await ops.topics(kafka):
        if row.topic.endswith(".dlq"):
            sizes[row.topic] = sizes.get(row.topic, 0) + row.end - row.beginning
    known = [t.name for t in TOPICS]
    if topic not in known:
        topic = next((t.name for t in TOPICS if sizes.get(t.dlq)), "")
    page = (
        await ops.dead_letter_page(kafka, resources.db, topic, limit=_LETTERS_SHOWN)
        if topic
        else None
    )
    return render(
        request,
        resources.settings,
        viewer,
        "ops.html",
        groups=groups,
        dlq=[(t.name, sizes.get(t.dlq, 0)) for t in TOPICS],
        topic=topic,
        letters=page.letters if page else [],
        letters_total=page.total if page else 0,
        redriven=redriven,
    )


@router.post("/app/ops/redrive", dependencies=[requires(OPERATOR)])
async def ops_redrive(
    actor_id: CurrentUserId,
    session: SessionDep,
    resources: ResourcesDep,
    meta: RequestMetaDep,
    topic: Annotated[str, Form(max_length=200)],
    letter: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """The checked letters back to their topic, once; none checked is every waiting one."""
    if topic not in {t.name for t in TOPICS}:
        raise InvalidFormError("No such topic.")
    sent = await ops.redrive(
        session,
        resources.settings.kafka,
        resources.db,
        topic=topic,
        ids=letter or [],
        force=False,
        actor_id=actor_id,
        meta=meta,
    )
    return _see_other(f"/app/ops?topic={topic}&redriven={len(sent)}")


@router.get("/app/admin", dependencies=[requires(ADMIN)], response_class=HTMLResponse)
async def admin_page(
    request: Request,
    viewer: ViewerDep,
    session: SessionDep,
    resources: ResourcesDep,
    email: str = "",
    changed: str = "",
) -> Response:
    users, total = await admin.list_users(
        session,
        email_contains=email.strip()[:320] or None,
        role=None,
        disabled=None,
        limit=50,
        offset=0,
    )
    audit_log = await admin.audit_page(session, admin.AuditFilter(), before=None, limit=50)
    return render(
        request,
        resources.settings,
        viewer,
        "admin.html",
        users=users,
        total=total,
        email=email,
        roles=_ROLES,
        audit=audit_log.items,
        changed=changed == "1",
    )


@router.post("/app/admin/role", dependencies=[requires(ADMIN)])
async def admin_role(
    actor_id: CurrentUserId,
    session: SessionDep,
    resources: ResourcesDep,
    meta: RequestMetaDep,
    user_id: Annotated[uuid.UUID, Form()],
    role: Annotated[str, Form(max_length=16)],
) -> Response:
    if role not in _ROLES:
        raise InvalidFormError("No such role.")
    await admin.change_role(
        session,
        resources.sessions,
        actor_id=actor_id,
        user_id=user_id,
        role=role,  # type: ignore[arg-type]
        meta=meta,
    )
    return _see_other("/app/admin?changed=1")
