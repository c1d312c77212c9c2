"""In-app notifications, read marks, the user's choices, and the one-click unsubscribe
link of optional mail (RFC 8058), which works without logging in."""

from __future__ import annotations

import html
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from api.deps import ResourcesDep, SessionDep
from api.errors import PROBLEM
from api.link_pages import link_page
from api.policies import PUBLIC, USER, CurrentUserId, requires
from api.schemas import (
    NotificationChoiceOut,
    NotificationChoicesIn,
    NotificationOut,
    NotificationPage,
    NotificationsRead,
)
from api.services import notifications
from api.validation import MAX_BIGINT
from infra.db.models import Notification
from schemas import notifications as cat

router = APIRouter(tags=["notifications"])
_AUTH: dict[int | str, dict[str, Any]] = {401: PROBLEM}
_TOKEN = Annotated[str, Query(min_length=10, max_length=512)]


def _out(row: Notification) -> NotificationOut:
    return NotificationOut(
        id=row.id,
        template=row.template,
        category=row.category,
        title=row.subject,
        link=row.data.get("link"),
        created_at=row.created_at,
        read_at=row.read_at,
    )


def _choices_out(found: list[tuple[cat.Category, str, bool]]) -> list[NotificationChoiceOut]:
    return [
        NotificationChoiceOut(
            category=category.name, channel=channel, enabled=on, optional=category.optional
        )
        for category, channel, on in found
    ]


@router.get(
    "/v1/notifications",
    dependencies=[requires(USER)],
    response_model=NotificationPage,
    responses=_AUTH,
)
async def list_notifications(
    user_id: CurrentUserId,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_BIGINT)] = 0,
) -> NotificationPage:
    """The user's in-app notifications, newest first, and how many are unread."""
    rows, total, unread = await notifications.page(session, user_id, limit=limit, offset=offset)
    return NotificationPage(
        items=[_out(r) for r in rows], total=total, unread=unread, limit=limit, offset=offset
    )


@router.post(
    "/v1/notifications/read-all",
    dependencies=[requires(USER)],
    response_model=NotificationsRead,
    responses=_AUTH,
)
async def read_all(user_id: CurrentUserId, session: SessionDep) -> NotificationsRead:
    return NotificationsRead(marked=await notifications.mark_all_read(session, user_id))


@router.post(
    "/v1/notifications/{notification_id}/read",
    dependencies=[requires(USER)],
    response_model=NotificationOut,
    responses={**_AUTH, 404: PROBLEM},
)
async def read_one(
    notification_id: uuid.UUID, user_id: CurrentUserId, session: SessionDep
) -> NotificationOut:
    return _out(await notifications.mark_read(session, user_id, notification_id))


@router.get(
    "/v1/me/notifications",
    dependencies=[requires(USER)],
    response_model=list[NotificationChoiceOut],
    responses=_AUTH,
)
async def get_choices(user_id: CurrentUserId, session: SessionDep) -> list[NotificationChoiceOut]:
    """Every category on every channel, whether it is on, and whether it may be turned off."""
    return _choices_out(await notifications.choices(session, user_id))


@router.put(
    "/v1/me/notifications",
    dependencies=[requires(USER)],
    response_model=list[NotificationChoiceOut],
    responses={**_AUTH, 409: PROBLEM, 422: PROBLEM},
)
async def put_choices(
    body: NotificationChoicesIn, user_id: CurrentUserId, session: SessionDep
) -> list[NotificationChoiceOut]:
    wanted = [(c.category, c.channel, c.enabled) for c in body.choices]
    return _choices_out(await notifications.set_choices(session, user_id, wanted))


@router.get(
    "/v1/notifications/unsubscribe",
    dependencies=[requires(PUBLIC)],
    response_class=HTMLResponse,
    responses={400: PROBLEM, 410: PROBLEM},
)
async def unsubscribe_page(
    token: _TOKEN, session: SessionDep, resources: ResourcesDep
) -> HTMLResponse:
    """A confirmation page (a GET changes nothing: mail scanners follow links)."""
    user, _, _ = await notifications.check_unsubscribe(session, resources.settings, token)
    en = user.locale == "en"
    question = "Stop these emails?" if en else "Parar de receber estes e-mails?"
    button = "Yes, stop them" if en else "Sim, parar"
    action = f"/v1/notifications/unsubscribe?token={html.escape(token)}"
    return link_page(
        user.locale,
        f'<p>{question}</p><form method="post" action="{action}">'
        '<input type="hidden" name="List-Unsubscribe" value="One-Click">'
        f'<button type="submit">{button}</button></form>',
    )


@router.post(
    "/v1/notifications/unsubscribe",
    dependencies=[requires(PUBLIC)],
    response_class=HTMLResponse,
    responses={400: PROBLEM, 410: PROBLEM},
)
async def unsubscribe(token: _TOKEN, session: SessionDep, resources: ResourcesDep) -> HTMLResponse:
    """One-click unsubscribe (RFC 8058: mail clients POST ``List-Unsubscribe=One-Click``)."""
    user = await notifications.unsubscribe(session, resources.settings, token)
    done = (
        "Done: you will not get these emails any more. You can turn them back on in your settings."
        if user.locale == "en"
        else "Pronto: você não vai mais receber estes e-mails. Dá para reativar nas configurações."
    )
    return link_page(user.locale, f"<p>{done}</p>")
