"""The exceptions x12kit raises, under one base, each with the exit code the CLI gives it.

Findings in readable input are values (``Diagnostic``), never exceptions: these are for
processing that cannot go on. Messages name a place (byte offset, segment number) and never
an element value.
"""
from __future__ import annotations

EXIT_OK = 0           # the input has no errors
EXIT_FINDINGS = 1     # the input has errors, or cannot be read or written
EXIT_USAGE = 2        # the command line is wrong (click uses 2 as well)
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what a shell reports for `cat big | head`


class X12Error(Exception):
    """Base of every x12kit exception."""

    exit_code = EXIT_FINDINGS


class X12ReadError(X12Error):
    """Input that cannot be read on: no ISA, separators that clash, an endless segment."""

    def __init__(self, message: str, offset: int = -1, ack_code: str = ""):
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.ack_code = ack_code  # TA1 note code where one fits

    def __str__(self) -> str:
        return f"byte {self.offset}: {self.message}" if self.offset >= 0 else self.message

    def __reduce__(self):  # workers hand it back to the parent process
        return type(self), (self.message, self.offset, self.ack_code)


class X12WriteError(X12Error, ValueError):
    """A segment cannot be written with the chosen separators."""


class UsageError(X12Error):
    """A value given by the caller cannot be used (a control number out of range, a
    counter file that holds no number)."""

    exit_code = EXIT_USAGE
