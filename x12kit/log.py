"""Logging set-up for applications (the CLI calls ``configure``); the library only asks
``structlog.get_logger``. A redaction processor guards the PHI boundary: event fields that
may carry element values are masked unless the user asked for values."""
from __future__ import annotations

import logging
import sys

import structlog

VALUE_KEYS = frozenset({"value", "values", "elements", "element", "name", "member_id",
                        "birth_date", "address", "text"})


def redact(_logger, _method, event: dict) -> dict:
    for key in VALUE_KEYS.intersection(event):
        event[key] = "[redacted]"
    return event


def configure(verbosity: int = 0, json_lines: bool = False, show_values: bool = False) -> None:
    """Logs to stderr: warnings by default, info with -v, debug with -vv."""
    level = (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbosity, 2)]
    processors = [structlog.processors.add_log_level, structlog.processors.TimeStamper("iso")]
    if not show_values:
        processors.append(redact)
    processors.append(structlog.processors.JSONRenderer() if json_lines
                      else structlog.dev.ConsoleRenderer(colors=False))
    structlog.configure(processors=processors,
                        wrapper_class=structlog.make_filtering_bound_logger(level),
                        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
                        cache_logger_on_first_use=True)
