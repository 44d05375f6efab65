"""x12kit: streaming HIPAA X12 5010 reading, validation, acknowledgments, models and writing.

The readers and writers of segments load with the package; validation, acknowledgments and
the models load on first use (``__getattr__`` below), so that ``import x12kit`` stays cheap
and the models never pull in validation. ``x12kit.validate`` is the validation package, and
calling it validates (``x12kit.validate(source)`` is ``validate.pipeline.validate``): one name
serves both, however the package was first imported.
"""
from importlib import import_module

from .diagnostics import Diagnostic, Level, Severity
from .errors import UsageError, X12Error, X12ReadError, X12WriteError
from .reader import SegmentReader, read_segments
from .segment import Delimiters, Segment, make_segment
from .writer import Writer, write_segments

# name -> the module that defines it, imported when the name is first asked for
_LAZY = {
    "validate": "x12kit.validate",
    "InterchangeReport": "x12kit.validate.pipeline",
    "ack_999": "x12kit.acks.ack999",
    "acks_due": "x12kit.acks.due",
    "ta1_interchange": "x12kit.acks.ta1",
    "read": "x12kit.models",
    "read_claims": "x12kit.models",
    "read_remittances": "x12kit.models",
    "read_eligibility": "x12kit.models",
    "read_statuses": "x12kit.models",
    "read_acknowledgments": "x12kit.models",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'x12kit' has no attribute {name!r}")
    if name == "validate":
        return import_module(module)
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "Delimiters", "Diagnostic", "InterchangeReport", "Level", "Segment", "SegmentReader",
    "Severity", "UsageError", "Writer", "X12Error", "X12ReadError", "X12WriteError",
    "ack_999", "acks_due", "make_segment", "read", "read_acknowledgments", "read_claims",
    "read_eligibility", "read_remittances", "read_segments", "read_statuses",
    "ta1_interchange", "validate", "write_segments",
]
__version__ = "0.1.0"
