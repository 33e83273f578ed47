"""structlog configuration: JSON lines when not on a TTY, readable console output otherwise."""

from __future__ import annotations

import logging
import sys

import structlog

from shared.settings import Settings


def setup_logging(settings: Settings, service: str) -> structlog.stdlib.BoundLogger:
    json_output = settings.log_format == "json" or (settings.log_format == "auto" and not sys.stderr.isatty())
    renderer = structlog.processors.JSONRenderer() if json_output else structlog.dev.ConsoleRenderer()
    level = logging.getLevelName(settings.log_level.upper())
    logging.basicConfig(level=level, stream=sys.stderr, format="%(message)s")
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )
    return structlog.get_logger(service=service)
