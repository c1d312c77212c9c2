"""Tracebacks in the logs carry no local variables, in either renderer."""

from __future__ import annotations

import io
import logging

import pytest
import structlog

from infra.logging import build_formatter

SECRET = "maria.secreta@example.com"


def _fail_with_personal_data_in_locals() -> None:
    cv_text = f"Maria Secreta {SECRET} (11) 98765-4321"
    raise RuntimeError(f"parse failed after {len(cv_text)} characters")


@pytest.mark.parametrize("json", [False, True], ids=["console", "json"])
def test_a_logged_traceback_has_no_locals(json):
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(build_formatter(json=json))
    library = logging.getLogger("tests.library")  # a library logging through the stdlib
    library.addHandler(handler)
    library.propagate = False
    ours = structlog.wrap_logger(
        library,
        processors=[structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        wrapper_class=structlog.stdlib.BoundLogger,
    )
    try:
        for logger in (library, ours):
            try:
                _fail_with_personal_data_in_locals()
            except RuntimeError:
                logger.exception("handler failed")
    finally:
        library.removeHandler(handler)

    text = out.getvalue()
    assert text.count("parse failed after") >= 2  # the tracebacks are there...
    assert "_fail_with_personal_data_in_locals" in text
    assert SECRET not in text  # ...but not what the frames held


def test_a_warm_ups_lines_are_dropped_and_others_kept():
    from infra.logging import drop_rehearsals

    with pytest.raises(structlog.DropEvent):
        drop_rehearsals(None, "info", {"event": "cv scored", "rehearsal": True})
    kept = {"event": "cv scored", "cv_id": "x"}
    assert drop_rehearsals(None, "info", dict(kept)) == kept
