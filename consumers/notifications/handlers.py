from __future__ import annotations

from functools import partial

from consumers.context import WorkerContext
from consumers.notifications import service
from consumers.routing import Route, Routes
from schemas.topics import CONSUMER_GROUPS

CONSUMER = service.CONSUMER


def routes(ctx: WorkerContext) -> Routes:
    # One use case for every event: it plans the notice by the event's type.
    handle = partial(service.handle, ctx)
    return {
        topic: Route(handle, f"Notifies the user of {topic.name} by email and in the app.")
        for topic in CONSUMER_GROUPS[CONSUMER]
    }
