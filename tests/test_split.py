"""Splitting never repairs a count silently: pieces keep the original's count errors (and
missing trailers) unless --fix-counts is given, and every one is reported either way; a
failure leaves no piece behind. Real corpus files whose counts are wrong."""
from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from x12kit import X12ReadError, read_segments
from x12kit.cli import main
from x12kit.envelope import check_envelope
from x12kit.split import split_file

from .conftest import CORPUS

MISCOUNTED = {  # what the envelope check finds wrong in each
    "837P/imsweb__x12_multiple_st.txt": {"SE", "GE"},     # one group of two sets
    "837P/imsweb__x12_multiple_gs.txt": {"SE", "IEA"},    # one interchange of two groups
    "837I/pyx12__trailer_errors.txt": {"SE", "IEA"},
    "837P/imsweb__x12_multiple_isa.txt": {"SE"},          # two interchanges
}
NO_IEA = CORPUS / "837P/pyx12__fail_no_IEA.txt"          # GE without IEA at the end
BY = ("interchange", "group", "transaction")
SAYS = re.compile(r"^(\w\w\w?)01 says (-?\d+) \w[\w ]*, the [\w ]+ has (\d+)$")
ENVELOPE = {"ISA", "GS", "ST", "SE", "GE", "IEA"}


def count_errors(segments) -> set[tuple[str, int]]:
    """(trailer id, said minus had) of every count the envelope check finds wrong."""
    errors = set()
    for d in check_envelope(segments):
        if d.code == "trailer-count-mismatch":
            trailer, said, had = SAYS.match(d.message).groups()
            errors.add((trailer, int(said) - int(had)))
    return errors


def split(name: str, by: str, tmp_path, fix_counts: bool = False):
    return split_file(read_segments(CORPUS / name), by, tmp_path, "piece", ".x12", fix_counts)


def body(segments) -> list:
    return [s.elements for s in segments if s.id not in ENVELOPE]


@pytest.mark.parametrize("by", BY)
@pytest.mark.parametrize("name", MISCOUNTED)
def test_pieces_keep_each_count_error_of_the_original_and_report_it(name, by, tmp_path):
    original = list(read_segments(CORPUS / name))
    paths, findings = split(name, by, tmp_path)
    pieces = [list(read_segments(p)) for p in paths]
    carried = set().union(*(count_errors(piece) for piece in pieces))
    # an envelope left whole keeps its trailer; a divided one keeps the difference in each
    # of its pieces (GE01 said 1 of 2 sets: a one-set piece says 0)
    assert carried == count_errors(original) and carried
    assert {d.segment_id for d in findings} == MISCOUNTED[name]
    assert all(d.is_error and "kept: the pieces say" in d.message for d in findings)
    assert [e for piece in pieces for e in body(piece)] == body(original)


@pytest.mark.parametrize("by", BY)
@pytest.mark.parametrize("name", MISCOUNTED)
def test_fix_counts_repairs_every_count_and_lists_each_change(name, by, tmp_path):
    paths, findings = split(name, by, tmp_path, fix_counts=True)
    for path in paths:  # control numbers are copied as they are, right or wrong
        assert not any(d.code in ("trailer-count-mismatch", "trailer-missing")
                       for d in check_envelope(read_segments(path)))
    assert {d.segment_id for d in findings} == MISCOUNTED[name]
    assert all(not d.is_error and "fixed: the pieces say" in d.message for d in findings)


def test_a_missing_trailer_stays_missing_unless_asked(tmp_path):
    kept, findings = split_file(read_segments(NO_IEA), "group", tmp_path / "kept", "p", ".x12")
    assert [s.id for s in read_segments(kept[0])][-1] == "GE"
    assert "IEA01" in {d.element_ref for d in findings if d.code == "trailer-missing"}
    fixed, findings = split_file(read_segments(NO_IEA), "group", tmp_path / "fixed", "p",
                                 ".x12", fix_counts=True)
    segments = list(read_segments(fixed[0]))
    assert segments[-1].id == "IEA" and segments[-1].element(2) == segments[0].element(13)
    assert not any(d.code.startswith("trailer") for d in check_envelope(segments))


def test_an_unreadable_input_leaves_no_piece(tmp_path):
    good = (CORPUS / "837P/imsweb__x12_multiple_isa.txt").read_bytes()
    source = tmp_path / "in.x12"
    source.write_bytes(good + good.replace(b":~", b"~~", 1))  # then unusable separators
    out = tmp_path / "out"
    with pytest.raises(X12ReadError):
        split_file(read_segments(source), "transaction", out, "p", ".x12")
    assert list(out.iterdir()) == []
    result = CliRunner().invoke(main, ["split", str(source), "--by", "group", "-o", str(out)])
    line = good.count(b"\n") + 1  # the second interchange starts a line: FILE:LINE:COL
    assert result.exit_code == 1 and f"{source}:{line}:1: error: " in result.output
    assert list(out.iterdir()) == []


def test_cli_reports_kept_counts_exit_1_and_fixed_ones_exit_0(tmp_path):
    source = str(CORPUS / "837P/imsweb__x12_multiple_st.txt")
    kept = CliRunner().invoke(main, ["split", source, "--by", "transaction", "-o",
                                     str(tmp_path / "kept")])
    assert kept.exit_code == 1
    lines = kept.stderr.splitlines()
    assert len(lines) == 3 and all(l.startswith(f"{source}:") for l in lines)
    assert "seg #71 GE GE01 Number of Transaction Sets Included [AK905 5] " \
           "trailer-count-mismatch" in lines[2]
    assert kept.stdout.splitlines() == [str(tmp_path / "kept" / f"imsweb__x12_multiple_st"
                                            f".000{n}.txt") for n in (1, 2)]
    fixed = CliRunner().invoke(main, ["split", source, "--by", "transaction", "-o",
                                      str(tmp_path / "fixed"), "--fix-counts", "--format",
                                      "json"])
    assert fixed.exit_code == 0
    document = json.loads(fixed.stdout)
    assert [d["severity"] for d in document["findings"]] == ["warning"] * 3
    assert [d["element_ref"] for d in document["findings"]] == ["SE01", "SE01", "GE01"]
