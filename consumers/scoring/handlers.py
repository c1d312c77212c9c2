from __future__ import annotations

from functools import partial

from consumers.context import WorkerContext
from consumers.routing import Route, Routes
from consumers.scoring import service
from schemas.topics import CV_MATCH_REQUESTED, CV_PARSED

CONSUMER = service.CONSUMER


def routes(ctx: WorkerContext) -> Routes:
    return {
        CV_PARSED: Route(
            partial(service.handle_cv_parsed, ctx),
            "Scores a parsed CV (rubric, suggestions, job match); emits cv.scored.",
        ),
        CV_MATCH_REQUESTED: Route(
            partial(service.handle_match_requested, ctx),
            "Re-analyses a scored CV against its new job description; emits cv.scored.",
        ),
    }
