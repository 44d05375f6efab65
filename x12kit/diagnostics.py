"""Findings as values: what is wrong, where, and how an acknowledgment reports it.

Every stage (envelope, walker, rules) emits ``Diagnostic`` values and keeps going; only input
that cannot be read at all raises ``X12ReadError``. Messages carry positions and codes, never
element values, unless the caller asked for values (``value`` is kept apart for that).
"""
from __future__ import annotations

from enum import Enum
from typing import NamedTuple

from .errors import X12ReadError  # its home before errors.py; kept for importers

__all__ = ["Diagnostic", "Level", "Severity", "X12ReadError"]


class Severity(str, Enum):
    ERROR = "error"      # rejects the interchange, group or set it sits in
    WARNING = "warning"  # noted in the acknowledgment, still accepted
    INFO = "info"


class Level(str, Enum):
    """Where a finding is answered: TA1 (interchange), 999 AK9 (group) or 999 AK2 (set)."""

    INTERCHANGE = "interchange"
    GROUP = "group"
    TRANSACTION = "transaction"
    SEGMENT = "segment"
    ELEMENT = "element"


class Diagnostic(NamedTuple):
    """One finding. ``ack_code`` is the TA1 note code (TA105), 999 AK905, IK5, IK304 or IK403
    code that reports it, depending on ``level``."""

    code: str                 # stable machine name, e.g. "se-count-mismatch"
    severity: Severity
    message: str              # positions and codes only: no element values
    level: Level
    ack_code: str = ""
    offset: int = -1          # byte offset in the stream of the segment concerned
    segment_number: int = 0   # 1-based segment number in the stream
    set_position: int = 0     # 1-based position counted from ST (0 outside a set)
    segment_id: str = ""
    element_ref: str = ""     # e.g. "SE01", "SV101-2"
    loop_id: str = ""         # e.g. "2300"
    snip: int = 1             # SNIP level of the check that found it
    value: str = ""           # the offending value, shown only when asked for (PHI)
    data_element: str = ""    # X12 data element number (999 IK402), e.g. "782"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def where(self) -> str:
        """A place a person can find: ``byte 1042: seg #17 CLM loop 2300 CLM02``."""
        parts = [f"byte {self.offset}"] if self.offset >= 0 else []
        if self.segment_number:
            parts.append(f"seg #{self.segment_number}")
        parts.extend(p for p in (self.segment_id, self.loop_id and f"loop {self.loop_id}",
                                 self.element_ref) if p)
        return " ".join(parts)

    def __repr__(self) -> str:
        """Every field but the value, which may be PHI: ``value`` itself, or
        ``as_dict(show_values=True)``, give it to a caller who asks."""
        fields = ", ".join(f"{k}={v!r}" for k, v in zip(self._fields, self) if k != "value")
        hidden = ", value=<hidden>" if self.value else ""
        return f"Diagnostic({fields}{hidden})"

    def as_dict(self, show_values: bool = False) -> dict:
        out = {k: (v.value if isinstance(v, Enum) else v) for k, v in self._asdict().items()}
        if not show_values:
            out.pop("value")
        return out
