from __future__ import annotations

from functools import partial

from consumers.context import WorkerContext
from consumers.erasure import service
from consumers.routing import Route, Routes
from schemas.topics import USER_ERASURE_REQUESTED

CONSUMER = service.CONSUMER


def routes(ctx: WorkerContext) -> Routes:
    return {
        USER_ERASURE_REQUESTED: Route(
            partial(service.handle_erasure_requested, ctx),
            "Deletes every part of the user's data, confirms each, then shreds the key.",
        )
    }
