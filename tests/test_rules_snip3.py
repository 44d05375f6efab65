"""SNIP 3 balancing rules (x12kit.validate.rules), inline sets valid and broken; the real
corpus (no exception; files meant valid balance or are pinned in rules_disagreements.json);
the bench generator's files (no finding at any level). The helpers here serve the SNIP 4 and
5 tests too."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.generate import generate_835, generate_837p
from tests.conftest import CORPUS, corpus_id, sources_table
from x12kit import Level, Severity, read_segments
from x12kit.walk import walk_stream
from x12kit.schema import find_schema
from x12kit.validate.rules import RULES, RuleFeed, kind_of, rules_for

ISA = ("ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240105*1200*^*"
       "00501*000000001*0*T*:~")
GUIDES = {"837P": ("HC", "005010X222A1", "837"), "837I": ("HC", "005010X223A2", "837"),
          "837D": ("HC", "005010X224A2", "837"), "835": ("HP", "005010X221A1", "835"),
          "270": ("HS", "005010X279A1", "270"), "271": ("HB", "005010X279A1", "271")}

# One professional claim: billing provider, subscriber who is the patient, two lines (60 + 40).
P837 = """
BHT*0019*00*B1*20240105*1200*CH~
NM1*41*2*CLEARINGHOUSE*****46*CH01~
PER*IC*EDI*TE*8005550199~
NM1*40*2*PAYER*****46*87726~
HL*1**20*1~
NM1*85*2*CLINIC*****XX*1234567893~
N3*1 MAIN ST~
N4*ALBANY*NY*122076231~
REF*EI*915470271~
HL*2*1*22*0~
SBR*P*18*GRP1******CI~
NM1*IL*1*DOE*JANE****MI*X123~
N3*2 ELM ST~
N4*PHOENIX*AZ*85004~
DMG*D8*19740612*F~
NM1*PR*2*PAYER*****PI*87726~
CLM*PCN1*100***11:B:1*Y*A*Y*Y~
HI*ABK:E119*ABF:I10~
LX*1~
SV1*HC:99213*60*UN*1***1:2~
DTP*472*D8*20240102~
LX*2~
SV1*HC:36415*40*UN*1***1~
DTP*472*D8*20240102~
"""
I837 = """
BHT*0019*00*B1*20240105*1200*CH~
NM1*41*2*CLEARINGHOUSE*****46*CH01~
PER*IC*EDI*TE*8005550199~
NM1*40*2*PAYER*****46*87726~
HL*1**20*1~
NM1*85*2*HOSPITAL*****XX*1234567893~
N3*1 MAIN ST~
N4*ALBANY*NY*122076231~
REF*EI*915470271~
HL*2*1*22*0~
SBR*P*18*GRP1******CI~
NM1*IL*1*DOE*JANE****MI*X123~
NM1*PR*2*PAYER*****PI*87726~
CLM*PCN1*100***13:A:1**A*Y*Y~
DTP*434*RD8*20240101-20240102~
CL1*1*1*01~
HI*ABK:E119~
NM1*71*1*DOC*ANN****XX*1234567893~
LX*1~
SV2*0300*HC:80053*60*UN*1~
DTP*472*D8*20240102~
LX*2~
SV2*0450*HC:99283*40*UN*1~
DTP*472*D8*20240102~
"""
D837 = (P837.replace("SV1*HC:99213*60*UN*1***1:2~", "SV3*AD:D0120*60****1*****1:2~")
        .replace("SV1*HC:36415*40*UN*1***1~", "SV3*AD:D1110*40****1~"))
# The same claim sent to a second payer: the first paid 70, adjusted 10 at the claim and
# 15 + 5 on the lines: CLM02 100 = 70 + 10 + 20, and AMT02 70 = (45 + 35) - 10.
COB837 = (P837.replace("HI*ABK:E119*ABF:I10~", """HI*ABK:E119*ABF:I10~
SBR*S*18*******CI~
CAS*PR*1*10~
AMT*D*70~
OI***Y*P**Y~
NM1*IL*1*DOE*JANE****MI*X123~
NM1*PR*2*OTHER PAYER*****PI*999996666~""")
          .replace("SV1*HC:99213*60*UN*1***1:2~\nDTP*472*D8*20240102~",
                   """SV1*HC:99213*60*UN*1***1:2~
DTP*472*D8*20240102~
SVD*999996666*45*HC:99213**1~
CAS*CO*45*15~
DTP*573*D8*20240104~""")
          .replace("SV1*HC:36415*40*UN*1***1~\nDTP*472*D8*20240102~", """SV1*HC:36415*40*UN*1***1~
DTP*472*D8*20240102~
SVD*999996666*35*HC:36415**1~
CAS*CO*45*5~
DTP*573*D8*20240104~"""))
# One remittance: claim 100 charged, 70 paid, 20 patient responsibility; lines 60/40.
R835 = """
BPR*I*70*C*CHK************20240110~
TRN*1*CHK1001*1512345678~
DTM*405*20240110~
N1*PR*PAYER~
N3*1 PAYER WAY~
N4*ALBANY*NY*12207~
PER*BL*EDI*TE*8005550199~
N1*PE*CLINIC*XX*1234567893~
LX*1~
CLP*PCN1*1*100*70*20*12*ICN1~
NM1*QC*1*DOE*JANE~
SVC*HC:99213*60*40~
CAS*CO*45*10~
CAS*PR*2*10~
SVC*HC:36415*40*30~
CAS*CO*45*10~
"""


def interchange(body: str, transaction: str) -> bytes:
    """ISA/GS/ST + body + SE/GE/IEA, counts right; the 835 goes without ST03 as real ones do."""
    gs01, gs08, st01 = GUIDES[transaction]
    segments = [s.strip() for s in body.strip().split("~") if s.strip()]
    st03 = "" if st01 == "835" else f"*{gs08}"
    return (f"{ISA}GS*{gs01}*SENDER01*RECEIVER01*20240105*1200*1*X*{gs08}~ST*{st01}*0001{st03}~"
            + "~".join(segments) + f"~SE*{len(segments) + 2}*0001~GE*1*1~IEA*1*000000001~"
            ).encode()


def check_stream(segments, max_snip: int = 5) -> list:
    """Every finding of the rules over the sets of one stream, each set with the rules of the
    schema its ST (or GS08) names, as a pipeline would; a set without a schema gets none."""
    found, feed, gs08 = [], None, ""
    for placed in walk_stream(segments):
        seg = placed.segment
        sid = seg.elements[0]
        if sid == "GS":
            gs08 = seg.element(8)
        elif sid == "ST":
            schema = find_schema(seg.element(1), seg.element(3), gs08)
            feed = RuleFeed(rules_for(schema.key, max_snip), schema) if schema else None
        if feed is not None:
            found.extend(feed.segment(placed))
            if sid == "SE":
                found.extend(feed.finish())
                feed = None
    if feed is not None:
        found.extend(feed.finish())
    return found


def check(body: str, transaction: str, snip: int | None = None) -> list:
    found = check_stream(read_segments(interchange(body, transaction)))
    return [d for d in found if snip is None or d.snip == snip]


def where(findings) -> list[tuple]:
    """(code, element_ref, loop_id, set_position) of each finding, in order."""
    return [(d.code, d.element_ref, d.loop_id, d.set_position) for d in findings]


# -- the interface -------------------------------------------------------------------------------
def test_rules_for_gives_fresh_rules_per_level():
    first, second = rules_for("837P", 5), rules_for("837P", 5)
    assert [r.snip for r in first] == [3, 4, 5]
    assert all(a is not b for a, b in zip(first, second))
    assert [r.snip for r in rules_for("835", 3)] == [3]
    assert rules_for("999", 5) == [] and rules_for("nope", 5) == []
    assert set(RULES) >= {"837P", "837I", "837D", "835", "270", "271", "276", "277", "277CA"}
    assert [kind_of(k) for k in ("837:005010X222A2", "837:005010X223A3", "277:005010X214",
                                 "277:005010X212", "271:005010X279A1", "835")] == [
        "837P", "837I", "277CA", "277", "271", "835"]


def test_clean_sets_have_no_findings():
    for body, kind in ((P837, "837P"), (I837, "837I"), (D837, "837D"), (COB837, "837P"),
                       (R835, "835")):
        assert check(body, kind) == [], kind


# -- 837 ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("body,kind,line", [
    (P837, "837P", "SV1*HC:36415*40*"), (I837, "837I", "SV2*0450*HC:99283*40*"),
    (D837, "837D", "SV3*AD:D1110*40*")])
def test_claim_charge_must_equal_the_lines(body, kind, line):
    broken = body.replace(line, line.replace("40*", "40.01*"))
    found = check(broken, kind, snip=3)
    clm = 18 if kind != "837I" else 15
    assert where(found) == [("claim-charge-unbalanced", "CLM02", "2300", clm)]
    d = found[0]
    assert (d.severity, d.level, d.ack_code, d.segment_id, d.value) == (
        Severity.ERROR, Level.ELEMENT, "I12", "CLM", "100")
    assert "100" not in d.message  # values stay out of messages


def test_claim_balance_is_exact_in_cents():
    body = (P837.replace("CLM*PCN1*100*", "CLM*PCN1*0.3*").replace("*60*UN", "*0.1*UN")
            .replace("*40*UN", "*0.2*UN"))
    assert check(body, "837P", snip=3) == []  # 0.1 + 0.2 == 0.3 in Decimal, not in float


def test_each_claim_is_closed_by_the_next_level():
    second = """
HL*3*1*22*0~
SBR*P*18*GRP1******CI~
NM1*IL*1*ROE*JOHN****MI*X124~
NM1*PR*2*PAYER*****PI*87726~
CLM*PCN2*99***11:B:1*Y*A*Y*Y~
HI*ABK:E119~
LX*1~
SV1*HC:99213*60*UN*1***1~
DTP*472*D8*20240102~
LX*2~
SV1*HC:36415*40*UN*1***1~
DTP*472*D8*20240102~
"""
    found = check(P837 + second, "837P", snip=3)
    assert [(d.code, d.value, d.set_position) for d in found] == [
        ("claim-charge-unbalanced", "99", 30)]


def test_cob_claim_balance():
    assert check(COB837, "837P", snip=3) == []
    found = check(COB837.replace("AMT*D*70", "AMT*D*75"), "837P", snip=3)
    assert where(found) == [("cob-claim-unbalanced", "AMT02", "2320", 22),
                            ("cob-payer-paid-unbalanced", "AMT02", "2320", 22)]


def test_cob_line_adjustments_count_for_the_claim_total():
    found = check(COB837.replace("CAS*CO*45*5~", "CAS*CO*45*6~"), "837P", snip=3)
    assert where(found) == [("cob-claim-unbalanced", "AMT02", "2320", 22)]


def test_cob_is_not_judged_when_lines_name_an_unknown_payer():
    assert check(COB837.replace("SVD*999996666*35", "SVD*123*35"), "837P", snip=3) == []


# -- 835 ------------------------------------------------------------------------------------------
def test_service_line_balance():
    found = check(R835.replace("CAS*CO*45*10~\nCAS*PR", "CAS*CO*45*11~\nCAS*PR"), "835", snip=3)
    assert where(found) == [("service-line-unbalanced", "SVC03", "2110", 13),
                            ("claim-payment-unbalanced", "CLP04", "2100", 11)]


def test_claim_balance_counts_claim_level_adjustments():
    body = R835.replace("NM1*QC*1*DOE*JANE~", "CAS*OA*23*5~\nNM1*QC*1*DOE*JANE~")
    found = check(body, "835", snip=3)
    assert where(found) == [("claim-payment-unbalanced", "CLP04", "2100", 11)]
    assert found[0].value == "70"


def test_transaction_balance_with_provider_adjustments():
    assert where(check(R835.replace("BPR*I*70", "BPR*I*65"), "835", snip=3)) == [
        ("transaction-payment-unbalanced", "BPR02", "HEADER", 2)]
    # a positive PLB amount (an overpayment recovery) reduces the payment
    plb = R835.replace("BPR*I*70", "BPR*I*65") + "PLB*1234567893*20241231*WO:ICN0*5~"
    assert check(plb, "835", snip=3) == []


def test_reversal_balances_with_negative_amounts():
    reversal = """
LX*2~
CLP*PCN0*22*-100*-70*-20*12*ICN0~
NM1*QC*1*DOE*JANE~
SVC*HC:99213*-100*-70~
CAS*CO*45*-10~
CAS*PR*2*-20~
"""
    body = R835.replace("BPR*I*70", "BPR*H*0").replace("*CHK*", "*NON*") + reversal
    assert check(body, "835", snip=3) == []


def test_cents_not_floats_in_the_835():
    body = (R835.replace("SVC*HC:99213*60*40~\nCAS*CO*45*10~\nCAS*PR*2*10~",
                         "SVC*HC:99213*60*40~\nCAS*CO*45*19.9~\nCAS*PR*2*0.1~"))
    assert check(body, "835", snip=3) == []


def test_unreadable_amounts_are_not_judged():
    assert check(R835.replace("CAS*CO*45*10~\nCAS*PR", "CAS*CO*45*X~\nCAS*PR"), "835",
                 snip=3) == []


# -- the corpus -----------------------------------------------------------------------------------
SOURCES = sources_table() if (CORPUS / "SOURCES.md").is_file() else {}
KINDS = ("837P", "837I", "837D", "835")
FILES_5010 = sorted(k for k, r in SOURCES.items() if k.split("/")[0] in KINDS
                    and r["version"].startswith("00501 / 005010"))
DISAGREEMENTS = json.loads(
    (Path(__file__).parent / "data" / "rules_disagreements.json").read_text(encoding="utf-8"))


def corpus_findings(name: str) -> list:
    return check_stream(read_segments(CORPUS / name))


def snip3_signature(found) -> list[str]:
    return sorted({f"{d.code} {d.element_ref} {d.loop_id}" for d in found
                   if d.snip == 3 and d.is_error})


OTHER_5010 = sorted(k for k, r in SOURCES.items() if k.split("/")[0] not in KINDS
                    and r["version"].startswith("00501 / 005010"))


def test_corpus_is_there():
    assert len(FILES_5010) >= 80 and len(OTHER_5010) >= 40


@pytest.mark.parametrize("name", OTHER_5010)
def test_other_corpus_files_run_every_rule(name):
    """270/271, 276/277, 277CA, 999 and mixed files: the rules run without exception."""
    assert all(d.snip in (4, 5) and d.code for d in corpus_findings(name))


@pytest.mark.parametrize("name", FILES_5010)
def test_corpus_file_runs_every_rule(name):
    found = corpus_findings(name)
    assert all(d.snip in (3, 4, 5) and d.code and d.message for d in found)
    if SOURCES[name]["intent"].startswith("valid"):
        pinned = DISAGREEMENTS["files"].get(name, {}).get("snip3", [])
        assert snip3_signature(found) == pinned, corpus_id(CORPUS / name)


def test_disagreements_name_real_files_and_reasons():
    for name, entry in DISAGREEMENTS["files"].items():
        assert name in FILES_5010 and entry["reason"] in DISAGREEMENTS["reasons"]
        assert entry["notes"] and entry["snip3"]


# -- the bench generator --------------------------------------------------------------------------
@pytest.mark.parametrize("kind,generate", [("837P", generate_837p), ("835", generate_835)])
def test_generated_files_have_no_findings(kind, generate):
    data = b"".join(generate(200))
    assert check_stream(read_segments(data)) == []
