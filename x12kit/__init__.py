"""x12kit: streaming HIPAA X12 5010 reading, validation, acknowledgments and writing.

``x12kit.validate`` is the validation function (``validate.pipeline.validate``): the package
of the same name is reached by importing its modules (``from x12kit.validate.pipeline
import ...``).
"""
from .diagnostics import Diagnostic, Level, Severity
from .errors import UsageError, X12Error, X12ReadError, X12WriteError
from .reader import SegmentReader, read_segments
from .segment import Delimiters, Segment, make_segment
from .writer import Writer, write_segments
from .validate.pipeline import InterchangeReport, validate  # binds the function last
from .acks.ack999 import ack_999
from .acks.due import acks_due
from .acks.ta1 import ta1_interchange

__all__ = [
    "Delimiters", "Diagnostic", "InterchangeReport", "Level", "Segment", "SegmentReader",
    "Severity", "UsageError", "Writer", "X12Error", "X12ReadError", "X12WriteError",
    "ack_999", "acks_due", "make_segment", "read_segments", "ta1_interchange", "validate",
    "write_segments",
]
__version__ = "0.1.0"
