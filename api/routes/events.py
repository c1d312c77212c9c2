from __future__ import annotations

import functools
from typing import Annotated

from fastapi import APIRouter, Header, Query
from fastapi.responses import StreamingResponse

from api.deps import ResourcesDep
from api.errors import PROBLEM
from api.policies import EVENTS, PrincipalDep, requires, still_authorised, visible_events
from api.services import coach, event_stream

router = APIRouter(prefix="/v1", tags=["events"])


@router.get(
    "/events",
    dependencies=[requires(EVENTS)],
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}},
        401: PROBLEM,
        422: PROBLEM,
        429: PROBLEM,
    },
)
async def events(
    principal: PrincipalDep,
    resources: ResourcesDep,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
    since: Annotated[
        int | None, Query(ge=0, le=event_stream.MAX_EVENT_ID, description="Same as Last-Event-ID")
    ] = None,
) -> StreamingResponse:
    """Server-sent events of the caller (``cv.parsed``, ``cv.scored``, ``cv.failed``,
    ``coach.reply.delta`` (no id: live only), ``coach.reply.completed``...).

    Each event has an ``id``; reconnect with ``Last-Event-ID`` to receive what was missed.
    An API key needs the ``cvs:read`` scope (it then receives ``cv.*`` and ``report.*``
    events) or ``coach`` (``coach.*`` events); with both, it receives both.
    """
    start = event_stream.parse_last_event_id(last_event_id)
    if start is None:
        start = since
    slot = await resources.stream_slots.acquire(str(principal.user_id))

    async def authorised() -> bool:
        return await still_authorised(resources, principal)

    return StreamingResponse(
        event_stream.stream(
            resources.db,
            resources.wakeups,
            principal.user_id,
            start,
            keepalive_seconds=resources.settings.api.sse_keepalive_seconds,
            stopping=resources.stopping,
            authorised=authorised,
            reauth_seconds=resources.settings.api.sse_reauth_seconds,
            slot=event_stream.Lease(resources.stream_slots, slot),
            expand=functools.partial(coach.expand_event, resources.db, resources.vault),
            visible=visible_events(principal),
        ),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
