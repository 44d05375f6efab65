"""Logs carry positions and counts, never element values (PHI), at every level."""
from __future__ import annotations

import pytest
import structlog
from structlog.testing import capture_logs

from x12kit import log, read_segments
from x12kit.validate.pipeline import validate

from .conftest import CORPUS

FILES = ["837P/lfhx12__demo.837", "837I/tigershark__837I-Examples.txt",
         "835/lfhx12__demo.835", "271/tigershark__271-example.txt",
         "837P/imsweb__x12_multiple_isa.txt"]
# where the files keep names, member ids, birth dates and addresses
PHI = {"NM1": (3, 4, 5, 9), "DMG": (2,), "N3": (1, 2), "N4": (1,), "REF": (2,)}


def phi_values(path) -> set[str]:
    """The element values of ``path`` that may be patient data, long enough that no count
    or offset is mistaken for one."""
    found = set()
    for seg in read_segments(path):
        for n in PHI.get(seg.id, ()):
            value = seg.element(n).strip()
            if len(value) >= 5:
                found.add(value)
    return found


@pytest.fixture
def every_event():
    """Events at every level, as structlog hands them to its processors."""
    log.reset()
    structlog.reset_defaults()
    with capture_logs() as logs:
        yield logs
    structlog.reset_defaults()


@pytest.mark.parametrize("name", FILES)
def test_validating_logs_no_element_value(name, every_event):
    path = CORPUS / name
    values = phi_values(path)
    assert values, "each file is chosen for the patient data it holds"
    reports = list(validate(path, snip=5))
    events = [entry["event"] for entry in every_event]
    assert events.count("interchange validated") == len(reports)
    assert "input read" in events
    logged = repr(every_event)
    assert [v for v in values if v in logged] == []


def test_configured_levels_filter_library_events(every_event):
    log.configure(0)
    list(validate(CORPUS / FILES[0], snip=1))
    assert every_event == []  # warnings only: the library's info and debug events drop
    log.reset()
