"""One exception hierarchy: each class has its exit code; findings never show values."""
from __future__ import annotations

import pickle

import pytest

from x12kit import Diagnostic, Level, Severity, read_segments
from x12kit.errors import (EXIT_FINDINGS, EXIT_USAGE, UsageError, X12Error, X12ReadError,
                           X12WriteError)
from x12kit.validate.pipeline import validate

from .conftest import CORPUS


@pytest.mark.parametrize("error, code", [(X12ReadError("no ISA", 0), EXIT_FINDINGS),
                                         (X12WriteError("clash"), EXIT_FINDINGS),
                                         (UsageError("bad"), EXIT_USAGE)])
def test_every_exception_shares_the_base_and_has_an_exit_code(error, code):
    assert isinstance(error, X12Error)
    assert error.exit_code == code


def test_read_error_keeps_its_place_through_pickling():
    with pytest.raises(X12ReadError) as caught:
        list(read_segments(CORPUS / "835/pbx12__example835NoISA.txt"))
    again = pickle.loads(pickle.dumps(caught.value))
    assert (again.message, again.offset, again.ack_code) == \
        (caught.value.message, caught.value.offset, caught.value.ack_code)


def test_old_import_path_of_read_error_still_works():
    from x12kit.diagnostics import X12ReadError as old
    assert old is X12ReadError


def test_diagnostic_repr_hides_the_value():
    d = Diagnostic("bad-code", Severity.ERROR, "CLM05-1 not a place of service code",
                   Level.ELEMENT, value="SMITH")
    assert "SMITH" not in repr(d) and "value=<hidden>" in repr(d)
    assert "value" not in repr(d._replace(value=""))
    assert d.as_dict(show_values=True)["value"] == "SMITH"


def test_no_corpus_finding_repr_shows_its_value():
    source = CORPUS / "837P/imsweb__x12_bad_segment_identifier.txt"
    # values long enough not to be mistaken for an offset or a segment number
    found = [d for r in validate(source) for d in r.findings() if len(d.value.strip()) >= 6]
    assert found, "the file is chosen for findings that carry values"
    for d in found:
        assert d.value not in repr(d).replace(repr(d.message), "")
