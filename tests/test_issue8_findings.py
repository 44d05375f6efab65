"""Issue 8: findings that are right: each at the depth asked for, one per root cause, and
filed in the 999 under the segment they concern."""
from __future__ import annotations

import pytest

from x12kit.validate.pipeline import validate

from .conftest import CORPUS, ROOT

DEPTH_CASES = [ROOT / "tests" / "golden" / "837p-missing-2010aa.x12",
               CORPUS / "837P" / "imsweb__x12_complex.txt",
               CORPUS / "835" / "lfhx12__managed-care.835"]


def _findings(path, snip: int) -> list:
    return [d for report in validate(path, snip) for d in report.findings()]


@pytest.mark.parametrize("path", DEPTH_CASES, ids=lambda p: p.name)
def test_snip_n_reports_exactly_the_findings_of_levels_up_to_n(path):
    everything = _findings(path, 5)
    assert any(d.snip == 2 for d in everything)  # the walker's, made whatever the depth
    for snip in (1, 2, 3, 4):
        assert _findings(path, snip) == [d for d in everything if d.snip <= snip], snip


@pytest.mark.parametrize("path, st, st03", [
    ("fixtures/remittance-835.x12", b"ST*835*0001~", b"005010X221"),    # not used in an 835
    ("tests/golden/835-clean.999", b"ST*999*0001*005010X231A1~", b"005010X231A9"),  # unlisted
])
def test_an_st03_differing_from_gs08_is_one_finding(path, st, st03):
    data = (ROOT / path).read_bytes()
    assert data.count(st) == 1
    header = st.split(b"~")[0].split(b"*")[:3]
    found = _findings(data.replace(st, b"*".join(header + [st03]) + b"~"), 5)
    at_st = [(d.code, d.element_ref) for d in found if d.segment_id == "ST"]
    assert at_st == [("st-implementation-mismatch", "ST03")]


def test_an_hl01_out_of_step_is_one_finding_and_the_count_goes_on_from_it():
    """HL*1, HL*2, HL*2 (again), HL*3 in each set: only the repeated HL01 is out of step."""
    path = CORPUS / "837P" / "imsweb__x12_complex.txt"
    found = _findings(path, 2)
    hl01 = [d.segment_number for d in found if d.code == "hl-id-sequence"]
    assert hl01 == [66, 213]


def _ack_body(path) -> list[str]:
    """The AK2..IK5 segments of the 999s answering ``path``, as text."""
    from datetime import datetime

    from x12kit.acks.ack999 import ack_999
    return ["*".join(seg.elements) for report in validate(path, 5)
            for seg in ack_999(report, datetime(2024, 1, 1, 12, 0))
            if seg.elements[0] in ("AK2", "IK3", "CTX", "IK4", "IK5")]


def test_an_ik4_goes_under_the_ik3_of_its_own_segment():
    """The 1000A PER is missing where the 1000B N1 comes, whose N104 is a bad NPI: the
    missing PER has an IK3 of its own, the N104 error an IK3 for the N1."""
    body = _ack_body(CORPUS / "835" / "lfhx12__managed-care.835")
    at_n1 = body[body.index("IK3*PER*8*1000*3"):]
    assert at_n1[:3] == ["IK3*PER*8*1000*3", "IK3*N1*8*1000*8", "IK4*4*67*I12"]


def test_two_segments_missing_at_one_place_have_an_ik3_each():
    body = _ack_body(CORPUS / "837P" / "staedi__sample837-small.edi")
    # the 1000A and 1000B NM1s, both found missing at the same segment (IK303 has 4 characters)
    assert body.count("IK3*NM1*3*1000*3") == 2


def test_a_segment_with_a_wrong_code_is_one_finding_and_the_walk_resynchronises():
    """SVC*XX>99999 (a de-identified SVC01-1): one finding at SVC01-1, and the SVC opens its
    2110 all the same, so the DTM, CAS, REF and LQ after it are placed there, not each
    reported unexpected or out of sequence."""
    from x12kit import read_segments
    from x12kit.walk.walker import walk_stream
    path = CORPUS / "835" / "oopfactory__ExampleFromNth.txt"
    placed = list(walk_stream(read_segments(path)))
    bad = [p for p in placed if p.segment.id == "SVC" and p.diagnostics]
    assert len(bad) > 20
    assert all([(d.code, d.element_ref, d.ack_code) for d in p.diagnostics]
               == [("segment-qualifier-invalid", "SVC01-1", "7")] for p in bad)
    assert all(p.loop_id == "2110" and p.definition is None for p in bad)
    after = placed[placed.index(bad[0]) + 1]
    assert (after.segment.id, after.loop_id, after.diagnostics) == ("DTM", "2110", ())
    codes = {d.code for r in validate(path, 5) for d in r.findings()}
    assert not codes & {"segment-unexpected", "segment-out-of-sequence", "segment-missing"}


def test_a_segment_id_that_is_data_is_not_repeated_in_findings():
    """In a broken file the id position can hold data (here a name and a member id): the
    findings name the segment "?" and never repeat the text, in the walker's findings and
    the envelope's alike."""
    from tests.conftest import FIXTURES
    from x12kit.validate.pipeline import validate
    data = (FIXTURES / "claims-837p.x12").read_bytes()
    leaked = b"JOHN Q PUBLIC 123456789"
    broken = data.replace(b"LX*2~", leaked + b"*1~LX*2~", 1).replace(
        b"GE*", leaked + b"~GE*", 1)
    found = [d for report in validate(broken) for d in report.findings()]
    strange = [d for d in found if d.segment_id == "?"]
    assert len(strange) >= 2  # one inside a set (walker), one outside (envelope)
    for d in found:
        assert "JOHN" not in d.message and "JOHN" not in d.segment_id
