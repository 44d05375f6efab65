"""The analysts' tables and their columns, each described once: ``TABLE_SCHEMAS``, Arrow
schemas with a description on every table and field (``schemas/parquet-tables.md`` is made
from them by ``python -m x12kit.convert.tables_doc``). The rows are built by
``x12kit.convert.tables``.
"""
from __future__ import annotations

import pyarrow as pa

MONEY = pa.decimal128(18, 2)
QUANTITY = pa.decimal128(18, 4)
CODES = pa.list_(pa.string())

Column = tuple[str, pa.DataType, str]  # name, type, description


def _schema(description: str, columns: list[Column]) -> pa.Schema:
    fields = [pa.field(name, kind, metadata={"description": text})
              for name, kind, text in columns]
    return pa.schema(fields, metadata={"description": description})


PROVENANCE: list[Column] = [
    ("source", pa.string(), "The input file's name, as given to the converter."),
    ("interchange_control", pa.string(), "ISA13: the interchange control number."),
    ("group_control", pa.string(), "GS06: the functional group control number."),
    ("set_control", pa.string(), "ST02: the transaction set control number."),
    ("set_offset", pa.int64(), "Byte offset of the set's ST segment in the file: with "
                               "`source`, identifies the set."),
]
CLAIM_ID: Column = ("claim_id", pa.string(),
                    "The claim's key: `source@set_offset#claim_ordinal`.")
CLAIM_PAYMENT_ID: Column = ("claim_payment_id", pa.string(), "The claim payment's key: "
                            "`source@set_offset#claim_payment_ordinal`.")
SERVICE_PAYMENT_ID: Column = ("service_payment_id", pa.string(), "The service payment's key: "
                              "`claim_payment_id/service_ordinal`.")


def _dates(prefix: str, what: str) -> list[Column]:
    return [(f"{prefix}_start", pa.date32(), f"First day of {what}."),
            (f"{prefix}_end", pa.date32(), "Last day of the same (the first day again, for "
                                           "one day).")]


def _procedure(where: str) -> list[Column]:
    return [("procedure_qualifier", pa.string(), f"{where}, component 1: HC (CPT/HCPCS), AD "
                                                 "(CDT), NU (revenue), N4 (NDC) ..."),
            ("procedure_code", pa.string(), f"{where}, component 2: the procedure code."),
            ("modifiers", CODES, f"{where}, components 3-6: the modifiers, in order.")]


TABLE_SCHEMAS: dict[str, pa.Schema] = {
    "claims": _schema("One row per claim (837P/I/D loop 2300).", PROVENANCE + [
        CLAIM_ID,
        ("claim_ordinal", pa.int32(), "The claim's place among the claims of its set, from 1."),
        ("kind", pa.string(), "837P, 837I or 837D."),
        ("implementation", pa.string(), "ST03 (else GS08): the guide, e.g. 005010X222A1."),
        ("pcn", pa.string(), "CLM01: the patient control number."),
        ("charge", MONEY, "CLM02: total claim charge."),
        ("facility_code", pa.string(), "CLM05-1: place of service (837P/D) or facility type "
                                       "(837I)."),
        ("facility_qualifier", pa.string(), "CLM05-2: B place of service, A facility type."),
        ("frequency", pa.string(), "CLM05-3: 1 original, 7 replacement, 8 void."),
        ("assignment", pa.string(), "CLM07: provider accepts assignment."),
        ("benefits_assigned", pa.string(), "CLM08: benefits assignment certification."),
        ("release_of_information", pa.string(), "CLM09: release of information code."),
        ("prior_authorization", pa.string(), "REF*G1: prior authorization number."),
        ("referral_number", pa.string(), "REF*9F: referral number."),
        ("payer_claim_number", pa.string(), "REF*F8: the payer's number of the claim this "
                                            "one replaces or voids."),
        ("medical_record_number", pa.string(), "REF*EA: medical record number."),
        *_dates("service", "service: DTP*434 statement dates, else the span of the lines' "
                           "service dates"),
        ("billing_npi", pa.string(), "2010AA NM109 where NM108 is XX: billing provider NPI."),
        ("billing_tax_id", pa.string(), "2010AA REF*EI (else REF*SY): billing provider tax id."),
        ("billing_taxonomy", pa.string(), "2000A PRV03: billing provider taxonomy."),
        ("billing_name", pa.string(), "2010AA NM103: billing provider's (last) name."),
        ("rendering_npi", pa.string(), "2310x NM1*82 NM109 (XX): the claim's rendering provider."),
        ("referring_npi", pa.string(), "2310x NM1*DN NM109 (XX): the referring provider."),
        ("attending_npi", pa.string(), "2310x NM1*71 NM109 (XX; 837I): the attending provider."),
        ("payer_responsibility", pa.string(), "SBR01: P primary, S secondary, T tertiary ..."),
        ("claim_filing_indicator", pa.string(), "SBR09: MB Medicare B, MC Medicaid, CI "
                                                "commercial ..."),
        ("group_number", pa.string(), "SBR03: the insured's group or policy number."),
        ("payer_id", pa.string(), "2010BB NM109: the payer's id."),
        ("payer_name", pa.string(), "2010BB NM103: the payer's name."),
        ("subscriber_id", pa.string(), "2010BA NM109: the subscriber's member id (PHI)."),
        ("patient_relationship", pa.string(), "SBR02 (18 self), or PAT01 where the patient "
                                              "is not the subscriber."),
        ("patient_birth_date", pa.date32(), "DMG02 of the patient (PHI)."),
        ("patient_gender", pa.string(), "DMG03 of the patient: F, M or U."),
        ("principal_diagnosis", pa.string(), "The principal diagnosis code (HI ABK/BK), "
                                             "without its dot."),
        ("diagnosis_count", pa.int32(), "Rows of this claim in `diagnoses`."),
        ("line_count", pa.int32(), "Rows of this claim in `service_lines`."),
        ("transaction_reference", pa.string(), "BHT03: the submitter's batch reference."),
        ("transaction_date", pa.date32(), "BHT04: the day the claims were created."),
    ]),
    "service_lines": _schema("One row per service line of a claim (837 loop 2400).",
                             PROVENANCE + [
        CLAIM_ID,
        ("line_ordinal", pa.int32(), "The line's place in its claim, from 1."),
        ("line_number", pa.string(), "LX01: the line number the file gives."),
        *_procedure("SV101 / SV202 / SV301"),
        ("revenue_code", pa.string(), "SV201 (837I): the revenue code."),
        ("charge", MONEY, "SV102 / SV203 / SV302: line charge."),
        ("unit_type", pa.string(), "SV103 / SV204: UN units, MJ minutes, DA days."),
        ("units", QUANTITY, "SV104 / SV205 / SV306: service units."),
        ("place_of_service", pa.string(), "SV105 / SV303: where it differs from CLM05-1."),
        ("diagnosis_pointers", pa.list_(pa.int16()), "SV107 / SV311: 1-based positions of "
                                                     "the claim's diagnoses "
                                                     "(`diagnoses.diagnosis_ordinal`)."),
        *_dates("service", "service (DTP*472)"),
        ("control_number", pa.string(), "REF*6R: the line item control number."),
        ("ndc", pa.string(), "2410 LIN03 where LIN02 is N4: the drug's NDC."),
        ("drug_quantity", QUANTITY, "2410 CTP04: the drug quantity."),
        ("drug_unit", pa.string(), "2410 CTP05-1: the drug's unit (UN, ML, GR ...)."),
        ("rendering_npi", pa.string(), "2420x NM1*82 NM109 (XX): the line's rendering provider."),
    ]),
    "diagnoses": _schema("One row per diagnosis code of a claim (HI), the principal first; "
                         "procedure, condition and value codes are not diagnoses.",
                         PROVENANCE + [
        CLAIM_ID,
        ("diagnosis_ordinal", pa.int32(), "The code's place among the claim's diagnoses, from "
                                          "1: what service lines' pointers count."),
        ("kind", pa.string(), "principal, other, admitting, reason_for_visit or "
                              "external_cause."),
        ("qualifier", pa.string(), "HI0n-1: ABK, ABF, ABJ, APR, ABN (ICD-10-CM); BK ... "
                                   "(ICD-9)."),
        ("code", pa.string(), "HI0n-2: the diagnosis code, without its dot."),
        ("present_on_admission", pa.string(), "HI0n-9 (837I): Y, N, U, W or empty."),
    ]),
    "claim_payments": _schema("One row per claim payment (835 loop 2100).", PROVENANCE + [
        CLAIM_PAYMENT_ID,
        ("claim_payment_ordinal", pa.int32(), "The claim payment's place in its set, from 1."),
        ("pcn", pa.string(), "CLP01: the provider's patient control number (joins `claims.pcn`)."),
        ("status", pa.string(), "CLP02: 1 primary, 2 secondary, 3 tertiary, 4 denied, "
                                "22 reversal ..."),
        ("charge", MONEY, "CLP03: total claim charge."),
        ("paid", MONEY, "CLP04: claim payment amount."),
        ("patient_responsibility", MONEY, "CLP05: patient responsibility."),
        ("filing_indicator", pa.string(), "CLP06: claim filing indicator."),
        ("payer_claim_number", pa.string(), "CLP07: the payer's claim control number (ICN)."),
        ("facility_code", pa.string(), "CLP08: facility type or place of service."),
        ("frequency", pa.string(), "CLP09: claim frequency code."),
        ("drg", pa.string(), "CLP11: diagnosis related group code."),
        *_dates("statement", "the claim's statement period (DTM*232 / DTM*233)"),
        ("received_date", pa.date32(), "DTM*050: the day the payer received the claim."),
        ("patient_id", pa.string(), "NM1*QC NM109: the patient's id (PHI)."),
        ("insured_id", pa.string(), "NM1*IL NM109: the insured's member id (PHI)."),
        ("rendering_npi", pa.string(), "NM1*82 NM109 where NM108 is XX."),
        ("remark_codes", CODES, "MOA03-07: the claim's remark codes (RARC)."),
        ("service_count", pa.int32(), "Rows of this claim payment in `service_payments`."),
        ("payer_id", pa.string(), "1000A N104: the payer's id."),
        ("payer_name", pa.string(), "1000A N102: the payer's name."),
        ("payee_id_qualifier", pa.string(), "1000B N103: XX NPI, FI tax id ..."),
        ("payee_id", pa.string(), "1000B N104: the payee's id."),
        ("trace_number", pa.string(), "TRN02: the check or EFT trace number of the payment."),
        ("payment_method", pa.string(), "BPR04: ACH, CHK, NON, BOP, FWT."),
        ("payment_date", pa.date32(), "BPR16: check issue or EFT effective date."),
    ]),
    "adjustments": _schema("One row per CAS adjustment (group, reason, amount) of an 835 "
                           "claim payment: claim level (loop 2100) and service level (2110).",
                           PROVENANCE + [
        CLAIM_PAYMENT_ID,
        ("service_payment_id", pa.string(), "The service payment's key at service level; "
                                            "null at claim level."),
        ("level", pa.string(), "claim (2100 CAS) or service (2110 CAS)."),
        ("adjustment_ordinal", pa.int32(), "The adjustment's place among its claim payment's, "
                                           "claim level first, from 1."),
        ("group_code", pa.string(), "CAS01: CO contractual, PR patient responsibility, OA "
                                    "other, PI payer initiated, CR correction."),
        ("reason_code", pa.string(), "CAS02/05/...: the claim adjustment reason code (CARC)."),
        ("amount", MONEY, "CAS03/06/...: the adjusted amount."),
        ("quantity", QUANTITY, "CAS04/07/...: the adjusted quantity."),
    ]),
    "service_payments": _schema("One row per service line of a claim payment (835 loop "
                                "2110).", PROVENANCE + [
        CLAIM_PAYMENT_ID, SERVICE_PAYMENT_ID,
        ("service_ordinal", pa.int32(), "The line's place in its claim payment, from 1."),
        *_procedure("SVC01"),
        ("charge", MONEY, "SVC02: line charge."),
        ("paid", MONEY, "SVC03: line payment."),
        ("allowed", MONEY, "AMT*B6: allowed amount."),
        ("revenue_code", pa.string(), "SVC04: revenue code."),
        ("units", QUANTITY, "SVC05: units paid (1 where absent, by the guide)."),
        ("submitted_procedure_code", pa.string(), "SVC06-2: the procedure as sent, where the "
                                                  "payer changed it."),
        ("submitted_units", QUANTITY, "SVC07: the units as sent, where changed."),
        *_dates("service", "service (DTM*472, or DTM*150 / DTM*151)"),
        ("control_number", pa.string(), "REF*6R: the line item control number sent "
                                        "(joins `service_lines.control_number`)."),
        ("remark_codes", CODES, "LQ*HE: the line's remark codes (RARC)."),
    ]),
    "provider_adjustments": _schema("One row per PLB reason of an 835: a provider-level "
                                    "adjustment, not tied to a claim. A positive amount "
                                    "reduces the payment.", PROVENANCE + [
        ("provider_adjustment_ordinal", pa.int32(), "Its place among its set's PLB reasons, "
                                                    "from 1."),
        ("provider_id", pa.string(), "PLB01: the provider's id."),
        ("fiscal_period_end", pa.date32(), "PLB02: last day of the provider's fiscal year."),
        ("reason_code", pa.string(), "PLB03-1 (and 05-1 ...): WO, L6, FB, 72, CS ..."),
        ("reference", pa.string(), "PLB03-2: the reference the reason points at."),
        ("amount", MONEY, "PLB04 (06 ...): the adjustment amount."),
        ("trace_number", pa.string(), "TRN02: the payment's check or EFT trace number."),
        ("payment_date", pa.date32(), "BPR16: check issue or EFT effective date."),
        ("payer_id", pa.string(), "1000A N104: the payer's id."),
    ]),
    "findings": _schema("One row per validation finding: its place and code, never the value "
                        "it is about.", [
        PROVENANCE[0],
        *((name, kind, text + " Null outside a set." if name != "interchange_control"
           else text + " Null outside an interchange.") for name, kind, text in PROVENANCE[1:]),
        ("offset", pa.int64(), "Byte offset of the segment the finding is about."),
        ("line", pa.int32(), "Line in the file, from 1 (null where not worked out)."),
        ("column", pa.int32(), "Column in the line, from 1 (null where not worked out)."),
        ("segment_number", pa.int64(), "The segment's number in the file, from 1."),
        ("segment_id", pa.string(), "The segment's id (CLM, SV1 ...)."),
        ("element_ref", pa.string(), "The element, by reference (CLM02, SV101-2)."),
        ("loop_id", pa.string(), "The loop the segment stands in (2300 ...)."),
        ("code", pa.string(), "The finding's code (se-count-mismatch ...)."),
        ("level", pa.string(), "interchange, group, transaction, segment or element."),
        ("ack_code", pa.string(), "The TA1, 999 AK9/IK5/IK3/IK4 code that reports it."),
        ("snip", pa.int8(), "The SNIP level of the check that found it (1-5)."),
        ("severity", pa.string(), "error, warning or info."),
        ("message", pa.string(), "What is wrong, with positions and codes only."),
    ]),
}
TABLES: tuple[str, ...] = tuple(TABLE_SCHEMAS)
