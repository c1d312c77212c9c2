"""structlog configuration: console in development, JSON in production.

Context (``correlation_id``, ``event_id``, ``user_id``) is bound with contextvars by the
HTTP middleware and the consumer runtime, so every line carries it without passing it on.
"""

from __future__ import annotations

import logging
import sys

import structlog

REHEARSAL = "rehearsal"


def drop_rehearsals(
    _logger: object, _method: str, event_dict: structlog.types.EventDict
) -> structlog.types.EventDict:
    """A warm-up's lines (bound with ``rehearsal=True``) are about no real user or CV."""
    if event_dict.get(REHEARSAL):
        raise structlog.DropEvent
    return event_dict


_SHARED: list[structlog.types.Processor] = [
    structlog.contextvars.merge_contextvars,
    drop_rehearsals,
    structlog.processors.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    structlog.processors.StackInfoRenderer(),
]


def configure_logging(*, level: str = "INFO", json: bool = False) -> None:
    structlog.configure(
        # A line below the level is dropped first, before any processor spends time on it.
        processors=[
            structlog.stdlib.filter_by_level,
            *_SHARED,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(build_formatter(json=json, colors=sys.stderr.isatty()))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Start-up chatter (migrations applied, server started) is not news; warnings still are.
    for noisy in (
        "aiokafka",
        "uvicorn.access",
        "uvicorn.error",
        "alembic",
        "faststream.access.kafka",
        # One line per readiness probe between the processes of a run.
        "httpx",
    ):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    coordinator = logging.getLogger("aiokafka.consumer.group_coordinator")
    if not any(isinstance(f, _ExpectedRebalance) for f in coordinator.filters):
        coordinator.addFilter(_ExpectedRebalance())


class _ExpectedRebalance(logging.Filter):
    """A heartbeat answered "rebalancing" is how every member learns of a join: expected
    at each start and scale-out, so it is not a warning."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (
            record.getMessage().startswith("Heartbeat failed for group")
            and "rebalancing" in record.getMessage()
        )


def build_formatter(*, json: bool, colors: bool = False) -> logging.Formatter:
    """The formatter of every log line, ours and the libraries' (uvicorn, aiokafka...).

    Tracebacks are plain: never the local variables of each frame, which hold request
    bodies, CV text and tokens (structlog's default console traceback prints them).
    """
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer()
        if json
        else structlog.dev.ConsoleRenderer(
            colors=colors, exception_formatter=structlog.dev.plain_traceback
        )
    )
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_SHARED,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info if json else _identity,
            renderer,
        ],
    )


def _identity(
    _logger: object, _name: str, event_dict: structlog.types.EventDict
) -> structlog.types.EventDict:
    return event_dict
