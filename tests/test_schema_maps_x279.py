"""The pyx12-format maps in ``schemas/`` and the 005010X279A1 (270/271) maps against real files.

1. Every ``schemas/*.xml`` validates against the XSD pyx12 ships for its kind: ``map.xsd`` for
   implementation-guide maps (root ``<transaction>``), ``dataele.xsd`` / ``codes.xsd`` for the
   optional extra dictionaries. None is skipped; an XML file of another kind fails.
2. pyx12's own validator, run with a temporary copy of pyx12's map folder in which the two X279A1
   maps are registered, gives each 005010X279A1 corpus file the verdict recorded in ``CASES``.
   Where that verdict is not "pass", the case says why and how a temporary copy is repaired; the
   repaired copy must then pass, which shows that the reason given is the only one.

pyx12 4.0.0 does not split repeating elements on the ISA11 repetition separator, so a repeated
EB03/EQ01 (``1^33^35``) is reported as one over-long, unknown code. That is pyx12's limitation,
not a fault of the file: before the "repaired" run every repetition is checked here against the
map's code list and then collapsed to its first value.
"""
from __future__ import annotations

import io
import logging
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from lxml import etree

import pyx12
import pyx12.map_if
import pyx12.params
import pyx12.x12n_document

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "schemas"
CORPUS = ROOT.parent / "shared" / "corpus"
PYX12_MAP = Path(pyx12.__file__).parent / "map"

IMPLEMENTATION = "005010X279A1"
X279_MAPS = {"HS": ("270", "270.5010.X279.A1.xml"), "HB": ("271", "271.5010.X279.A1.xml")}
XSD_BY_ROOT = {"transaction": "map.xsd", "data_elements": "dataele.xsd", "codesets": "codes.xsd"}


def _parse(path: Path) -> etree._ElementTree:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.parse(str(path), parser)


# --------------------------------------------------------------------------------------------
# 1. every schemas/*.xml against pyx12's XSDs
# --------------------------------------------------------------------------------------------
SCHEMA_FILES = sorted(SCHEMAS.glob("*.xml"))


def test_schemas_folder_holds_the_x279_maps():
    names = {p.name for p in SCHEMA_FILES}
    assert {name for _, name in X279_MAPS.values()} <= names


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_file_validates_against_pyx12_xsd(path: Path):
    doc = _parse(path)
    root = etree.QName(doc.getroot()).localname
    assert root in XSD_BY_ROOT, f"{path.name}: unknown kind of XML file (root <{root}>)"
    schema = etree.XMLSchema(_parse(PYX12_MAP / XSD_BY_ROOT[root]))
    assert schema.validate(doc), "\n".join(str(e) for e in schema.error_log)


@pytest.mark.parametrize("fic", sorted(X279_MAPS))
def test_x279_map_header_and_data_elements(fic: str):
    """Envelope codes route the map; every data_ele it names exists in pyx12's dictionary."""
    st01, name = X279_MAPS[fic]
    doc = _parse(SCHEMAS / name)
    assert doc.getroot().get("xid") == st01

    def codes(xid):
        return [c.text for c in doc.iterfind(f".//element[@xid='{xid}']/valid_codes/code")]

    assert codes("GS01") == [fic]
    assert codes("GS08") == [IMPLEMENTATION]
    assert codes("ISA12") == ["00501"]
    assert codes("ST01") == [st01]
    assert codes("ST03") == [IMPLEMENTATION]
    known = {e.get("ele_num") for e in _parse(PYX12_MAP / "dataele.xml").getroot()}
    used = {e.findtext("data_ele") for e in doc.iter("element")}
    assert used - known == set()
    # Every loop's and every segment's children are in position order: pyx12 walks by it.
    for parent in doc.iter("loop", "segment"):
        positions = [int(c.findtext("pos")) for c in parent if c.tag in ("loop", "segment")]
        assert positions == sorted(positions), parent.get("xid")


# --------------------------------------------------------------------------------------------
# 2. pyx12 with the X279A1 maps against the corpus
# --------------------------------------------------------------------------------------------
def _replace(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    def repair(data: bytes) -> bytes:
        assert old in data, old
        return data.replace(old, new)
    return repair


def _strip_bom(data: bytes) -> bytes:
    assert data.startswith(b"\xef\xbb\xbf")
    return data[3:]


def _strip_indentation(data: bytes) -> bytes:
    return re.sub(rb"(^|\n)[ \t]+", rb"\1", data)


def _gs01_hb(data: bytes) -> bytes:
    return _replace(b"GS*HS*", b"GS*HB*")(data)


class Case(NamedTuple):
    verdict: str                  # pyx12's verdict on the file as it is: pass / fail / crash
    first_error: str = ""         # text of the first message pyx12 reports
    why: str = ""                 # why the file does not pass (file fault or pyx12 limitation)
    repairs: tuple = ()           # applied to a temporary copy, which must then pass


REPEATS = ("pyx12 does not split repeated EB03 service types on the ISA11 repetition separator "
           "(a pyx12 limitation, not a file fault)")
HS_FOR_271 = ("file fault: GS01 is HS (the 270 group code) for a group of 271s; 271s go in an HB "
              "group, so pyx12 picks the 270 map and finds no ST*271")

# Every 005010X279A1 file (by GS08) that SOURCES.md marks as meant valid.
CASES: dict[str, Case] = {
    "270/lfhconnect__270-5010.x12": Case("pass"),
    "270/lfhx12__demo-single-line.270": Case("pass"),
    "270/lfhx12__demo.270": Case("pass"),
    "270/lfhx12__dependent-health-benefit-check.270": Case("pass"),
    "270/x12edikit__270_batch_multi.x12": Case("pass"),
    "270/x12edikit__270_custom_delimiters.x12": Case("pass"),
    "270/x12edikit__270_realtime_single.x12": Case("pass"),
    "271/edinet__x12.Issue88.edi": Case(
        "crash", "UnicodeDecodeError",
        "file fault: a UTF-8 byte-order mark precedes ISA (pyx12 reads ASCII); and its DMG02 "
        "birth date 10010101 is a redaction placeholder that pyx12 rejects (dates before 1800)",
        (_strip_bom, _replace(b"DMG*D8*10010101", b"DMG*D8*19010101"))),
    "271/lfhx12__demo.271": Case("fail", '"Service Type Code" (EB03) is too long', REPEATS),
    "271/lfhx12__dependent-health-benefit-check.271": Case(
        "fail", '"Service Type Code" (EB03) is too long', REPEATS),
    "271/lfhx12__subscriber-health-benefit-check-error.271": Case(
        "fail", "SE id=4323 does not match ST id=4321",
        "file fault: SE02 (4323) differs from ST02 (4321)",
        (_replace(b"SE*8*4323", b"SE*8*4321"),)),
    "271/nodex12__271.edi": Case(
        "fail", "Segment ST*271 not found",
        HS_FOR_271 + "; and the file ends after SE, without GE and IEA",
        (_gs01_hb, lambda d: d + b"GE*1*123456~\nIEA*1*000031033~\n")),
    "271/oopfactory__From_georgiosd.txt": Case(
        "crash", "UnicodeDecodeError",
        "file fault: a UTF-8 byte-order mark precedes ISA, and segments are indented with "
        "spaces (whitespace before a segment id is not X12 layout)",
        (_strip_bom, _strip_indentation)),
    "271/tigersharkz__271-example-3.txt": Case(
        "fail", '"Service Type Code" (EB03) is too long', REPEATS),
    "271/tigersharkz__5010-271-example-1.txt": Case(
        "fail", '"Service Type Code" (EB03) is too long',
        REPEATS + "; and file fault: SE01 says 74 segments, the set has 73",
        (_replace(b"SE|74|0001", b"SE|73|0001"),)),
    "271/x12edikit__271_active_response.x12": Case(
        "fail", "Segment ST*271 not found", HS_FOR_271, (_gs01_hb,)),
    "271/x12edikit__271_ls_le_wrapper.x12": Case(
        "fail", "Segment ST*271 not found",
        HS_FOR_271 + "; and LS/LE wraps a REF (X279A1 LS/LE only wraps loop 2120, which starts "
        "with NM1) and DTP follows LE (2110C DTP precedes LS). Repaired as the guide has it: "
        "REF and DTP in 2110C, no LS/LE",
        (_gs01_hb, _replace(b"LS*2120~\nREF*6P*PLAN123~\nLE*2120~\nDTP*291*D8*20260412~\n"
                            b"SE*16*0001~",
                            b"REF*6P*PLAN123~\nDTP*291*D8*20260412~\nSE*14*0001~"))),
    "271/x12edikit__271_multiple_eb_segments.x12": Case(
        "fail", "Segment ST*271 not found", HS_FOR_271, (_gs01_hb,)),
    "271/x12edikit__271_rejected_subscriber.x12": Case(
        "fail", "Segment ST*271 not found", HS_FOR_271, (_gs01_hb,)),
    "271/x12edikit__gainwell_271_redacted.edi": Case(
        "fail", "Segment ST*271 not found", HS_FOR_271 + " (153 sets)", (_gs01_hb,)),
}

# 005010X279A1 files the origin means to be broken: the first error pyx12 reports.
BROKEN = {
    "270/x12edikit__batch_with_one_bad_transaction.x12":
        "(9) is not a valid code for Entity Type Qualifier (NM102)",
}


def _sources_rows() -> dict[str, list[str]]:
    rows = {}
    for line in (CORPUS / "SOURCES.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        if len(cells) == 8 and re.match(r"^\w+/\S", cells[0]) and cells[0] != "corpus path":
            rows[cells[0]] = cells
    return rows


needs_corpus = pytest.mark.skipif(not (CORPUS / "SOURCES.md").is_file(),
                                  reason=f"corpus not found at {CORPUS}")


@needs_corpus
def test_cases_cover_every_x279_corpus_file():
    valid, broken = set(), set()
    for path, cells in _sources_rows().items():
        version, intent = cells[4], cells[5]
        if IMPLEMENTATION in re.split(r"[ /,]+", version):
            (broken if intent.startswith("BROKEN") else valid).add(path)
    assert valid == set(CASES)
    assert broken == set(BROKEN)


@pytest.fixture(scope="module")
def map_dir(tmp_path_factory) -> Iterator[Path]:
    """A copy of pyx12's map folder with the two X279A1 maps added and registered."""
    target = tmp_path_factory.mktemp("pyx12_maps") / "map"
    shutil.copytree(PYX12_MAP, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    index = _parse(target / "maps.xml")
    version = index.getroot().find("version[@icvn='00501']")
    for fic, (abbr, name) in X279_MAPS.items():
        assert version.find(f"map[@vriic='{IMPLEMENTATION}'][@fic='{fic}']") is None
        shutil.copy(SCHEMAS / name, target / name)
        entry = etree.SubElement(version, "map", vriic=IMPLEMENTATION, fic=fic, abbr=abbr)
        entry.text = name
    index.write(str(target / "maps.xml"), xml_declaration=True, encoding="UTF-8")
    assert etree.XMLSchema(_parse(target / "maps.xsd")).validate(_parse(target / "maps.xml"))
    # Parse each map once per module rather than once per file (pyx12 keeps no walk state in
    # its map objects; counts live in the walker).
    loaded: dict[tuple, object] = {}
    original = pyx12.map_if.load_map_file

    def load_map_file(map_file, param, map_path=None):
        key = (map_file, map_path)
        if key not in loaded:
            loaded[key] = original(map_file, param, map_path)
        return loaded[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pyx12.map_if, "load_map_file", load_map_file)
        yield target


class _Messages(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def pyx12_verdict(data: bytes, map_dir: Path, work: Path) -> tuple[str, list[str]]:
    """pass (no message at all) / fail / crash, and pyx12's messages."""
    source = work / "input.x12"
    source.write_bytes(data)
    param = pyx12.params.ParamsBase()
    param.set("map_path", str(map_dir))
    logger = logging.getLogger("pyx12")
    handler, level = _Messages(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    try:
        ok = pyx12.x12n_document.x12n_document(param=param, src_file=str(source),
                                               fd_997=io.StringIO(), fd_html=None,
                                               map_path=str(map_dir))
    except Exception as exc:  # pyx12 raises on undecodable input
        return "crash", [f"{type(exc).__name__}: {exc}", *handler.messages]
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    # pyx12 can return True while logging errors it could not attach to a segment.
    return ("pass" if ok and not handler.messages else "fail"), handler.messages


REPEATABLE = {b"EB": 3, b"EQ": 1}  # X279A1 elements that repeat (max 99)


def collapse_repetitions(data: bytes) -> tuple[bytes, dict[str, set[str]]]:
    """Keep the first repetition of EB03/EQ01; return the values of all repetitions seen."""
    isa = data[data.index(b"ISA"):][:106]
    ele, rep, term = isa[3:4], isa[82:83], isa[105:106]
    seen: dict[str, set[str]] = {}
    segments = data.split(term)
    for i, segment in enumerate(segments):
        body = segment.lstrip(b"\r\n")
        elements = body.split(ele)
        index = REPEATABLE.get(elements[0])
        if index is not None and index < len(elements) and rep in elements[index]:
            values = elements[index].split(rep)
            seen.setdefault("%s%02d" % (elements[0].decode(), index), set()).update(
                v.decode() for v in values)
            elements[index] = values[0]
            segments[i] = segment[:len(segment) - len(body)] + ele.join(elements)
    return term.join(segments), seen


def map_codes(st01: str, xid: str) -> set[str]:
    name = {abbr: name for abbr, name in X279_MAPS.values()}[st01]
    doc = _parse(SCHEMAS / name)
    return {c.text for c in doc.iterfind(f".//element[@xid='{xid}']/valid_codes/code")}


@needs_corpus
@pytest.mark.parametrize("corpus_id", sorted(CASES))
def test_x279_corpus_file_under_pyx12(corpus_id: str, map_dir: Path, tmp_path: Path):
    case = CASES[corpus_id]
    data = (CORPUS / corpus_id).read_bytes()

    verdict, messages = pyx12_verdict(data, map_dir, tmp_path)
    assert verdict == case.verdict, messages[:5]
    if case.verdict != "pass":
        assert case.why
        assert case.first_error in messages[0], messages[:3]

    for repair in case.repairs:
        data = repair(data)
    data, repeated = collapse_repetitions(data)
    if REPEATS in case.why:
        assert repeated
    for xid, values in repeated.items():
        assert values <= map_codes(corpus_id[:3], xid), (xid, values - map_codes(corpus_id[:3], xid))
    if case.verdict != "pass":
        verdict, messages = pyx12_verdict(data, map_dir, tmp_path)
        assert verdict == "pass", messages[:5]


@needs_corpus
@pytest.mark.parametrize("corpus_id", sorted(BROKEN))
def test_x279_broken_corpus_file_is_caught(corpus_id: str, map_dir: Path, tmp_path: Path):
    verdict, messages = pyx12_verdict((CORPUS / corpus_id).read_bytes(), map_dir, tmp_path)
    assert verdict == "fail"
    assert BROKEN[corpus_id] in messages[0], messages[:3]
