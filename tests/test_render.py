"""Rendering places findings by line and column, reading the file a second time."""
from __future__ import annotations

import random

import pytest

from x12kit import places
from x12kit.places import LineLocator
from x12kit.render import Renderer
from x12kit.validate.pipeline import validate

from .conftest import CORPUS

FILES = ["837I/oopfactory__InstitutionalClaim5010.txt",   # CRLF, indented
         "835/tastyx12__multi-line-not-delimited.edi",    # newline terminators
         "837P/lfhx12__demo.837"]


def expected(data: bytes, offset: int) -> tuple[int, int]:
    return data.count(b"\n", 0, offset) + 1, offset - data.rfind(b"\n", 0, offset)


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("chunk_size", [1, 7, 1 << 16])
def test_line_and_column_of_any_offset_in_any_order(name, chunk_size, monkeypatch):
    monkeypatch.setattr(places, "CHUNK_SIZE", chunk_size)
    data = (CORPUS / name).read_bytes()
    offsets = sorted(random.Random(name).sample(range(len(data)), 40)) + [0, len(data) - 1]
    offsets += sorted(offsets)[:5]  # asked again, earlier: the locator starts over
    locator = LineLocator(CORPUS / name)
    assert [locator.locate(o) for o in offsets] == [expected(data, o) for o in offsets]
    assert locator.locate(len(data)) is None and locator.locate(-1) is None


def test_report_lines_and_dicts_agree_on_places():
    source = CORPUS / "837P/imsweb__x12_missing_elements.txt"
    renderer = Renderer(source)
    for report in validate(source):
        document = renderer.report_dict(report)
        found = document["diagnostics"] + [d for g in document["groups"]
                                           for st in g["transactions"]
                                           for d in st["diagnostics"]]
        lines = renderer.finding_lines(report)
        assert len(lines) == len(found) == len(report.findings())
        for d in found:
            assert any(line.startswith(f"{renderer.name}:{d['line']}:{d['column']}: seg "
                                       f"#{d['segment_number']} ") for line in lines)
