"""What batch made of one input: its status, outputs and counts, as the manifest records
it, the ``--format json`` line prints it, and the log line and summary count it."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

DONE, REJECTED, DUPLICATE, SKIPPED = "done", "rejected", "duplicate", "skipped"
TIMINGS = ("hash", "validate", "convert", "total")   # seconds, per input


@dataclass
class FileResult:
    path: str                       # as discovered (the argument, or under a folder given)
    sha256: str | None              # None only when the file could not even be read
    status: str
    outputs: list[str] = field(default_factory=list)   # paths under OUT_DIR
    size: int = 0
    sender: str = ""                # ISA05:ISA06 of the first interchange
    receiver: str = ""              # ISA07:ISA08
    isa13: str = ""
    sets: int = 0
    accepted: int = 0
    rejected: int = 0
    claims: int = 0                 # 837 CLM segments
    dollars: Decimal = Decimal(0)   # their CLM02 charges
    seconds: dict[str, float] = field(default_factory=dict)
    error: str = ""                 # why it could not be processed (no value): the file's
                                    # own findings are in rejected/, not here
    duplicate_of: str = ""          # the path first processed with the same content

    def contract(self) -> dict:
        """The ``--format json`` line: exactly these keys, other tools read them."""
        return {"path": self.path, "sha256": self.sha256, "status": self.status,
                "outputs": self.outputs}

    def log_fields(self) -> dict:
        """The canonical log line's fields: positions, counts and timings, no values."""
        return {"path": self.path, "sha256": self.sha256, "status": self.status,
                "bytes": self.size, "sets": self.sets, "accepted": self.accepted,
                "rejected": self.rejected, "claims": self.claims,
                "outputs": len(self.outputs),
                **{f"{name}_s": round(value, 4) for name, value in self.seconds.items()},
                **({"error": self.error} if self.error else {})}
