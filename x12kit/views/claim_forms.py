"""A claim laid out like its paper form: the boxes of the CMS-1500 (837P), the form locators
of the UB-04 (837I) and the fields of the ADA dental claim form (837D), numbered as on the
form, with the 837 values that fill them."""
from __future__ import annotations

from x12kit.models.claims import Claim, ServiceLine
from x12kit.views.text import address, box, identified, money, name, table, when, words

RELATIONSHIP_SELF = "18"  # SBR02 / PAT01: the patient is the subscriber


def claim_form(claim: Claim) -> list[str]:
    form = {"837I": ub04, "837D": ada}.get(claim.kind, cms1500)
    return form(claim)


def _patient(claim: Claim):
    """(party, birth date, gender) of the patient: 2000C, else the subscriber."""
    if claim.patient is not None:
        return claim.patient.party, claim.patient.birth_date, claim.patient.gender
    sub = claim.subscriber
    return (sub.party, sub.birth_date, sub.gender) if sub is not None else (None, None, "")


def _subscriber_lines(claim: Claim, numbers: dict[str, str]) -> list[str]:
    sub = claim.subscriber
    patient, born, gender = _patient(claim)
    relationship = claim.patient.relationship if claim.patient else RELATIONSHIP_SELF
    return [
        box(f"{numbers['insured_id']} Insured's ID number",
            sub.party.id if sub and sub.party else "-"),
        box(f"{numbers['patient']} Patient's name", name(patient)),
        box(f"{numbers['born']} Patient's birth date, sex", f"{when(born)} {gender}".strip()),
        box(f"{numbers['insured']} Insured's name", name(sub.party if sub else None)),
        box(f"{numbers['relationship']} Relationship to insured", relationship),
        box(f"{numbers['group']} Insured's group number", sub.group_number if sub else "-"),
        box(f"{numbers['payer']} Payer".strip(), identified(claim.payer)),
    ]


def _diagnoses(claim: Claim) -> list[str]:
    found = []
    for letter, code in zip("ABCDEFGHIJKL", claim.diagnoses):
        found.append(box(f"    {letter}", f"{words('icd10cm', code.code)} [{code.qualifier}]"))
    return found or [box("    -", "no diagnosis")]


def _modifiers(line: ServiceLine) -> str:
    return " ".join(line.procedure.modifiers) if line.procedure else ""


def cms1500(claim: Claim) -> list[str]:
    billing = claim.billing_provider
    rendering = claim.provider("82")
    out = [f"CMS-1500 claim {claim.pcn} ({claim.implementation})"]
    out += _subscriber_lines(claim, {"insured_id": "1a", "patient": "2", "born": "3",
                                     "insured": "4", "relationship": "6", "group": "11",
                                     "payer": ""})
    out.append(box("21 Diagnoses (ICD-10-CM)", ""))
    out += _diagnoses(claim)
    out.append(box("22 Frequency (resubmission)", words("claim_frequency", claim.frequency)))
    out.append(box("23 Prior authorization", claim.prior_authorization or "-"))
    out.append(box("24 Service lines", ""))
    out += table(((when(line.service_dates), line.place_of_service or claim.facility_code,
                   line.procedure.code if line.procedure else "-", _modifiers(line),
                   ",".join(map(str, line.diagnosis_pointers)) or "-", money(line.charge),
                   f"{line.units or '-'} {line.unit_type}".strip(), line.control_number or "-")
                  for line in claim.lines),
                 ("24A dates", "B POS", "D CPT/HCPCS", "modifiers", "E pointer",
                  "F charges", "G units", "line ctrl no."))
    out += [
        box("24B Place of service", words("place_of_service", claim.facility_code)),
        box("25 Federal tax ID", billing.tax_id if billing and billing.tax_id else "-"),
        box("26 Patient's account no.", claim.pcn),
        box("28 Total charge", money(claim.charge)),
        box("31 Rendering provider", identified(rendering.party) if rendering else "-"),
        box("33 Billing provider", identified(billing.party) if billing else "-"),
        box("33 Address", address(billing.party.address) if billing else "-"),
        box("33a NPI, taxonomy", f"{claim.billing_npi or '-'} {billing.taxonomy if billing else ''}"
            .strip()),
    ]
    return out


def ub04(claim: Claim) -> list[str]:
    billing = claim.billing_provider
    attending = claim.provider("71")
    statement = next((d.dates for d in claim.dates if d.qualifier == "434"), None)
    out = [f"UB-04 claim {claim.pcn} ({claim.implementation})",
           box("1 Billing provider", identified(billing.party) if billing else "-"),
           box("3a Patient control no.", claim.pcn),
           box("4 Type of bill", f"{claim.facility_code}{claim.frequency}"),
           box("  frequency", words("claim_frequency", claim.frequency)),
           box("5 Federal tax no.", billing.tax_id if billing and billing.tax_id else "-"),
           box("6 Statement period", when(statement))]
    out += _subscriber_lines(claim, {"insured_id": "60", "patient": "8", "born": "10-11",
                                     "insured": "58", "relationship": "59", "group": "62",
                                     "payer": "50"})
    out.append(box("42-47 Revenue lines", ""))
    out += table(((line.revenue_code or "-", line.procedure.code if line.procedure else "-",
                   _modifiers(line), when(line.service_dates),
                   f"{line.units or '-'} {line.unit_type}".strip(), money(line.charge))
                  for line in claim.lines),
                 ("42 rev.", "44 HCPCS", "modifiers", "45 date", "46 units", "47 charges"))
    out.append(box("47 Total charges", money(claim.charge)))
    out.append(box("56 NPI", claim.billing_npi or "-"))
    kinds = {"principal": "67", "other": "67A-Q", "admitting": "69", "reason_for_visit": "70",
             "external_cause": "72"}
    for code in claim.diagnoses:
        out.append(box(f"{kinds.get(code.kind, '67A-Q')} {code.kind.replace('_', ' ')}",
                       f"{words('icd10cm', code.code)}"
                       + (f" POA {code.present_on_admission}" if code.present_on_admission
                          else "")))
    for code in claim.procedures:
        out.append(box(f"74 {code.kind.replace('_', ' ')}",
                       f"{code.code} {when(code.dates)}".strip()))
    out.append(box("76 Attending", identified(attending.party) if attending else "-"))
    return out


def ada(claim: Claim) -> list[str]:
    billing = claim.billing_provider
    out = [f"ADA dental claim {claim.pcn} ({claim.implementation})"]
    out += _subscriber_lines(claim, {"insured_id": "15", "patient": "20", "born": "21",
                                     "insured": "12", "relationship": "18", "group": "16",
                                     "payer": "3"})
    out.append(box("24-31 Procedures", ""))
    out += table(((when(line.service_dates), " ".join(line.oral_cavity) or "-",
                   " ".join(t for t, _ in line.teeth) or "-",
                   " ".join("".join(s) for _, s in line.teeth) or "-",
                   line.procedure.code if line.procedure else "-", money(line.charge))
                  for line in claim.lines),
                 ("24 date", "25 area", "27 tooth", "28 surfaces", "29 code", "31 fee"))
    out += [box("33 Diagnosis pointers / codes",
                ", ".join(words("icd10cm", c.code) for c in claim.diagnoses) or "-"),
            box("32 Total fee", money(claim.charge)),
            box("48 Billing dentist", identified(billing.party) if billing else "-"),
            box("49 NPI", claim.billing_npi or "-"),
            box("Patient account no.", claim.pcn)]
    return out
