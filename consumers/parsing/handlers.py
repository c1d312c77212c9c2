from __future__ import annotations

from functools import partial

from consumers.context import WorkerContext
from consumers.parsing import service
from consumers.routing import Route, Routes
from schemas.topics import CV_UPLOADED

CONSUMER = service.CONSUMER


def routes(ctx: WorkerContext) -> Routes:
    return {
        CV_UPLOADED: Route(
            partial(service.handle_cv_uploaded, ctx),
            "Extracts text, language, sections and contact details; emits cv.scored (an"
            " offline analysis, made here), cv.parsed (for scoring, when an AI provider"
            " analyses) or cv.failed.",
        )
    }
