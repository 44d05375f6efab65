"""The schema loader: both pyx12 map forms, the compiled model, the cache, the registry,
overrides (errata and corrections of pyx12 map faults, one test per fault)."""
from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from x12kit import read_segments
from x12kit.schema import (
    UNBOUNDED, CompositeDef, ElementDef, Registry, SchemaError, find_schema, load_schema,
)
from x12kit.schema import cache, compiler, overrides as overrides_module
from x12kit.schema import registry as registry_module, xmlmap
from x12kit.schema.overrides import read_override
from x12kit.schema.registry import pyx12_map_dir, repo_schema_dir
from x12kit.validate import check_segment
from x12kit.walk import walk_stream

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
PYX12_MAPS = pyx12_map_dir()


@pytest.fixture
def fresh(tmp_path):
    """A registry with its own empty cache directory."""
    return Registry(cache_directory=tmp_path / "cache")


# -- the registry ------------------------------------------------------------------------------
def test_registry_serves_the_guides_and_errata():
    keys = set(Registry(cache_directory=None).keys())
    assert {"837:005010X222A1", "837:005010X223A2", "835:005010X221A1", "277:005010X214",
            "999:005010X231A1", "999:005010X231", "837:005010X222A2",
            "837:005010X223A3"} <= keys
    assert len(registry_module.PYX12_MAPS) == 7


def test_lookup_by_st03_then_gs08():
    assert find_schema("837", "005010X222A1").key == "837:005010X222A1"
    assert find_schema("837", "", "005010X223A2").key == "837:005010X223A2"  # no ST03
    assert find_schema("835", "", "005010X221A1").key == "835:005010X221A1"  # 835 omits ST03
    assert find_schema("837", "005010X222", "005010X222A1").key == "837:005010X222A1"
    assert find_schema("837", "005010X999") is None
    assert load_schema("837I") is find_schema("837", "005010X223A2")


def test_837i_is_served_by_the_map_maps_xml_names():
    entry = Registry().entries()["837:005010X223A2"]
    assert entry.base.name == "837Q3.I.5010.X223.A1.xml"  # pyx12 maps.xml: X223A2 -> this file


def test_schemas_folder_wins_and_registers_by_file_name(tmp_path):
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    shutil.copy(PYX12_MAPS / "277.5010.X214.xml", schemas / "277.5010.X214.xml")
    reg = Registry(schema_dir=schemas, cache_directory=tmp_path / "cache")
    assert reg.entries()["277:005010X214"].base == schemas / "277.5010.X214.xml"
    shutil.copy(PYX12_MAPS / "277.5010.X214.xml", schemas / "278.5010.X217.xml")
    reg = Registry(schema_dir=schemas, cache_directory=tmp_path / "cache")
    assert "278:005010X217" in reg.entries()


def test_schema_dir_is_the_checkout_schemas_folder():
    assert repo_schema_dir() == ROOT / "schemas"


def test_every_registered_schema_compiles(fresh):
    for key in fresh.keys():
        schema = fresh.load(key)
        assert schema.root.id == "ST_LOOP" and schema.segment_ids >= {"ST", "SE"}


# -- the compiled model ------------------------------------------------------------------------
def test_clm05_composite_of_837p():
    clm = load_schema("837P").segment("2300", "CLM")
    assert (clm.usage, clm.max_use, clm.position, clm.loop_id) == ("R", 1, 1300, "2300")
    clm05 = clm.elements[5]
    assert isinstance(clm05, CompositeDef)
    assert (clm05.ref, clm05.data_ele, clm05.usage) == ("CLM05", "C023", "R")
    pos, qualifier, frequency = clm05.components[1:]
    assert (pos.ref, pos.data_ele, pos.usage) == ("CLM05-1", "1331", "R")
    assert {"11", "21", "23"} <= pos.codes                      # external list "pos"
    assert qualifier.codes == frozenset({"B"})
    assert (frequency.ref, frequency.data_ele, frequency.data_type, frequency.min_len,
            frequency.max_len) == ("CLM05-3", "1325", "ID", 1, 1)


def test_element_types_and_lengths_from_dataele():
    nm1 = load_schema("837P").segment("2010AA", "NM1", "85")
    nm109 = nm1.elements[9]
    assert isinstance(nm109, ElementDef)
    assert (nm109.data_ele, nm109.data_type, nm109.min_len, nm109.max_len) == ("67", "AN", 2, 80)
    assert [r.code for r in nm1.rules] == ["P0809", "C1110", "C1203"]
    assert load_schema("837P").segment("HEADER", "BHT").elements[4].data_type == "DT"


def test_identifying_codes():
    schema = load_schema("837P")
    assert schema.segment("2010AA", "NM1").qualifier.codes == frozenset({"85"})
    hl = schema.segment("2000B", "HL")
    assert (hl.qualifier.element, hl.qualifier.codes) == (3, frozenset({"22"}))
    assert schema.segment("2300", "CLM").qualifier is None


def test_dispatch_tables():
    schema = load_schema("837P")
    loop_2300 = schema.loop("2300")
    (lx,) = loop_2300.dispatch["LX"]
    assert [l.id for l in lx.loops] == ["2400"] and lx.segment.id == "LX"
    assert "CLM" not in loop_2300.dispatch  # a second CLM opens a new 2300 from the parent
    hl = schema.loop("2000A").dispatch["HL"]
    assert [(c.loops[0].id, sorted(c.qualifier.codes)) for c in hl] == [("2000B", ["22"])]
    detail = schema.root.dispatch["HL"]
    assert [[l.id for l in c.loops] for c in detail] == [["DETAIL", "2000A"]]
    assert [r.segment_id for r in schema.loop("2010AA").required] == ["N3", "N4", "REF"]


def test_repeat_and_usage():
    schema = load_schema("835")
    assert schema.loop("2100").repeat == UNBOUNDED
    assert schema.loop("2110").repeat == 999
    st03 = schema.root.children[0].elements[3]
    assert (st03.ref, st03.usage) == ("ST03", "N")  # X221A1 marks ST03 not used


def test_both_map_forms_read_alike():
    """pyx12 writes maps with child elements (map.xsd) and with attributes (map.v2.xsd)."""
    plain = xmlmap.read_map(PYX12_MAPS / "837Q3.I.5010.X223.A1.xml")
    v2 = xmlmap.read_map(PYX12_MAPS / "837Q3.I.5010.X223.A1.v2.xml")
    dictionary = xmlmap.read_data_elements([PYX12_MAPS / "dataele.xml"])
    codes = xmlmap.read_code_sets([PYX12_MAPS / "codes.xml"])
    a = compiler.compile_schema(plain, "a", "837", "A2", dictionary, codes, ())
    b = compiler.compile_schema(v2, "b", "837", "A2", dictionary, codes, ())
    assert [l.id for l in a.loops()] == [l.id for l in b.loops()]
    clm_a, clm_b = a.segment("2300", "CLM"), b.segment("2300", "CLM")
    assert clm_a.elements == clm_b.elements and clm_a.usage == clm_b.usage


def test_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    evil = tmp_path / "evil.xml"
    evil.write_text(f'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file://{secret}">]>'
                    '<transaction xid="837"><name>&x;</name></transaction>')
    raw = xmlmap.read_map(evil)
    assert "TOP-SECRET" not in raw["name"]


# -- the cache -----------------------------------------------------------------------------------
def test_cache_hit_skips_xml_parsing(tmp_path, monkeypatch):
    first = Registry(cache_directory=tmp_path)
    compiled = first.load("837P")
    assert list(tmp_path.glob("837_005010X222A1-*.pickle"))

    def no_xml(*args, **kwargs):
        raise AssertionError("XML parsed on a cache hit")

    for module, name in ((xmlmap, "parse_xml"), (overrides_module, "parse_xml"),
                         (registry_module, "read_map"), (registry_module, "read_override"),
                         (registry_module, "read_data_elements"),
                         (registry_module, "read_code_sets")):
        monkeypatch.setattr(module, name, no_xml)
    second = Registry(cache_directory=tmp_path)
    start = time.perf_counter()
    cached = second.load("837P")
    elapsed = time.perf_counter() - start
    assert cached == compiled and cached is not compiled
    assert elapsed < 0.5  # milliseconds in practice; generous for loaded CI machines


def test_cache_key_follows_the_sources(tmp_path):
    sources = [PYX12_MAPS / "999.5010X231.A1.xml"]
    copy = tmp_path / "999.5010X231.A1.xml"
    shutil.copy(sources[0], copy)
    assert cache.fingerprint(sources) == cache.fingerprint([copy])
    copy.write_bytes(copy.read_bytes().replace(b"<max_use>1</max_use>", b"<max_use>2</max_use>", 1))
    assert cache.fingerprint(sources) != cache.fingerprint([copy])


def test_stale_cache_files_are_replaced(tmp_path):
    cache.store("k", "aaaa", {"v": 1}, tmp_path)
    cache.store("k", "bbbb", {"v": 2}, tmp_path)
    assert [p.name for p in tmp_path.glob("*.pickle")] == ["k-bbbb.pickle"]
    assert cache.load("k", "aaaa", tmp_path) is None
    assert cache.load("k", "bbbb", tmp_path) == {"v": 2}


def test_unwritable_cache_is_not_fatal(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    reg = Registry(cache_directory=blocker / "cache")
    assert reg.load("999").key == "999:005010X231A1"


def test_cache_dir_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("X12KIT_CACHE_DIR", str(tmp_path))
    assert cache.cache_dir() == tmp_path


# -- overrides: errata ---------------------------------------------------------------------------
@pytest.mark.parametrize("key, base", [("837:005010X222A2", "837:005010X222A1"),
                                       ("837:005010X223A3", "837:005010X223A2")])
def test_errata_are_the_base_map_plus_their_differences(key, base):
    erratum, original = load_schema(key), load_schema(base)
    implementation = key.split(":")[1]
    assert erratum.implementation == implementation
    assert erratum.root.children[0].elements[3].codes == frozenset({implementation})
    assert erratum.envelope["GS"].elements[8].codes == frozenset({implementation})
    assert [l.id for l in erratum.loops()] == [l.id for l in original.loops()]
    assert erratum.sources[-1].endswith(".xml") and erratum.sources[0] == original.sources[0]


def test_an_erratum_file_validates_with_the_base_map():
    name = CORPUS / "837P" / "lfhx12__demo.example1.837"  # GS08/ST03 005010X222A2
    placed = list(walk_stream(read_segments(name)))
    st = next(p for p in placed if p.segment.id == "ST")
    assert st.definition is not None and st.diagnostics == ()
    found = [d for p in placed for d in p.diagnostics]
    found += [d for p in placed if p.definition for d in
              check_segment(p.segment, p.definition, p.loop_id)]
    assert found == []


# -- overrides: the mechanism --------------------------------------------------------------------
def _override(tmp_path, body: str, root: str = '<override base="999.5010X231.A1.xml">') -> Path:
    path = tmp_path / "o.xml"
    path.write_text(f'<?xml version="1.0"?>{root}{body}</override>')
    return path


def test_a_patch_that_matches_nothing_fails(tmp_path):
    from x12kit.schema.overrides import apply_override
    raw = xmlmap.read_map(PYX12_MAPS / "999.5010X231.A1.xml")
    override = read_override(_override(tmp_path, '<patch loop="NOPE" usage="R" reason="x"/>'))
    with pytest.raises(SchemaError, match="matches nothing"):
        apply_override(raw, override)


def test_a_patch_gives_its_reason(tmp_path):
    with pytest.raises(SchemaError, match="no reason"):
        read_override(_override(tmp_path, '<patch segment="AK1" usage="S"/>'))
    with pytest.raises(SchemaError, match="unknown attributes"):
        read_override(_override(tmp_path, '<patch segment="AK1" colour="red" reason="x"/>'))


def test_patch_operations(tmp_path):
    from x12kit.schema.overrides import apply_override
    raw = xmlmap.read_map(PYX12_MAPS / "999.5010X231.A1.xml")
    override = read_override(_override(tmp_path, """
        <patch loop="2000" segment="AK2" element="AK201" add-codes="999 ZZZ" reason="r"/>
        <patch loop="2000" segment="AK2" element="AK202" max_len="12" usage="S" reason="r"/>
        <patch loop="2100" segment="IK3" max_use="2" reason="r"/>
        <patch loop="2100" repeat="7" reason="r"/>"""))
    apply_override(raw, override)
    dictionary = xmlmap.read_data_elements([PYX12_MAPS / "dataele.xml"])
    codes = xmlmap.read_code_sets([PYX12_MAPS / "codes.xml"])
    schema = compiler.compile_schema(raw, "t", "999", "T", dictionary, codes, ())
    ak2 = schema.segment("2000", "AK2")
    assert {"999", "ZZZ", "837"} <= ak2.elements[1].codes
    assert (ak2.elements[2].max_len, ak2.elements[2].usage) == (12, "S")
    assert schema.segment("2100", "IK3").max_use == 2
    assert schema.loop("2100").repeat == 7


# -- overrides: corrections of pyx12 map faults (one test per fault) -----------------------------
def test_fault_837p_detail_usage():
    """pyx12's 837P map marks the DETAIL wrapper S, so a set without 2000A passed."""
    raw = xmlmap.read_map(PYX12_MAPS / "837.5010.X222.A1.xml")
    detail = next(l for l in _loops(raw) if l["id"] == "DETAIL")
    assert detail["usage"] == "S"  # the fault is still in pyx12 4.0.0
    assert load_schema("837P").loop("DETAIL").usage == "R"
    placed = list(walk_stream(read_segments(CORPUS / "837P" / "staedi__837-header-ref-only.edi")))
    missing = {(d.segment_id, d.loop_id) for p in placed for d in p.diagnostics
               if d.code == "segment-missing"}
    assert ("HL", "2000A") in missing


def test_fault_837p_isa11_repetition_separator():
    """pyx12's 837P map keeps the 4010 ISA11 (code U); in 5010 ISA11 is the separator."""
    raw = xmlmap.read_map(PYX12_MAPS / "837.5010.X222.A1.xml")
    isa = next(s for s in _segments(raw) if s["id"] == "ISA")
    assert isa["children"][10]["codes"] == ["U"]
    assert load_schema("837P").envelope["ISA"].elements[11].codes is None
    isa_text = ("ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101"
                "*1200*^*00501*000000001*0*P*:")
    from x12kit.segment import Segment
    assert check_segment(Segment(tuple(isa_text.split("*"))),
                         load_schema("837P").envelope["ISA"]) == []


def _loops(node):
    for child in node["children"]:
        if child["tag"] == "loop":
            yield child
            yield from _loops(child)


def _segments(node):
    for child in node["children"]:
        if child["tag"] == "segment":
            yield child
        elif child["tag"] == "loop":
            yield from _segments(child)


def test_fault_837i_2000c_position():
    """pyx12's 837I map puts 2000C before 2300 inside 2000B: a dependent after one of the
    subscriber's own claims was reported out of sequence."""
    raw = xmlmap.read_map(PYX12_MAPS / "837Q3.I.5010.X223.A1.xml")
    assert next(l for l in _loops(raw) if l["id"] == "2000C")["pos"] == "0200"
    schema = load_schema("837I")
    assert schema.loop("2000C").position == 1400 > schema.loop("2300").position
    subscriber_claim_then_dependent = (
        "ST*837*1*005010X223A2~BHT*0019*00*1*20240101*1200*CH~NM1*41*2*S*****46*S1~"
        "PER*IC*C*TE*5555555555~NM1*40*2*R*****46*R1~HL*1**20*1~NM1*85*2*H*****XX*1234567893~"
        "N3*A~N4*T*MD*207051234~REF*EI*123456789~HL*2*1*22*1~SBR*P*18*******CI~"
        "NM1*IL*1*D*J****MI*M1~NM1*PR*2*P*****PI*P1~"
        "CLM*A*1***11:A:1**A*Y*Y~DTP*434*RD8*20240101-20240102~CL1*1**01~HI*ABK:E119~"
        "LX*1~SV2*0300*HC:85087*1*UN*1~DTP*472*D8*20240101~"
        "HL*3*2*23*0~PAT*19~NM1*QC*1*D*K~N3*A~N4*T*MD*20705~DMG*D8*20100101*M~"
        "CLM*B*1***11:A:1**A*Y*Y~DTP*434*RD8*20240101-20240102~CL1*1**01~HI*ABK:E119~"
        "LX*1~SV2*0300*HC:85087*1*UN*1~DTP*472*D8*20240101~SE*37*1~")
    from x12kit.walk import walk
    from x12kit.segment import Segment
    segs = [Segment(tuple(t.split("*")), 0, n, n)
            for n, t in enumerate(subscriber_claim_then_dependent.split("~")[:-1], 1)]
    placed = list(walk(segs, schema))
    assert [d.code for p in placed for d in p.diagnostics] == []
    assert next(p for p in placed if p.segment.elements[:4] == ("HL", "3", "2", "23")).path[-1] \
        == "2000C"
