"""Writing: normalise, other separators, envelope arithmetic, and splitting."""
from __future__ import annotations

import io

import pytest

from x12kit import Delimiters, make_segment, read_segments, write_segments
from x12kit.envelope import check_envelope
from x12kit.split import split_segments
from x12kit.writer import X12WriteError

from .conftest import CORPUS

DEMO = CORPUS / "837P/lfhx12__demo.837"


def written(segments, **options) -> bytes:
    out = io.BytesIO()
    write_segments(segments, out, **options)
    return out.getvalue()


def test_lines_layout_removes_wrapping_indentation_and_bom():
    source = CORPUS / "837I/oopfactory__InstitutionalClaim5010.txt"  # BOM, CRLF, indented
    text = written(read_segments(source), layout="lines")
    assert not text.startswith(b"\xef\xbb\xbf")
    lines = text.split(b"\n")[:-1]
    assert all(line.endswith(b"~") and not line[:1].isspace() for line in lines)
    assert [s.elements for s in read_segments(text)] == \
        [s.elements for s in read_segments(source)]


def test_other_separators_keep_every_element_and_component():
    target = Delimiters("|", ">", "{", "\n")
    text = written(read_segments(DEMO), delimiters=target, layout="lines", line_end=b"")
    again = list(read_segments(text))
    assert again[0].delimiters == target
    original = list(read_segments(DEMO))
    assert [s.elements[0] for s in again] == [s.elements[0] for s in original]
    sv1 = next(s for s in again if s.id == "SV1")
    assert sv1.get("SV101-2") == next(s for s in original if s.id == "SV1").get("SV101-2")


def test_data_holding_a_chosen_separator_is_refused():
    seg = make_segment("NM1", "IL", "1", "O|BRIEN")
    with pytest.raises(X12WriteError, match="separators"):
        written([seg], delimiters=Delimiters("|", ":", "^", "~"))


def test_fill_counts_and_control_numbers():
    segs = [make_segment("ISA", "00", " " * 10, "00", " " * 10, "ZZ", "A".ljust(15), "ZZ",
                         "B".ljust(15), "240101", "1200", "^", "00501", "", "0", "T", ":"),
            make_segment("GS", "HC", "A", "B", "20240101", "1200", "", "X", "005010X222A1"),
            make_segment("ST", "837", "", "005010X222A1"),
            make_segment("BHT", "0019", "00", "1", "20240101", "1200", "CH"),
            make_segment("SE", "", ""), make_segment("GE", "", ""), make_segment("IEA", "", "")]
    text = written(segs, fill=True, layout="lines", first_control_number=41)
    assert b"ISA*00" in text and b"*000000041*" in text
    assert text.endswith(b"SE*3*0043~\nGE*1*42~\nIEA*1*000000041~\n")
    assert list(check_envelope(read_segments(text))) == []


@pytest.mark.parametrize("by, pieces", [("interchange", 2), ("group", 2), ("transaction", 2)])
def test_split_gives_complete_interchanges(by, pieces, tmp_path):
    source = CORPUS / "837P/imsweb__x12_multiple_isa.txt"
    split_segments(read_segments(source), by, lambda n: tmp_path / f"{n}.x12", fix_counts=True)
    outputs = sorted(tmp_path.iterdir())
    assert len(outputs) == pieces
    bodies = []
    for piece in outputs:
        segs = list(read_segments(piece))
        assert [s.id for s in segs][:1] == ["ISA"] and segs[-1].id == "IEA"
        # the source's own SE01 is wrong (25 of 34), fixed as asked; the rest is well formed
        assert {d.code for d in check_envelope(segs) if d.is_error} == set()
        bodies += [s.elements for s in segs if s.id not in ("ISA", "GS", "GE", "IEA", "SE")]
    original = [s.elements for s in read_segments(source)
                if s.id not in ("ISA", "GS", "GE", "IEA", "SE")]
    assert bodies == original


def test_lines_layout_adds_no_blank_line_after_a_newline_terminator():
    source = CORPUS / "835/tastyx12__multi-line-not-delimited.edi"  # the terminator is LF
    text = written(read_segments(source), layout="lines")
    assert b"\n\n" not in text
    assert [s.elements for s in read_segments(text)] == [s.elements for s in read_segments(source)]


def test_defaults_round_trip_a_file_with_its_final_newline():
    """``write_segments(read_segments(path), out)`` with no options gives the file back,
    final newline included (the reader's ``trailing`` is written by default)."""
    for path in (DEMO, CORPUS / "271/tigershark__271-example.txt"):
        data = path.read_bytes()
        assert data.endswith(b"\n")
        assert written(read_segments(path)) == data
    reader = read_segments(DEMO)
    assert written(reader, trailing=b"") == DEMO.read_bytes().rstrip(b"\r\n")
