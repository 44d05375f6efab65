"""Logging: the library logs events with ``event`` (positions and counts, never element
values); only an application (the CLI) configures how they are shown, with ``configure``.

Importing structlog takes ~40 ms (it pulls in asyncio), more than validating a one-claim
file, so the library never imports it on its own account: an event is dropped unless an
application loaded structlog, or configured logging and the event is at a level it shows
(then structlog is loaded and set up at that first event). A redaction processor guards the
PHI boundary: event fields that may carry element values are masked unless values were
asked for.
"""
from __future__ import annotations

import sys
from typing import NamedTuple

VALUE_KEYS = frozenset({"value", "values", "elements", "element", "name", "member_id",
                        "birth_date", "address", "text"})
LEVELS = {"debug": 10, "info": 20, "warning": 30, "error": 40}


class _Settings(NamedTuple):
    threshold: int       # the lowest level shown
    json_lines: bool
    show_values: bool


_settings: _Settings | None = None  # None: no application called configure()
_applied = False                     # structlog has been set up with _settings


def redact(_logger, _method, event_dict: dict) -> dict:
    for key in VALUE_KEYS.intersection(event_dict):
        event_dict[key] = "[redacted]"
    return event_dict


def event(name: str, level: str = "debug", **fields) -> None:
    """Log a library event (positions and counts, never element values)."""
    structlog = sys.modules.get("structlog")
    if _settings is not None:
        if LEVELS[level] < _settings.threshold:
            return
        if not _applied:
            structlog = _apply()
    elif structlog is None:  # nobody asked for logs
        return
    getattr(structlog.get_logger("x12kit"), level)(name, **fields)


def line(name: str, level: str = "info", **fields) -> None:
    """An application's canonical log line, one per unit of work (each input of a batch
    run): shown whatever the verbosity once logging is configured, through the same
    processors (redaction included); without ``configure``, an ``event`` like any other."""
    if _settings is None:
        event(name, level, **fields)
        return
    structlog = sys.modules["structlog"] if _applied else _apply()
    logger = structlog.wrap_logger(structlog.PrintLogger(sys.stderr),
                                   processors=structlog.get_config()["processors"],
                                   wrapper_class=structlog.make_filtering_bound_logger(0))
    getattr(logger, level)(name, **fields)


def configure(verbosity: int = 0, json_lines: bool = False, show_values: bool = False) -> None:
    """Logs to stderr: warnings by default, info with -v, debug with -vv. structlog is set up
    now if it is loaded already, else at the first event shown."""
    global _settings, _applied
    threshold = (LEVELS["warning"], LEVELS["info"], LEVELS["debug"])[min(verbosity, 2)]
    _settings, _applied = _Settings(threshold, json_lines, show_values), False
    if "structlog" in sys.modules:
        _apply()


def reset() -> None:
    """Forget ``configure``: events go to structlog as loaded and set up by whoever did
    (for an application that ran the CLI in its own process, and for tests)."""
    global _settings, _applied
    _settings, _applied = None, False


def _apply():
    global _applied
    import structlog
    settings = _settings
    processors = [structlog.processors.add_log_level, structlog.processors.TimeStamper("iso")]
    if not settings.show_values:
        processors.append(redact)
    processors.append(structlog.processors.JSONRenderer() if settings.json_lines
                      else structlog.dev.ConsoleRenderer(colors=False))
    structlog.configure(processors=processors,
                        wrapper_class=structlog.make_filtering_bound_logger(settings.threshold),
                        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
                        cache_logger_on_first_use=True)
    _applied = True
    return structlog
