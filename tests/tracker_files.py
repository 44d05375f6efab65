"""Small 837P and 835 files for the tracker's scenarios, written from compact descriptions.

Each scenario needs claims and remittances that match (or, on purpose, do not); the
corpus has no such pairs, so these are made here. Dates, control numbers and payers are
explicit so that a file's content (and so its hash) is what the test says.
"""
from __future__ import annotations

from dataclasses import dataclass, field

NPI = "2718567292"          # a valid check digit (fixtures/claims-837p.x12's billing NPI)
PAYER = "87726"


@dataclass
class Line:
    charge: str
    procedure: str = "99213"
    control: str | None = None          # REF*6R
    date: str = "20241007"


@dataclass
class SentClaim:
    pcn: str
    lines: list[Line]
    frequency: str = "1"
    replaces: str | None = None         # REF*F8
    payer: str = PAYER

    @property
    def charge(self) -> str:
        return _sum(line.charge for line in self.lines)


@dataclass
class Paid:
    """A service payment: charge, paid, CAS triples (group, reason, amount)."""

    charge: str
    paid: str
    cas: list[tuple[str, str, str]] = field(default_factory=list)
    procedure: str = "99213"
    control: str | None = None
    date: str = "20241007"
    remarks: list[str] = field(default_factory=list)   # LQ*HE: RARCs


@dataclass
class Payment:
    pcn: str
    status: str
    charge: str
    paid: str
    icn: str
    lines: list[Paid] = field(default_factory=list)
    cas: list[tuple[str, str, str]] = field(default_factory=list)   # claim level
    patient_responsibility: str = ""
    frequency: str = "1"                # CLP09


def _sum(amounts) -> str:
    from decimal import Decimal
    return str(sum((Decimal(a) for a in amounts), Decimal(0)))


def _envelope(gs01: str, guide: str, date: str, control: int, body: list[str],
              st03: bool) -> bytes:
    st = f"ST*{'837' if gs01 == 'HC' else '835'}*0001" + (f"*{guide}" if st03 else "")
    segments = [st] + body
    segments.append(f"SE*{len(segments) + 1}*0001")
    isa = (f"ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *"
           f"{date[2:]}*0930*^*00501*{control:09d}*0*P*:")
    text = [isa, f"GS*{gs01}*SENDER*RECEIVER*{date}*0930*{control}*X*{guide}", *segments,
            f"GE*1*{control}", f"IEA*1*{control:09d}"]
    return ("~\n".join(text) + "~\n").encode()


def claims_file(claims: list[SentClaim], date: str = "20241105", control: int = 1) -> bytes:
    body = [f"BHT*0019*00*B{control}*{date}*0930*CH",
            "NM1*41*2*CLEARINGHOUSE*****46*SENDER", "PER*IC*EDI*TE*8005550199",
            "NM1*40*2*PAYER*****46*RECEIVER",
            "HL*1**20*1", f"NM1*85*2*CLINIC*****XX*{NPI}", "N3*1 MAIN ST",
            "N4*ALBANY*NY*12207", "REF*EI*915470271"]
    for n, claim in enumerate(claims, 2):
        body += [f"HL*{n}*1*22*0", "SBR*P*18*GRP1******CI",
                 f"NM1*IL*1*DOE*JANE****MI*M{n:08d}", "N3*2 OAK AVE", "N4*DAYTON*OH*45402",
                 "DMG*D8*19700101*F", f"NM1*PR*2*PAYER*****PI*{claim.payer}",
                 f"CLM*{claim.pcn}*{claim.charge}***11:B:{claim.frequency}*Y*A*Y*Y"]
        if claim.replaces:
            body.append(f"REF*F8*{claim.replaces}")
        body.append("HI*ABK:R519")
        for number, line in enumerate(claim.lines, 1):
            body += [f"LX*{number}", f"SV1*HC:{line.procedure}*{line.charge}*UN*1***1",
                     f"DTP*472*D8*{line.date}"]
            if line.control:
                body.append(f"REF*6R*{line.control}")
    return _envelope("HC", "005010X222A1", date, control, body, True)


def _cas(triples) -> list[str]:
    return [f"CAS*{group}*{reason}*{amount}" for group, reason, amount in triples]


def remittance_file(payments: list[Payment], date: str, control: int = 1,
                    payer: str = PAYER, plb: list[tuple[str, str, str]] = ()) -> bytes:
    """``plb``: (reason, reference, amount) provider-level adjustments."""
    from decimal import Decimal
    total = _sum([p.paid for p in payments] + [str(-Decimal(a)) for _r, _f, a in plb])
    body = [f"BPR*I*{total}*C*CHK************{date}", f"TRN*1*{control}*1{payer}",
            f"DTM*405*{date}", f"N1*PR*PAYER*XV*{payer}", "N3*PO BOX 1", "N4*COLUMBUS*OH*43215",
            "PER*BL*SERVICES*TE*8005550142", f"N1*PE*CLINIC*XX*{NPI}", "LX*1"]
    for p in payments:
        body.append(f"CLP*{p.pcn}*{p.status}*{p.charge}*{p.paid}*{p.patient_responsibility}"
                    f"*CI*{p.icn}*11*{p.frequency}")
        body += _cas(p.cas)
        body.append("NM1*QC*1*DOE*JANE")
        for line in p.lines:
            body += [f"SVC*HC:{line.procedure}*{line.charge}*{line.paid}**1",
                     f"DTM*472*{line.date}", *_cas(line.cas)]
            if line.control:
                body.append(f"REF*6R*{line.control}")
            body += [f"LQ*HE*{code}" for code in line.remarks]
    for reason, reference, amount in plb:
        body.append(f"PLB*{NPI}*20241231*{reason}:{reference}*{amount}")
    return _envelope("HP", "005010X221A1", date, control, body, False)


def _answer_envelope(gs01: str, st: str, guide: str, date: str, control: int,
                     body: list[str]) -> bytes:
    """An answer goes back: from RECEIVER to SENDER."""
    segments = [f"ST*{st}*0001*{guide}"] + body
    segments.append(f"SE*{len(segments) + 1}*0001")
    isa = (f"ISA*00*          *00*          *ZZ*RECEIVER       *ZZ*SENDER         *"
           f"{date[2:]}*0930*^*00501*{control:09d}*0*P*:")
    text = [isa, f"GS*{gs01}*RECEIVER*SENDER*{date}*0930*{control}*X*{guide}", *segments,
            f"GE*1*{control}", f"IEA*1*{control:09d}"]
    return ("~\n".join(text) + "~\n").encode()


def ack_999_file(group_control: int, status: str, date: str, control: int) -> bytes:
    """A 999 answering set 0001 of the 837 group ``group_control``: IK5 ``status``."""
    body = [f"AK1*HC*{group_control}*005010X222A1", "AK2*837*0001*005010X222A1"]
    if status == "R":
        body.append("IK3*NM1*17**8")
    body += [f"IK5*{status}" + ("*5" if status == "R" else ""),
             f"AK9*{status}*1*1*{0 if status == 'R' else 1}"]
    return _answer_envelope("FA", "999", "005010X231A1", date, control, body)


def claim_ack_file(answers: list[tuple[str, str, str | None]], date: str,
                   control: int) -> bytes:
    """A 277CA: (PCN, STC01 such as "A2:20" or "A7:562:85", REF*1K or None) per claim."""
    body = [f"BHT*0085*08*B{control}*{date}*0930*TH", "HL*1**20*1",
            f"NM1*PR*2*PAYER*****PI*{PAYER}", f"TRN*1*{control}", f"DTP*050*D8*{date}",
            f"DTP*009*D8*{date}", "HL*2*1*21*1", "NM1*41*2*CLINIC*****46*SENDER",
            f"TRN*2*B{control}", f"STC*A1:20*{date}*WQ", "HL*3*2*19*1",
            f"NM1*85*2*CLINIC*****XX*{NPI}"]
    for n, (pcn, stc, number) in enumerate(answers, 4):
        body += [f"HL*{n}*3*PT", "NM1*QC*1*DOE*JANE****MI*M1", f"TRN*2*{pcn}",
                 f"STC*{stc}*{date}*{'U' if stc.startswith(('A3', 'A4', 'A6', 'A7', 'A8')) else 'WQ'}"]
        if number:
            body.append(f"REF*1K*{number}")
        body.append("DTP*472*D8*20241007")
    return _answer_envelope("HN", "277", "005010X214", date, control, body)


def status_file(answers: list[tuple[str, str, str | None]], date: str, control: int) -> bytes:
    """A 277 status response: (PCN, STC01 such as "P1:20", REF*1K or None) per claim."""
    body = [f"BHT*0010*08*B{control}*{date}*0930*DG", "HL*1**20*1",
            f"NM1*PR*2*PAYER*****PI*{PAYER}", "HL*2*1*21*1", "NM1*41*2*CLINIC*****46*SENDER",
            "HL*3*2*19*1", f"NM1*1P*2*CLINIC*****XX*{NPI}"]
    for n, (pcn, stc, number) in enumerate(answers, 4):
        body += [f"HL*{n}*3*22*0", "NM1*IL*1*DOE*JANE****MI*M1", f"TRN*2*T{n}",
                 f"STC*{stc}*{date}"]
        if number:
            body.append(f"REF*1K*{number}")
        body += [f"REF*EJ*{pcn}", "DTP*472*D8*20241007"]
    return _answer_envelope("HN", "277", "005010X212", date, control, body)
