"""Logging set-up for applications (the CLI calls ``configure``); the library only asks
``structlog.get_logger``. A redaction processor guards the PHI boundary: event fields that
may carry element values are masked unless the user asked for values.

Importing structlog takes ~40 ms (it pulls in asyncio), more than validating a one-claim
file. So ``configure`` applies the settings at once only when structlog is already loaded;
otherwise it leaves a finder on ``sys.meta_path`` that applies them right after the first
``import structlog``, wherever that happens. A run that never logs never loads structlog.
"""
from __future__ import annotations

import sys

VALUE_KEYS = frozenset({"value", "values", "elements", "element", "name", "member_id",
                        "birth_date", "address", "text"})


def redact(_logger, _method, event: dict) -> dict:
    for key in VALUE_KEYS.intersection(event):
        event[key] = "[redacted]"
    return event


_wanted = False  # configure() asked for more than warnings


def event(name: str, level: str = "debug", **fields) -> None:
    """Log a library event (positions and counts, never element values). It goes through
    structlog when an application has loaded it or asked for logs with ``configure``;
    otherwise it is dropped without importing structlog."""
    structlog = sys.modules.get("structlog")
    if structlog is None:
        if not _wanted:
            return
        import structlog  # configured by the import hook that configure() left
    getattr(structlog.get_logger("x12kit"), level)(name, **fields)


def configure(verbosity: int = 0, json_lines: bool = False, show_values: bool = False) -> None:
    """Logs to stderr: warnings by default, info with -v, debug with -vv."""
    global _wanted
    _wanted = verbosity > 0
    settings = (verbosity, json_lines, show_values)
    if "structlog" in sys.modules:
        _apply(sys.modules["structlog"], *settings)
        return
    for finder in sys.meta_path:
        if isinstance(finder, _ConfigureOnImport):
            finder.settings = settings
            return
    sys.meta_path.insert(0, _ConfigureOnImport(settings))


def _apply(structlog, verbosity: int, json_lines: bool, show_values: bool) -> None:
    level = (30, 20, 10)[min(verbosity, 2)]  # logging.WARNING, INFO, DEBUG
    processors = [structlog.processors.add_log_level, structlog.processors.TimeStamper("iso")]
    if not show_values:
        processors.append(redact)
    processors.append(structlog.processors.JSONRenderer() if json_lines
                      else structlog.dev.ConsoleRenderer(colors=False))
    structlog.configure(processors=processors,
                        wrapper_class=structlog.make_filtering_bound_logger(level),
                        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
                        cache_logger_on_first_use=True)


class _ConfigureOnImport:
    """A meta path finder that, once, lets the usual finders load structlog and configures
    it as soon as its module has run."""

    def __init__(self, settings: tuple):
        self.settings = settings

    def find_spec(self, name, path=None, target=None):
        if name != "structlog":
            return None
        sys.meta_path.remove(self)
        import importlib.util

        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        run_module = spec.loader.exec_module
        settings = self.settings

        def exec_module(module) -> None:
            run_module(module)
            _apply(module, *settings)
        spec.loader.exec_module = exec_module  # this spec's loader is for structlog alone
        return spec
