from __future__ import annotations

from functools import partial

from consumers.context import WorkerContext
from consumers.export import service
from consumers.routing import Route, Routes
from schemas.topics import USER_EXPORT_REQUESTED

CONSUMER = service.CONSUMER


def routes(ctx: WorkerContext) -> Routes:
    return {
        USER_EXPORT_REQUESTED: Route(
            partial(service.handle_export_requested, ctx),
            "Builds the zip of everything held about the user; emits user.export-ready.",
        )
    }
