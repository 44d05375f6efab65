"""The schema walker: loop placement, the 999 IK3 structure codes, HL checks, streaming, and
every 5010 corpus file of the 837P, 837I, 835, 277CA and 999 kinds.

Differential against pyx12: files that their origin means valid and that pyx12 passes
(SOURCES.md) must give no errors here; every other disagreement, with pyx12 or with the
origin's intent, is listed with its reason in ``tests/data/walker_disagreements.json`` and
its findings are pinned there.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from x12kit import read_segments
from x12kit.schema import load_schema
from x12kit.schema.compiler import compile_schema
from x12kit.segment import Segment
from x12kit.validate import check_segment
from x12kit.walk import Walker, walk, walk_stream

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
DISAGREEMENTS = json.loads((ROOT / "tests" / "data" / "walker_disagreements.json").read_text())
KINDS = ("837P", "837I", "835", "277CA", "999")


def segments(text: str) -> list[Segment]:
    """A set fragment as segments: split on ~ and *, numbered from ST as the reader would."""
    out, offset = [], 0
    for n, raw in enumerate(t for t in text.split("~") if t.strip()):
        raw = raw.strip()
        out.append(Segment(tuple(raw.split("*")), offset, n + 1, n + 1))
        offset += len(raw) + 1
    return out


HEAD = ("ST*837*0001*005010X222A1~BHT*0019*00*1*20240101*1200*CH~"
        "NM1*41*2*SUBMITTER*****46*S1~PER*IC*CONTACT*TE*5555555555~NM1*40*2*RECEIVER*****46*R1~")
PROVIDER = ("HL*1**20*1~NM1*85*2*CLINIC*****XX*1234567893~N3*1 MAIN ST~N4*TOWN*MD*207051234~"
            "REF*EI*123456789~")
SUBSCRIBER = "HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*DOE*JANE****MI*M1~NM1*PR*2*PAYER*****PI*P1~"
CLAIM = ("CLM*PCN1*100***11:B:1*Y*A*Y*Y~HI*ABK:E119~"
         "LX*1~SV1*HC:99213*60*UN*1***1~DTP*472*D8*20240102~"
         "LX*2~SV1*HC:81002*40*UN*1***1~DTP*472*D8*20240102~")
GOOD = HEAD + PROVIDER + SUBSCRIBER + CLAIM + "SE*23*0001~"


def place(text: str, schema: str = "837P"):
    return list(walk(segments(text), load_schema(schema)))


def findings(placed) -> list[tuple[str, str, str]]:
    return [(d.ack_code, d.segment_id, d.loop_id) for p in placed for d in p.diagnostics]


# -- placement ---------------------------------------------------------------------------------
def test_a_clean_claim_places_every_segment_without_findings():
    placed = place(GOOD)
    assert findings(placed) == []
    assert all(p.definition is not None for p in placed)
    assert [p.loop_id for p in placed] == [
        "ST_LOOP", "HEADER", "1000A", "1000A", "1000B",
        "2000A", "2010AA", "2010AA", "2010AA", "2010AA",
        "2000B", "2000B", "2010BA", "2010BB",
        "2300", "2300", "2400", "2400", "2400", "2400", "2400", "2400", "ST_LOOP"]


def test_paths_and_entered_loops():
    placed = place(GOOD)
    clm = next(p for p in placed if p.segment.id == "CLM")
    assert clm.path == ("ST_LOOP", "DETAIL", "2000A", "2000B", "2300")
    assert clm.entered == ("2300",)
    lx = [p for p in placed if p.segment.id == "LX"]
    assert [p.entered for p in lx] == [("2400",), ("2400",)]  # a second LX is a new 2400
    first_hl = next(p for p in placed if p.segment.id == "HL")
    assert first_hl.entered == ("DETAIL", "2000A")
    assert placed[-1].definition.id == "SE"


def test_loops_identified_by_hl03_and_by_nm101():
    text = GOOD.replace("HL*2*1*22*0~", "HL*2*1*22*1~").replace(
        "CLM*PCN1", "HL*3*2*23*0~PAT*19~NM1*QC*1*DOE*JOHN~N3*1 MAIN ST~N4*TOWN*MD*20705~"
        "DMG*D8*20100101*M~CLM*PCN1")
    placed = place(text)
    by_id = {(p.segment.id, p.segment.element(3) if p.segment.id == "HL" else
              p.segment.element(1)): p for p in placed}
    assert by_id[("HL", "23")].loop_id == "2000C"
    assert by_id[("NM1", "QC")].loop_id == "2010CA"
    assert by_id[("NM1", "85")].definition.qualifier.codes == frozenset({"85"})
    clm = next(p for p in placed if p.segment.id == "CLM")
    assert clm.path[-3:] == ("2000B", "2000C", "2300")
    assert [d for p in placed for d in p.diagnostics if d.code != "segment-missing"] == []


def test_qualifiers_tell_same_id_segments_apart():
    placed = place(GOOD.replace("REF*EI*123456789~", "REF*EI*123456789~REF*0B*ALT1~"))
    refs = [p.definition for p in placed if p.segment.id == "REF"]
    assert [sorted(r.qualifier.codes)[:1] for r in refs] == [["EI"], ["0B"]]
    assert findings(placed) == []


# -- IK304 codes ---------------------------------------------------------------------------------
@pytest.mark.parametrize("edit, expected", [
    (("N3*1 MAIN ST~", ""), ("3", "N3", "2010AA")),                     # required segment missing
    (("REF*EI*123456789~", "REF*EI*123456789~ZZQ*1~"), ("1", "ZZQ", "2010AA")),  # unrecognized id
    (("REF*EI*123456789~", "REF*EI*123456789~BPR*C*1~"), ("6", "BPR", "2010AA")),  # not in 837
    (("N4*TOWN*MD*207051234~", "N4*TOWN*MD*207051234~N3*2 MAIN ST~"), ("7", "N3", "2010AA")),
    (("NM1*85*2*CLINIC", "NM1*XX*2*CLINIC"), ("7", "NM1", "2010AA")),    # unknown NM101
    (("PER*IC*CONTACT*TE*5555555555~",) * 2, None),                      # PER max use 2: fine
    (("HL*2*1*22*0~", "NM1*85*2*SECOND*****XX*1234567893~HL*2*1*22*0~"), ("4", "NM1", "2010AA")),
])
def test_structure_codes(edit, expected):
    old, new = edit
    placed = place(GOOD.replace(old, new, 1))
    if expected is None:
        assert findings(placed) == []
    else:
        assert expected in findings(placed)


def test_segment_over_max_use():
    per = "PER*IC*CONTACT*TE*5555555555~"
    placed = place(GOOD.replace(per, per * 3))
    assert ("5", "PER", "1000A") in findings(placed)


def test_loop_missing_reported_with_its_first_segment():
    placed = place(GOOD.replace("NM1*PR*2*PAYER*****PI*P1~", ""))
    assert ("3", "NM1", "2010BB") in findings(placed)
    placed = place(GOOD.replace(CLAIM, "CLM*PCN1*100***11:B:1*Y*A*Y*Y~HI*ABK:E119~"))
    assert ("3", "LX", "2400") in findings(placed)  # 2400 is required in 2300


def test_a_required_loop_passed_over_at_the_same_position():
    # 2010AA and 2010AB both sit at position 0150; 2010AB without 2010AA misses 2010AA
    text = GOOD.replace(PROVIDER, "HL*1**20*1~NM1*87*2~N3*1 MAIN ST~N4*TOWN*MD*207051234~")
    found = findings(place(text))
    assert found.count(("3", "NM1", "2010AA")) == 1


def test_every_open_loop_checked_at_se():
    last_line = "LX*2~SV1*HC:81002*40*UN*1***1~DTP*472*D8*20240102~"
    placed = place(GOOD.replace(last_line, "LX*2~SV1*HC:81002*40*UN*1***1~"))
    se = placed[-1]
    assert se.segment.id == "SE"
    assert [(d.ack_code, d.segment_id, d.loop_id) for d in se.diagnostics] == [
        ("3", "DTP", "2400")]


def test_truncated_set_checked_by_close():
    walker = Walker(load_schema("837P"))
    for seg in segments(HEAD + PROVIDER):
        walker.place(seg)
    missing = {(d.segment_id, d.loop_id) for d in walker.close()}
    assert ("HL", "2000B") in missing


def test_diagnostic_fields():
    placed = place(GOOD.replace("N3*1 MAIN ST~", ""))
    diag = next(d for p in placed for d in p.diagnostics)
    n4 = next(p.segment for p in placed if p.segment.id == "N4")
    assert diag.snip == 2 and diag.code == "segment-missing" and diag.is_error
    assert (diag.set_position, diag.segment_number, diag.offset) == (
        n4.set_position, n4.number, n4.offset)
    assert diag.loop_id == "2010AA" and diag.value == ""


def _tiny_schema(nte_usage: str):
    """A three-segment guide compiled from a raw map, to exercise what the 5010 maps lack."""
    def element(seq, num, usage="R", codes=None):
        return {"tag": "element", "ref": "", "data_ele": num, "name": num, "usage": usage,
                "seq": seq, "repeat": "", "codes": codes, "external": None, "regex": None}

    def segment(sid, pos, usage, *elements):
        return {"tag": "segment", "id": sid, "name": sid, "usage": usage, "pos": pos,
                "max_use": "1", "syntax": [], "children": list(elements)}

    st_loop = {"tag": "loop", "id": "ST_LOOP", "name": "set", "usage": "R", "pos": "0",
               "repeat": ">1", "type": "explicit", "children": [
                   segment("ST", "0100", "R", element("01", "143", codes=["837"])),
                   segment("NTE", "0200", nte_usage, element("01", "352")),
                   segment("SE", "0300", "R", element("01", "96"))]}
    raw = {"id": "837", "name": "tiny", "children": [st_loop]}
    dictionary = {"143": ("ID", 3, 3), "352": ("AN", 1, 80), "96": ("N0", 1, 10)}
    return compile_schema(raw, "837:TINY", "837", "TINY", dictionary, {}, ("tiny",))


def test_not_used_segment_present():
    placed = list(walk(segments("ST*837~NTE*NOTE~SE*3~"), _tiny_schema("N")))
    assert findings(placed) == [("I4", "NTE", "ST_LOOP")]
    placed = list(walk(segments("ST*837~NTE*NOTE~SE*3~"), _tiny_schema("S")))
    assert findings(placed) == []


# -- HL hierarchy --------------------------------------------------------------------------------
def test_hl_ids_must_count_up():
    placed = place(GOOD.replace("HL*2*1*22*0~", "HL*3*1*22*0~"))
    diags = [d for p in placed for d in p.diagnostics]
    assert [(d.code, d.element_ref, d.value) for d in diags] == [("hl-id-sequence", "HL01", "3")]


def test_an_hl01_gap_is_reported_once():
    """Issue 8: the count goes on from the HL01 seen, so the next HL, one past it, is fine."""
    second = SUBSCRIBER.replace("HL*2*1", "HL*4*1") + CLAIM
    placed = place(GOOD.replace("HL*2*1*22*0~", "HL*3*1*22*0~").replace("SE*", second + "SE*"))
    diags = [d for p in placed for d in p.diagnostics if d.code.startswith("hl-")]
    assert [(d.code, d.value) for d in diags] == [("hl-id-sequence", "3")]


def test_hl_parent_must_be_the_enclosing_level():
    placed = place(GOOD.replace("HL*2*1*22*0~", "HL*2*7*22*0~"))
    diags = [d for p in placed for d in p.diagnostics]
    assert [(d.code, d.element_ref, d.value) for d in diags] == [("hl-parent-invalid", "HL02", "7")]
    assert "7" not in diags[0].message


def test_hl_patient_under_billing_provider_is_not_under_its_subscriber():
    text = GOOD.replace("HL*2*1*22*0~", "HL*2*1*22*1~").replace(
        "CLM*PCN1", "HL*3*1*23*0~PAT*19~NM1*QC*1*DOE*JOHN~N3*1 MAIN ST~N4*TOWN*MD*20705~"
        "DMG*D8*20100101*M~CLM*PCN1")
    diags = [d for p in place(text) for d in p.diagnostics]
    assert [d.code for d in diags] == ["hl-parent-invalid"]


# -- streaming -------------------------------------------------------------------------------------
def test_walk_is_lazy_and_bounded():
    """The walker pulls one segment per placement and its state is as deep as the guide."""
    schema = load_schema("837P")
    pulled = []
    claims = (SUBSCRIBER.replace("HL*2*1", f"HL*{n}*1").replace("22*0", "22*0") + CLAIM
              for n in range(2, 2000))

    def source():
        for seg in segments(HEAD + PROVIDER):
            pulled.append(seg)
            yield seg
        for n, block in enumerate(claims):
            for seg in segments(block):
                pulled.append(seg)
                yield seg

    stream = walk(source(), schema)
    first = next(stream)
    assert first.segment.id == "ST" and len(pulled) == 1
    assert sum(1 for _ in stream) + 1 == len(pulled) > 20_000


def test_walker_state_depth_stays_at_nesting_depth():
    walker = Walker(load_schema("837P"))
    deepest = 0
    for seg in segments(HEAD + PROVIDER + (SUBSCRIBER + CLAIM) * 50):
        walker.place(seg)
        deepest = max(deepest, len(walker._stack))
    assert deepest <= 7  # top, ST_LOOP, DETAIL, 2000A, 2000B, 2300, 2400


def test_walk_stream_routes_each_set_to_its_schema():
    data = (CORPUS / "837P" / "imsweb__x12_multiple_isa.txt").read_bytes()
    placed = list(walk_stream(read_segments(data)))
    sets = [p for p in placed if p.segment.id == "ST"]
    assert len(sets) == 2 and all(p.definition is not None for p in sets)
    isa = next(p for p in placed if p.segment.id == "ISA")
    assert isa.path == ("ISA_LOOP",) and isa.definition.id == "ISA"
    gs = next(p for p in placed if p.segment.id == "GS")
    assert gs.path == ("ISA_LOOP", "GS_LOOP") and gs.definition.id == "GS"


def test_walk_stream_835_without_st03_uses_gs08():
    placed = list(walk_stream(read_segments(CORPUS / "835" / "tastyx12__profee.edi")))
    assert all(p.definition is not None for p in placed)
    assert not [d for p in placed for d in p.diagnostics]


def test_walk_stream_guide_without_addenda_is_walked_as_the_adopted_one():
    text = (CORPUS / "837P" / "oopfactory__ProfessionalClaim1.txt").read_bytes()  # 005010X222
    placed = list(walk_stream(read_segments(text)))
    st = next(p for p in placed if p.segment.id == "ST")
    assert [(d.code, d.severity.value) for d in st.diagnostics] == [
        ("implementation-assumed", "warning")]
    se = next(p for p in placed if p.segment.id == "SE")
    assert st.definition is not None and se.definition is not None  # walked to its end


# -- the corpus ----------------------------------------------------------------------------------
def _sources() -> dict[str, dict[str, str]]:
    """SOURCES.md rows; cells split on unescaped pipes (notes may hold a literal '\\|')."""
    rows = {}
    for line in (CORPUS / "SOURCES.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        if len(cells) == 8 and "/" in cells[0] and cells[0] != "corpus path":
            rows[cells[0]] = dict(zip(("path", "origin", "origin_path", "licence", "version",
                                       "intent", "pyx12", "notes"), cells))
    return rows


SOURCES = _sources() if (CORPUS / "SOURCES.md").is_file() else {}
FILES_5010 = sorted(k for k, r in SOURCES.items() if k.split("/")[0] in KINDS
                    and r["version"].startswith("00501 / 005010"))
VALID_AND_PYX12_PASS = [k for k in FILES_5010 if SOURCES[k]["intent"].startswith("valid")
                        and SOURCES[k]["pyx12"].startswith("pass")]


def validate(path: Path) -> tuple[list, list]:
    placed, found = [], []
    for p in walk_stream(read_segments(path)):
        placed.append(p)
        found.extend(p.diagnostics)
        if p.definition is not None:
            found.extend(check_segment(p.segment, p.definition, p.loop_id))
    return placed, found


def signature(found) -> list[str]:
    return sorted({f"{d.ack_code} {d.segment_id} {d.element_ref or '-'} {d.loop_id or '-'}"
                   for d in found if d.is_error})


def test_corpus_is_there():
    assert len(FILES_5010) >= 80 and len(VALID_AND_PYX12_PASS) >= 12


@pytest.mark.parametrize("name", FILES_5010)
def test_corpus_file_walks(name):
    placed, _ = validate(CORPUS / name)
    assert len(placed) == sum(1 for _ in read_segments(CORPUS / name))
    if not any(d.code == "schema-unknown" for p in placed for d in p.diagnostics):
        inside = [p for p in placed if p.segment.set_position]
        assert inside and all(p.path for p in inside if p.definition is not None)


@pytest.mark.parametrize("name", VALID_AND_PYX12_PASS)
def test_valid_files_pyx12_passes_have_no_errors(name):
    _, found = validate(CORPUS / name)
    assert signature(found) == DISAGREEMENTS["files"].get(name, {}).get("x12kit", [])


@pytest.mark.parametrize("name", sorted(DISAGREEMENTS["files"]))
def test_known_disagreements_are_pinned(name):
    entry = DISAGREEMENTS["files"][name]
    assert entry["reason"] in DISAGREEMENTS["reasons"]
    _, found = validate(CORPUS / name)
    assert signature(found) == entry["x12kit"]


def test_every_file_with_errors_is_explained():
    unexplained = []
    for name in FILES_5010:
        if name in DISAGREEMENTS["files"]:
            continue
        _, found = validate(CORPUS / name)
        if signature(found) and SOURCES[name]["intent"].startswith("valid"):
            unexplained.append(name)
    assert unexplained == []


def test_issue9_pwk_ct_goes_to_the_definition_whose_other_codes_fit():
    """Both 2400 PWKs take PWK01 CT: PWK02 AD is a DME certificate's, BM a line
    supplemental's. A walker that has placed one must not send the other after it."""
    lines = {"DME": "PWK*CT*AD~", "line": "PWK*CT*BM*AC*DOC1~"}
    for first, second in (("DME", "line"), ("line", "DME")):
        text = GOOD.replace("SV1*HC:99213*60*UN*1***1~", "SV1*HC:99213*60*UN*1***1~"
                            + lines[first]).replace("SV1*HC:81002*40*UN*1***1~",
                                                    "SV1*HC:81002*40*UN*1***1~" + lines[second])
        text = text.replace("SE*23*", "SE*25*")
        for _ in range(2):  # the second walk may take remembered moves
            pwks = [p for p in place(text) if p.segment.id == "PWK"]
            names = [p.definition.name.split()[0] for p in pwks]
            assert names == [("Durable" if n == "DME" else "Line") for n in (first, second)]
            assert [d for p in pwks for d in p.diagnostics] == []


def test_a_wrapper_loops_first_segment_repeats_as_a_segment():
    """The 835's FOOTER and the HEADERs are the guides' grouping of a table, not X12 loops:
    a second PLB (max use >1) is the same segment again, and a second BHT (max use 1) is a
    segment over its maximum use, not a second HEADER loop."""
    remittance = (ROOT / "fixtures" / "remittance-835.x12").read_text()
    body = remittance[remittance.index("ST*835"):remittance.index("SE*")]
    plbs = "PLB*1234567893*20241231*L6*-1.00~\nPLB*1234567893*20241231*WO:REF1*1.00~"
    placed = place(body + plbs + "SE*84*0001~", "835")
    assert [(p.segment.id, p.definition.loop_id) for p in placed[-3:-1]] == [("PLB", "FOOTER")] * 2
    assert findings(placed) == []
    bht = "BHT*0019*00*1*20240101*1200*CH~"
    assert ("5", "BHT", "HEADER") in findings(place(GOOD.replace(bht, bht * 2)))
