"""``x12kit info`` counts what it names: an 835's claim payments (CLP) and service lines
(SVC), an 837's claims (CLM) and service lines (LX, each opening a 2400 loop)."""
from __future__ import annotations

from collections import Counter

import pytest

from x12kit import read_segments
from x12kit.summary import summarize

from .conftest import CORPUS

# one set each; in these the 835's LX (claim payment groups) count differs from its SVCs
FILES = ["835/edi835__emedny_sample.txt", "835/oopfactory__835_DeIdent_01.dat",
         "835/pyx12__835_mult_loops.txt", "837P/lfhx12__demo.837"]
NAMES = {"835": {"claim_payments": "CLP", "service_lines": "SVC"},
         "837": {"claims": "CLM", "service_lines": "LX"}}


@pytest.mark.parametrize("name", FILES)
def test_counts_are_of_the_segments_they_name(name):
    segments = list(read_segments(CORPUS / name))
    found = Counter(s.id for s in segments)
    interchanges, _ = summarize(segments)
    (st,) = [st for isa in interchanges for gs in isa["groups"] for st in gs["transactions"]]
    for count, segment_id in NAMES[st["id"]].items():
        assert st[count] == found[segment_id], count
    assert "service_line_groups" not in st
    if st["id"] == "835":
        assert st["service_lines"] != found["LX"]
