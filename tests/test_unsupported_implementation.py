"""A set whose guide x12kit has no schema for: named without its addenda suffix, it is checked
as the version HIPAA adopted (with a warning); with no schema at all, it is rejected with 999
IK5 I6 (implementation convention not supported) and ``x12kit validate`` exits 1."""
from __future__ import annotations

import io
from datetime import datetime

import pytest
from click.testing import CliRunner

from x12kit import Severity, write_segments
from x12kit.acks.ack999 import ack_999
from x12kit.cli import main
from x12kit.schema.registry import ADOPTED, default_registry
from x12kit.validate.pipeline import ACCEPTED, REJECTED, WITH_ERRORS, validate

ISA = ("ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *240101*1200*^*"
       "00501*000000001*0*T*:~")
CLAIM = ("BHT*0019*00*1*20240101*1200*CH~"
         "NM1*41*2*SUBMITTER*****46*S1~PER*IC*CONTACT*TE*5555555555~NM1*40*2*RECEIVER*****46*R1~"
         "HL*1**20*1~NM1*85*2*CLINIC*****XX*1234567893~N3*1 MAIN ST~N4*TOWN*MD*207051234~"
         "REF*EI*123456789~"
         "HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*DOE*JANE****MI*M1~NM1*PR*2*PAYER*****PI*P1~"
         "CLM*PCN1*100***11:B:1*Y*A*Y*Y~HI*ABK:E119~"
         "LX*1~SV1*HC:99213*60*UN*1***1~DTP*472*D8*20240102~"
         "LX*2~SV1*HC:81002*40*UN*1***1~DTP*472*D8*20240102~")


def interchange(gs08: str, st03: str) -> bytes:
    st = f"ST*837*0001*{st03}~" if st03 else "ST*837*0001~"
    return (f"{ISA}GS*HC*SUBMITTER*RECEIVER*20240101*1200*1*X*{gs08}~{st}{CLAIM}SE*23*0001~"
            "GE*1*1~IEA*1*000000001~").encode()


def only_set(data: bytes):
    [report] = validate(data)
    [found] = report.sets
    return report, found


def the_999(report) -> str:
    out = io.BytesIO()
    write_segments(ack_999(report, datetime(2024, 1, 1, 12, 0)), out, layout="lines")
    return out.getvalue().decode()


def test_the_claim_is_clean_under_its_full_guide_name():
    _, found = only_set(interchange("005010X222A1", "005010X222A1"))
    assert found.status == ACCEPTED and found.schema == "837:005010X222A1"


@pytest.mark.parametrize("gs08, st03", [("005010X222", "005010X222"), ("005010X222", "")])
def test_a_guide_without_addenda_is_checked_as_the_adopted_one(gs08, st03):
    report, found = only_set(interchange(gs08, st03))
    assert found.schema == "837:005010X222A1"
    assert [(d.code, d.severity) for d in found.diagnostics] == [
        ("implementation-assumed", Severity.WARNING)]
    assert "005010X222A1" in found.diagnostics[0].message
    assert found.status == WITH_ERRORS and report.accepted
    assert "IK5*E~" in the_999(report)


def test_the_assumed_guide_still_finds_the_faults_of_the_body():
    broken = interchange("005010X222", "005010X222").replace(b"CLM*PCN1*100", b"CLM*PCN1*99")
    _, found = only_set(broken)
    assert found.status == REJECTED
    assert {d.code for d in found.diagnostics} == {"implementation-assumed",
                                                   "claim-charge-unbalanced"}


def test_a_4010_set_in_a_5010_interchange_is_rejected_as_not_supported():
    report, found = only_set(interchange("004010X098A1", ""))
    [finding] = found.diagnostics
    assert (finding.code, finding.severity, finding.ack_code) == ("schema-unknown",
                                                                  Severity.ERROR, "I6")
    assert "837" in finding.message and "004010X098A1" in finding.message
    assert found.status == REJECTED and found.schema == ""
    ack = the_999(report)
    assert "IK5*R*I6~" in ack and "AK9*R*1*1*0~" in ack
    assert [s.status for r in validate(ack.encode()) for s in r.sets] == [ACCEPTED]


def test_validate_exits_1_for_an_unsupported_implementation(tmp_path):
    path = tmp_path / "claim-4010.x12"
    path.write_bytes(interchange("004010X098A1", ""))
    result = CliRunner().invoke(main, ["validate", str(path)], catch_exceptions=False)
    assert result.exit_code == 1
    assert "schema-unknown" in result.output


def test_validate_exits_0_for_an_assumed_guide(tmp_path):
    path = tmp_path / "claim-x222.x12"
    path.write_bytes(interchange("005010X222", "005010X222"))
    result = CliRunner().invoke(main, ["validate", str(path)], catch_exceptions=False)
    assert result.exit_code == 0
    assert "implementation-assumed" in result.output


def test_the_registry_resolves_base_ids_only_to_registered_adopted_guides():
    registry = default_registry()
    resolve = registry.resolve
    for base, adopted in ADOPTED.items():
        for key in (k for k in registry.keys() if k.endswith(f":{adopted}")):
            st01 = key.split(":")[0]
            exact = f"{st01}:{base}" in registry.entries()
            schema, assumed = resolve(st01, base)
            assert (schema.key, assumed) == ((f"{st01}:{base}", False) if exact else (key, True))
    assert resolve("837", "005010X222", "005010X222A1")[1] is False  # GS08 names it fully
    assert resolve("835", "", "005010X221")[0].key == "835:005010X221A1"  # no ST03
    assert resolve("270", "005010X222") == (None, False)  # X222A1 is no 270 guide
    assert resolve("837", "004010X098A1") == (None, False)
    assert resolve("837", "005010") == (None, False)
