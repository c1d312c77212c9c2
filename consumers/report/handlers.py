from __future__ import annotations

from functools import partial

from consumers.context import WorkerContext
from consumers.report import service
from consumers.routing import Route, Routes
from schemas.topics import CV_SCORED

CONSUMER = service.CONSUMER


def routes(ctx: WorkerContext) -> Routes:
    return {
        CV_SCORED: Route(
            partial(service.handle_cv_scored, ctx),
            "Renders the PDF report of a scored analysis; emits report.ready.",
        )
    }
