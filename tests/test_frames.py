"""``x12kit.frames``: the one reading of the envelope's nesting, on broken nesting too, and
what its readers (loop events, the summary, the validation pipeline) make of it."""
from __future__ import annotations

from x12kit import read_segments
from x12kit.frames import EnvelopeFrames
from x12kit.summary import summarize
from x12kit.walk import walk_events

ISA = (b"ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*^"
       b"*00501*000000001*0*T*:~\n")
GS = b"GS*HC*S*R*20240101*1200*1*X*005010X222A1~\n"
ST = b"ST*837*0001*005010X222A1~\nBHT*0019*00*1*20240101*1200*CH~\n"


def _moves(data: bytes) -> list[tuple[str, list[str], str]]:
    """(segment id, ids of the headers of the frames it closed, innermost first, the header
    it opened) for each header and trailer."""
    frames = EnvelopeFrames()
    found = []
    for seg in read_segments(data):
        moved = frames.follow(seg)
        if moved is not None:
            found.append((seg.id, [f.header.id for f in moved.closed],
                          moved.opened.header.id if moved.opened else ""))
    return found


def test_a_header_closes_what_is_open_at_its_depth_and_below():
    data = ISA + GS + ST + GS + ST + ISA
    assert _moves(data) == [("ISA", [], "ISA"), ("GS", [], "GS"), ("ST", [], "ST"),
                            ("GS", ["ST", "GS"], "GS"), ("ST", [], "ST"),
                            ("ISA", ["ST", "GS", "ISA"], "ISA")]


def test_a_trailer_closes_the_deeper_frames_then_its_own_and_a_stray_one_nothing():
    data = ISA + GS + ST + b"GE*1*1~\nSE*2*0001~\nIEA*1*000000001~\n"
    assert _moves(data) == [("ISA", [], "ISA"), ("GS", [], "GS"), ("ST", [], "ST"),
                            ("GE", ["ST", "GS"], ""), ("SE", [], ""), ("IEA", ["ISA"], "")]


def test_the_end_closes_every_open_frame_innermost_first():
    frames = EnvelopeFrames()
    for seg in read_segments(ISA + GS + ST):
        frames.follow(seg)
    assert [f.header.id for f in frames.close_all()] == ["ST", "GS", "ISA"]
    assert frames.open == [] and frames.envelope() == (None, None, None)


def test_a_set_after_its_group_closed_stands_in_the_interchange_alone():
    """A GE before the set's ST: the set's segments see no group, in the loop events and in
    the summary, which counts the set under no group (the envelope check reports it)."""
    data = ISA + GS + b"GE*0*1~\n" + ST + b"SE*3*0001~\nIEA*1*000000001~\n"
    envelopes = {step.segment.id: step.envelope for step in walk_events(read_segments(data))}
    isa = envelopes["ISA"].interchange
    assert envelopes["BHT"].interchange is isa and envelopes["BHT"].group is None
    assert envelopes["BHT"].header.id == "ST"
    assert envelopes["GE"].group is not None  # a trailer stands in what it closes
    interchanges, findings = summarize(read_segments(data))
    assert [g["transactions"] for g in interchanges[0]["groups"]] == [[]]
    assert "header-outside-envelope" in {d.code for d in findings}


def test_the_summary_counts_a_set_without_its_se_up_to_the_next_header():
    data = ISA + GS + ST + b"NM1*41*2*SUBMITTER*****46*1~\n" + ST + b"SE*3*0001~\nGE*2*1~\n" \
        + b"IEA*1*000000001~\n"
    interchanges, _ = summarize(read_segments(data))
    (group,) = interchanges[0]["groups"]
    assert [t["segments"] for t in group["transactions"]] == [3, 3]
