"""The pyx12-format maps for 276/277 (005010X212) and 837 dental (005010X224A2) in ``schemas/``.

1. Each map validates against pyx12's ``map.xsd``, routes on the right GS01/GS08/ST01 and names
   only data elements that pyx12's ``dataele.xml`` defines.
2. pyx12's validator, run with a temporary copy of pyx12's map folder in which these maps are
   registered (``maps_dir`` below), gives every 5010 X212 corpus file the verdict in ``CASES``.
   Where the verdict is not "pass" the case says why, and a temporary copy repaired in exactly
   that respect must then pass: the reason given is the only one.
3. The corpus holds no 005010X224A2 file (its 837D folder is 4010 X096A1-labelled dental, out of
   scope), so the dental map is checked on a small 837D written here (fictitious data) covering
   DN1, DN2, SV3 with oral cavity and diagnosis pointer, TOO, 2000C, 2320/2330 and 2430, and on
   single-fault mutations of it, each of which must be reported.
4. pyx12's own, unregistered ``277.5010.X212.xml`` fails the corpus files; the corrected copy in
   ``schemas/`` replaces it (see ``schemas/README.md``).

Corpus files are copied to ``tmp_path`` before validation (pyx12 must never write beside them).
"""
from __future__ import annotations

import io
import logging
import shutil
from pathlib import Path
from typing import Callable, NamedTuple

import pytest
from lxml import etree

import pyx12
import pyx12.errors
import pyx12.params
import pyx12.x12n_document

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "schemas"
CORPUS = ROOT.parent / "shared" / "corpus"
PYX12_MAP = Path(pyx12.__file__).parent / "map"

# file name -> (GS08, GS01, ST01)
MAPS = {
    "276.5010.X212.xml": ("005010X212", "HR", "276"),
    "277.5010.X212.xml": ("005010X212", "HN", "277"),
    "837.5010.X224.A2.xml": ("005010X224A2", "HC", "837"),
}


def _parse(path: Path) -> etree._ElementTree:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.parse(str(path), parser)


# ------------------------------------------------------------------------------------------
# 1. the maps themselves
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(MAPS))
def test_map_validates_against_pyx12_map_xsd(name: str):
    schema = etree.XMLSchema(_parse(PYX12_MAP / "map.xsd"))
    doc = _parse(SCHEMAS / name)
    assert schema.validate(doc), "\n".join(str(e) for e in schema.error_log)


@pytest.mark.parametrize("name", sorted(MAPS))
def test_map_routing_codes_and_data_elements(name: str):
    gs08, gs01, st01 = MAPS[name]
    doc = _parse(SCHEMAS / name)
    assert doc.getroot().get("xid") == st01

    def codes(xid: str) -> list[str]:
        return [c.text for c in doc.iterfind(f".//element[@xid='{xid}']/valid_codes/code")]

    assert codes("ISA12") == ["00501"]
    assert codes("GS01") == [gs01]
    assert codes("GS08") == [gs08]
    assert codes("ST01") == [st01]
    assert codes("ST03") == [gs08]
    known = {e.get("ele_num") for e in _parse(PYX12_MAP / "dataele.xml").getroot()}
    used = {e.findtext("data_ele") for e in doc.iter("element")}
    assert used <= known, sorted(used - known)


# ------------------------------------------------------------------------------------------
# pyx12 with a temporary map folder
# ------------------------------------------------------------------------------------------
def _map_folder(dest: Path, maps: dict[str, Path]) -> Path:
    """Copy of pyx12's map folder with ``maps`` (file name -> source path) registered."""
    shutil.copytree(PYX12_MAP, dest, ignore=shutil.ignore_patterns("__pycache__"))
    tree = _parse(dest / "maps.xml")
    v5010 = tree.getroot().find("version[@icvn='00501']")
    for name, src in maps.items():
        gs08, gs01, st01 = MAPS[name]
        shutil.copyfile(src, dest / name)
        for old in v5010.findall(f"map[@vriic='{gs08}'][@fic='{gs01}']"):
            v5010.remove(old)
        entry = etree.Element("map", vriic=gs08, fic=gs01, abbr="837D" if st01 == "837" else st01)
        entry.text = name
        v5010.insert(0, entry)
    tree.write(str(dest / "maps.xml"), xml_declaration=True, encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def maps_dir(tmp_path_factory) -> Path:
    return _map_folder(tmp_path_factory.mktemp("pyx12_maps") / "map",
                       {name: SCHEMAS / name for name in MAPS})


def pyx12_validate(text: str, map_dir: Path, work: Path) -> tuple[bool | None, list[str]]:
    """Run pyx12's validator on ``text`` (written to ``work``); (verdict, error lines).

    The verdict is None when pyx12 gives up (no map for the envelope)."""
    src = work / "in.x12"
    src.write_text(text, encoding="ascii")
    logger = logging.getLogger("pyx12")
    buf = io.StringIO()
    handler = logging.StreamHandler(buf)
    handler.setLevel(logging.ERROR)
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.ERROR)
    param = pyx12.params.params()
    param.set("map_path", str(map_dir))
    try:
        ok = pyx12.x12n_document.x12n_document(param=param, src_file=str(src), fd_997=None,
                                              fd_html=None, fd_xmldoc=None, map_path=str(map_dir))
    except pyx12.errors.EngineError as exc:
        ok, _ = None, buf.write(f"EngineError: {exc}\n")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    return ok, buf.getvalue().splitlines()


def read_corpus(rel: str) -> str:
    data = (CORPUS / rel).read_bytes()
    return data.decode("utf-8-sig")  # pyx12 reads ASCII: drop a UTF-8 BOM in the copy


# ------------------------------------------------------------------------------------------
# 2. the 5010 X212 corpus files
# ------------------------------------------------------------------------------------------
def _blank_stc03_stc12(text: str) -> str:
    out = []
    for seg in text.split("~"):
        if seg.strip().startswith("STC*"):
            els = seg.split("*")
            if len(els) > 3:
                els[3] = ""
            if len(els) > 12:
                els[12] = ""
            seg = "*".join(els).rstrip("*")
        out.append(seg)
    return "~".join(out)


def _repair_imsweb_277(text: str) -> str:
    text = _blank_stc03_stc12(text)
    return text.replace("IEA*1*842928883~", "IEA*1*000000001~")


def _fix_oop_envelope(text: str) -> str:
    segs = [s.strip() for s in text.split("~") if s.strip()]
    segs[0] = segs[0].replace("*U*00401*", "*^*00501*")
    segs[1] = segs[1].replace("*005010X279", "*005010X212")
    return "~\n".join(segs) + "~\n"


class Case(NamedTuple):
    verdict: bool | None  # True pass, False fail, None: pyx12 finds no map for the envelope
    expect: str = ""  # substring of the first error when verdict is not True
    why: str = ""
    repair: Callable[[str], str] | None = None


CASES: dict[str, Case] = {
    "276/lfhx12__claim-level-status-ncpdp.276": Case(True),
    "276/lfhx12__claim-level-status.276": Case(True),
    "276/lfhx12__demo.276": Case(True),
    "276/lfhx12__information-receiver-level-status.276": Case(True),
    "276/lfhx12__provider-level-status.276": Case(True),
    "276/oopfactory__Example1_IG.txt": Case(
        None, "icvn=00401, fic=HR, vriic=005010X279",
        why="mislabelled envelope: ISA12 00401 (no repetition separator) and GS08 005010X279 (the "
            "270/271 guide) around an ST03 005010X212 claim-status request; with ISA 00501 and "
            "GS08 005010X212 the X212 body is valid",
        repair=_fix_oop_envelope),
    "277/imsweb__x12_277_x212.txt": Case(
        False, '"Action Code" (STC03) is marked as Not Used',
        why="277CA-style content in an X212 277: every 2200D STC carries STC03 action code WQ and "
            "STC12 free-form text, both Not Used in X212 claim status (they belong to the X214 "
            "277CA); and IEA02 842928883 does not repeat ISA13 000000001 (envelope fault, SNIP 1)",
        repair=_repair_imsweb_277),
    "277/lfhx12__claim-level-status-ncpdp.277": Case(True),
    "277/lfhx12__demo.277": Case(True),
    "277/lfhx12__information-receiver-level-status.277": Case(True),
    "277/lfhx12__provider-level-status.277": Case(True),
}


def test_cases_cover_every_x212_file_of_the_corpus():
    found = set()
    for kind in ("276", "277", "837D", "other"):
        for f in (CORPUS / kind).iterdir():
            head = f.read_bytes()[:2000]
            if b"005010X212" in head or b"005010X224" in head:
                found.add(f"{kind}/{f.name}")
    assert found == set(CASES)


@pytest.mark.parametrize("rel", sorted(CASES))
def test_corpus_file_verdict(rel: str, maps_dir: Path, tmp_path: Path):
    case = CASES[rel]
    text = read_corpus(rel)
    ok, errors = pyx12_validate(text, maps_dir, tmp_path)
    assert ok is case.verdict, errors
    if case.verdict is not True:
        assert errors and case.expect in errors[0], errors
        fixed_ok, fixed_errors = pyx12_validate(case.repair(text), maps_dir, tmp_path)
        assert fixed_ok is True, fixed_errors


# ------------------------------------------------------------------------------------------
# 3. 837 dental: a small X224A2 file written for this test, and single-fault mutations
# ------------------------------------------------------------------------------------------
def interchange(body: list[str], gs08: str = "005010X224A2", gs01: str = "HC", st01: str = "837") -> str:
    isa = ("ISA*00*          *00*          *ZZ*X12KITSUBMIT   *ZZ*X12KITRECV     "
           "*240105*1200*^*00501*000000101*0*T*:")
    segs = [isa, f"GS*{gs01}*X12KITSUBMIT*X12KITRECV*20240105*1200*101*X*{gs08}",
            f"ST*{st01}*0001*{gs08}", *body, f"SE*{len(body) + 2}*0001", "GE*1*101", "IEA*1*000000101"]
    return "~\n".join(segs) + "~\n"


DENTAL = [
    "BHT*0019*00*D0001*20240105*1200*CH",
    "NM1*41*2*EXAMPLE DENTAL BILLING*****46*SUBM0001",
    "PER*IC*BILLING OFFICE*TE*5555550100",
    "NM1*40*2*EXAMPLE DENTAL PLAN*****46*RECV0001",
    "HL*1**20*1",
    "PRV*BI*PXC*1223G0001X",
    "NM1*85*2*EXAMPLE FAMILY DENTISTRY*****XX*1234567893",
    "N3*100 MAIN ST",
    "N4*SPRINGFIELD*IL*627010001",
    "REF*EI*123456789",
    # subscriber is the patient
    "HL*2*1*22*0",
    "SBR*P*18*GRP100******CI",
    "NM1*IL*1*DOE*JOHN****MI*MEM0001",
    "N3*1 ELM ST",
    "N4*SPRINGFIELD*IL*62701",
    "DMG*D8*19800101*M",
    "NM1*PR*2*EXAMPLE DENTAL PLAN*****PI*PAYER01",
    "CLM*PCN0001*285***11:B:1*Y*A*Y*Y",
    "DTP*472*D8*20240102",
    "DN2*1*M****JP",
    "DN2*32*E****JP",
    "REF*G3*PRED0001",
    "HI*ABK:K0251",
    "NM1*82*1*SMITH*ANNA****XX*1234567893",
    "PRV*PE*PXC*1223G0001X",
    "LX*1",
    "SV3*AD:D0120*60****1",
    "DTP*472*D8*20240102",
    "LX*2",
    "SV3*AD:D2392*225****1*****1",
    "TOO*JP*30*M:O",
    "DTP*472*D8*20240102",
    "REF*6R*LINE0002",
    # subscriber with a dependent patient: orthodontic claim with another payer's adjudication
    "HL*3*1*22*1",
    "SBR*S********CI",
    "NM1*IL*1*ROE*MARY****MI*MEM0002",
    "NM1*PR*2*EXAMPLE DENTAL PLAN*****PI*PAYER01",
    "HL*4*3*23*0",
    "PAT*19",
    "NM1*QC*1*ROE*TIM",
    "N3*2 OAK ST",
    "N4*SPRINGFIELD*IL*62702",
    "DMG*D8*20100505*M",
    "CLM*PCN0002*3500***11:B:1*Y*A*Y*Y",
    "DTP*452*D8*20231201",
    "DN1*24*20",
    "HI*ABK:M2620",
    "SBR*P*01*GRP900******CI",
    "AMT*D*0",
    "OI***Y***Y",
    "NM1*IL*1*ROE*RICHARD****MI*OTH0001",
    "NM1*PR*2*OTHER DENTAL INSURER*****PI*OTHER01",
    "LX*1",
    "SV3*AD:D8080*3500*11*01:02**1",
    "DTP*472*D8*20231201",
    "SVD*OTHER01*0*AD:D8080**1",
    "CAS*PR*1*3500",
    "DTP*573*D8*20231215",
]


def test_dental_claim_file_passes(maps_dir: Path, tmp_path: Path):
    ok, errors = pyx12_validate(interchange(DENTAL), maps_dir, tmp_path)
    assert ok is True, errors


# (segment to replace, replacement, substring of the first error)
DENTAL_FAULTS = {
    "DN2 without DN206 JP": ("DN2*32*E****JP", "DN2*32*E", "(DN206) is missing"),
    "DN2 unknown tooth status": ("DN2*32*E****JP", "DN2*32*X****JP", "Tooth Status Code (DN202)"),
    "TOO not JP": ("TOO*JP*30*M:O", "TOO*ZZ*30*M:O", "Segment TOO*ZZ not found"),
    "TOO without tooth": ("TOO*JP*30*M:O", "TOO*JP**M:O", "(TOO02) is missing"),
    "TOO unknown surface": ("TOO*JP*30*M:O", "TOO*JP*30*M:Q", "Tooth Surface Code (TOO03-02)"),
    "SV3 not an ADA code": ("SV3*AD:D0120*60****1", "SV3*HC:D0120*60****1",
                            "Segment SV3*HC:D0120 not found"),
    "SV3 unknown oral cavity": ("SV3*AD:D8080*3500*11*01:02**1", "SV3*AD:D8080*3500*11*99**1",
                                "Oral Cavity Designation Code (SV304-01)"),
    "SV3 diagnosis pointer 5": ("SV3*AD:D2392*225****1*****1", "SV3*AD:D2392*225****1*****5",
                                "Diagnosis Code Pointer (SV311-01)"),
    "SV1 in a dental claim": ("SV3*AD:D0120*60****1", "SV1*HC:99213*60*UN*1***1",
                              "Segment SV1*HC:99213 not found"),
    "CLM07 B": ("CLM*PCN0001*285***11:B:1*Y*A*Y*Y", "CLM*PCN0001*285***11:B:1*Y*B*Y*Y", "(CLM07)"),
    "PAT in 2000B": ("SBR*P*18*GRP100******CI", "SBR*P*18*GRP100******CI~\nPAT*****D8*20240101",
                     "Segment PAT* not found"),
    "no payer loop 2010BB": ("NM1*PR*2*EXAMPLE DENTAL PLAN*****PI*PAYER01~\nCLM*PCN0001",
                             "CLM*PCN0001", 'Mandatory loop "Payer Name" (2010BB) missing'),
}


@pytest.mark.parametrize("fault", sorted(DENTAL_FAULTS))
def test_dental_fault_is_reported(fault: str, maps_dir: Path, tmp_path: Path):
    old, new, expect = DENTAL_FAULTS[fault]
    text = interchange(DENTAL)
    assert old in text
    ok, errors = pyx12_validate(text.replace(old, new, 1), maps_dir, tmp_path)
    assert ok is False
    assert errors and expect in errors[0], errors


# a few claim-status faults, on the corpus' own X212 examples
STATUS_FAULTS = {
    "276 without subscriber name": ("276/lfhx12__demo.276", "NM1*IL*1*SMITH*FRED****MI*123456789A~\n", "",
                                    'Mandatory loop "Subscriber Name" (2100D) missing'),
    "276 trace type 2": ("276/lfhx12__demo.276", "TRN*1*ABCXYZ1~", "TRN*2*ABCXYZ1~", "TRN*2 not found"),
    "276 dependent with an id": ("276/lfhx12__demo.276", "NM1*QC*1*MANN*JOSEPH~",
                                 "NM1*QC*1*MANN*JOSEPH****MI*9~", "(NM108) is marked as Not Used"),
    "277 service line without status": ("277/lfhx12__demo.277", "STC*F2:88:QC*20050612~\nDTP", "DTP",
                                        'Mandatory segment "Service Line Status Information" (STC) missing'),
    "277 unknown payment method": ("277/lfhx12__demo.277", "STC*F0:3*20050915**7599.00*7599.00~",
                                   "STC*F0:3*20050915**7599.00*7599.00**XXX~", "Payment Method Code (STC07)"),
}


@pytest.mark.parametrize("fault", sorted(STATUS_FAULTS))
def test_claim_status_fault_is_reported(fault: str, maps_dir: Path, tmp_path: Path):
    rel, old, new, expect = STATUS_FAULTS[fault]
    text = read_corpus(rel)
    assert old in text
    mutated = text.replace(old, new, 1)
    delta = new.count("~") - old.count("~")
    if delta:  # keep SE01 right, so that only the fault shows
        segs = mutated.split("~")
        for i, seg in enumerate(segs):
            if seg.strip().startswith("SE*"):
                els = seg.strip().split("*")
                segs[i] = seg.replace(f"SE*{els[1]}*", f"SE*{int(els[1]) + delta}*")
        mutated = "~".join(segs)
    ok, errors = pyx12_validate(mutated, maps_dir, tmp_path)
    assert ok is False
    assert errors and expect in errors[0], errors


# ------------------------------------------------------------------------------------------
# 4. pyx12's shipped (unregistered) 277 X212 map, for the record
# ------------------------------------------------------------------------------------------
def test_pyx12_shipped_277_x212_map_fails_where_ours_passes(tmp_path: Path):
    shipped = _map_folder(tmp_path / "shipped", {"277.5010.X212.xml": PYX12_MAP / "277.5010.X212.xml"})
    ok, errors = pyx12_validate(read_corpus("277/lfhx12__demo.277"), shipped, tmp_path)
    assert ok is False
    assert "(HN) is not a valid code for Functional Identifier Code (GS01)" in errors[0]
    assert any("Segment HL*1**20*1 not found" in e for e in errors)
