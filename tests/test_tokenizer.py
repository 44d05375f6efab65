"""The tokenizer and reader on real files, on every chunking, and on broken input."""
from __future__ import annotations

import gzip
import io

import pytest
from hypothesis import given, settings, strategies as st

from x12kit import X12ReadError, read_segments, write_segments
from x12kit.tokenizer import Tokenizer

from .conftest import CORPUS, corpus_files, corpus_id

ALL_FILES = corpus_files()
NO_ISA = {"835/edi835__blue_cross_nc_sample.txt", "835/edi835aff__exhaustive_sample.txt",
          "835/pbx12__example835NoISA.txt", "837P/imsweb__x12_no_isa_line.txt"}
SIMPLE = (b"ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*^"
          b"*00501*000000001*0*T*:~GS*HC*S*R*20240101*1200*1*X*005010X222A1~ST*837*0001*005010X"
          b"222A1~BHT*0019*00*1*20240101*1200*CH~SE*3*0001~GE*1*1~IEA*1*000000001~")


def tokens(segments):
    return [(s.elements, s.offset, s.number, s.set_position, s.layout) for s in segments]


def feed_in_pieces(data: bytes, cuts: list[int]):
    tokenizer, out, last = Tokenizer(), [], 0
    for cut in sorted(set(c % (len(data) + 1) for c in cuts)):
        out += tokenizer.feed(data[last:cut])
        last = cut
    out += tokenizer.feed(data[last:])
    return out + list(tokenizer.close()), tokenizer.trailing


@pytest.mark.parametrize("path", ALL_FILES, ids=corpus_id)
def test_every_corpus_file_reads_and_round_trips(path):
    data = path.read_bytes()
    reader = read_segments(path)
    if corpus_id(path) in NO_ISA:
        with pytest.raises(X12ReadError, match="no ISA"):
            list(reader)
        return
    segments = list(reader)
    assert segments[0].id == "ISA"
    out = io.BytesIO()
    write_segments(segments, out, trailing=reader.trailing)
    assert out.getvalue() == data


@pytest.mark.parametrize("name", ["837I/tigershark__837I-Examples.txt",
                                  "837I/vscodeedi__X223-837I-two-claims-for-the-same-provider.edi",
                                  "270/oopfactory__Example1_IG_0x1D.txt",
                                  "835/pbx12__example835SpecialCharsOne.txt",
                                  "835/tigershark__835-example.txt"])
def test_one_byte_at_a_time_gives_the_same_segments(name):
    data = (CORPUS / name).read_bytes()
    whole = list(read_segments(data))
    assert tokens(read_segments(data, chunk_size=1)) == tokens(whole)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([f for f in ALL_FILES if corpus_id(f) not in NO_ISA
                        and f.stat().st_size < 20000]),
       st.lists(st.integers(min_value=0, max_value=20000), max_size=30),
       st.sampled_from([b"", b"\n", b"\r\n  \n"]))
def test_any_chunking_gives_the_same_segments(path, cuts, trailing):
    data = path.read_bytes() + trailing
    whole = Tokenizer()
    expected = list(whole.feed(data)) + list(whole.close())
    got, got_trailing = feed_in_pieces(data, cuts)
    assert tokens(got) == tokens(expected)
    assert got_trailing == whole.trailing


def test_positions_count_bytes_segments_and_set_positions():
    segs = list(read_segments(SIMPLE))
    assert [s.id for s in segs] == ["ISA", "GS", "ST", "BHT", "SE", "GE", "IEA"]
    assert [s.number for s in segs] == [1, 2, 3, 4, 5, 6, 7]
    assert [s.set_position for s in segs] == [0, 0, 1, 2, 3, 0, 0]
    for seg in segs:
        assert SIMPLE[seg.offset:seg.offset + len(seg.id)] == seg.id.encode()


def test_layout_bom_crlf_and_indentation_are_not_data():
    data = b"\xef\xbb\xbf  " + SIMPLE.replace(b"~", b"~\r\n    ")
    segs = list(read_segments(data))
    assert [s.id for s in segs] == ["ISA", "GS", "ST", "BHT", "SE", "GE", "IEA"]
    assert segs[0].layout.lead == b"\xef\xbb\xbf  "
    assert segs[1].layout.lead == b"\r\n    "
    assert segs[1].offset == data.index(b"GS*")


def test_wrapped_lines_inside_segments_are_layout():
    flat = SIMPLE
    wrapped = b"\n".join(flat[i:i + 80] for i in range(0, len(flat), 80))
    assert [s.elements for s in read_segments(wrapped)] == \
        [s.elements for s in read_segments(flat)]
    out = io.BytesIO()
    write_segments(read_segments(wrapped), out)
    assert out.getvalue() == wrapped


def test_trailing_data_after_the_last_interchange_is_kept():
    reader = read_segments(SIMPLE + b"\n\nJUNK*1")
    segs = list(reader)
    assert segs[-1].id == "JUNK" and not segs[-1].layout.terminated
    out = io.BytesIO()
    write_segments(segs, out, trailing=reader.trailing)
    assert out.getvalue() == SIMPLE + b"\n\nJUNK*1"


def test_interchanges_with_different_separators_follow_each_other():
    other = SIMPLE.replace(b"*", b"|").replace(b"~", b"\n")
    segs = list(read_segments(SIMPLE + b"\n" + other))
    assert [s.id for s in segs].count("ISA") == 2
    assert segs[7].delimiters.element == "|" and segs[7].delimiters.segment == "\n"
    assert segs[8].elements == ("GS", "HC", "S", "R", "20240101", "1200", "1", "X",
                                "005010X222A1")


def test_non_ascii_bytes_are_read_and_written_back():
    data = SIMPLE.replace(b"BHT*0019", b"NM1*IL*1*M\xc3\xbcller*\xff~BHT*0019")
    segs = list(read_segments(data))
    assert segs[3].elements[3] == "Müller"
    out = io.BytesIO()
    write_segments(segs, out)
    assert out.getvalue() == data


def test_gzip_stdin_like_streams_and_paths(tmp_path):
    path = tmp_path / "x.837.gz"
    path.write_bytes(gzip.compress(SIMPLE))
    expected = [s.elements for s in read_segments(SIMPLE)]
    assert [s.elements for s in read_segments(path)] == expected
    assert [s.elements for s in read_segments(str(path))] == expected
    assert [s.elements for s in read_segments(io.BytesIO(gzip.compress(SIMPLE)))] == expected
    assert [s.elements for s in read_segments(gzip.compress(SIMPLE))] == expected


@pytest.mark.parametrize("data, message, offset", [
    (b"", "empty input", 0),
    (b"   \n", "empty input", 0),
    (b"ISA*00*   *00", "unreadable ISA header", 0),
    (b"hello world, this is not X12~", "no ISA", 0),
    (b"\n\nGS*HC*S*R~", "no ISA", 2),
    (SIMPLE.replace(b":~", b"*~", 1), "unusable separators", 0),
    (SIMPLE.replace(b":~", b"~~", 1), "unusable separators", 0),
    (SIMPLE.replace(b":~", b":A", 1), "letter or digit", 0),
])
def test_unreadable_input_raises_one_clear_error(data, message, offset):
    with pytest.raises(X12ReadError, match=message) as caught:
        list(read_segments(data))
    assert caught.value.offset == offset


def test_segments_before_an_unreadable_header_are_given_first():
    broken = SIMPLE.replace(b":~", b"~~", 1)   # a second interchange with unusable separators
    tokenizer = Tokenizer()
    segments = tokenizer.feed(SIMPLE + broken)   # one chunk holding both
    ids = []
    with pytest.raises(X12ReadError, match="unusable separators") as caught:
        ids.extend(s.id for s in segments)
    assert ids == ["ISA", "GS", "ST", "BHT", "SE", "GE", "IEA"]
    assert caught.value.offset == len(SIMPLE)


def test_a_segment_without_terminator_hits_the_size_cap():
    tokenizer = Tokenizer(max_segment_bytes=1000)
    tokenizer.feed(SIMPLE[:106])
    with pytest.raises(X12ReadError, match="no segment terminator within 1000 bytes"):
        list(tokenizer.feed(b"GS*" + b"A" * 2000))
