"""x12kit: streaming HIPAA X12 5010 reading, validation, acknowledgments and writing."""
from .diagnostics import Diagnostic, Level, Severity, X12ReadError
from .reader import SegmentReader, read_segments
from .segment import Delimiters, Segment, make_segment
from .writer import Writer, write_segments

__all__ = [
    "Delimiters", "Diagnostic", "Level", "Segment", "SegmentReader", "Severity", "Writer",
    "X12ReadError", "make_segment", "read_segments", "write_segments",
]
__version__ = "0.1.0"
