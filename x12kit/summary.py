"""What a file holds, per interchange, group and transaction set, read in one pass.

Counts are kept per set (segments, claims, claim payments, HL levels), so memory grows with
the number of sets, never with their size. Sender and receiver ids are trading-partner ids,
not patient data.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from .diagnostics import Diagnostic
from .envelope import EnvelopeChecker
from .segment import Segment

# what to count per set, by ST01: segment id -> name in the summary. An 837's service lines
# each open with LX (loop 2400); an 835's LX only numbers a group of claim payments (loop
# 2000): there the claim payments are CLP (2100) and the service lines SVC (2110).
COUNTED = {"837": {"CLM": "claims", "LX": "service_lines"},
           "835": {"CLP": "claim_payments", "SVC": "service_lines"},
           "270": {"TRN": "traces"}, "271": {"TRN": "traces", "EB": "benefits"},
           "276": {"TRN": "traces"}, "277": {"TRN": "traces", "STC": "statuses"}}


def summarize(segments: Iterable[Segment]) -> tuple[list[dict], list[Diagnostic]]:
    """The interchanges of a stream as nested dicts, and the envelope findings."""
    checker = EnvelopeChecker()
    interchanges: list[dict] = []
    findings: list[Diagnostic] = []
    group: dict | None = None
    current: dict | None = None
    counted: dict[str, str] = {}  # the open set's COUNTED
    for seg in segments:
        findings += checker.check(seg)
        seg_id = seg.elements[0]
        if seg_id == "ISA":
            interchanges.append(_interchange(seg))
            group = current = None
        elif seg_id == "GS":
            group = _group(seg)
            if interchanges:
                interchanges[-1]["groups"].append(group)
        elif seg_id == "ST":
            current = _transaction(seg, group)
            counted = COUNTED.get(seg.element(1), {})
            if group is not None:
                group["transactions"].append(current)
        elif current is not None:
            current["segments"] += 1
            if seg_id == "SE":
                current = None
            elif seg_id == "HL":
                current["hl_levels"][seg.element(3)] += 1
            elif seg_id in counted:
                current[counted[seg_id]] += 1
    findings += checker.finish()
    for interchange in interchanges:
        for grp in interchange["groups"]:
            for txn in grp["transactions"]:
                txn["hl_levels"] = dict(txn["hl_levels"])
    return interchanges, findings


def _interchange(isa: Segment) -> dict:
    return {"control_number": isa.element(13), "sender": _party(isa, 5),
            "receiver": _party(isa, 7), "date": isa.element(9), "time": isa.element(10),
            "version": isa.element(12), "usage": isa.element(15), "groups": []}


def _party(isa: Segment, n: int) -> str:
    return f"{isa.element(n)}:{isa.element(n + 1).strip()}"


def _group(gs: Segment) -> dict:
    return {"functional_id": gs.element(1), "control_number": gs.element(6),
            "sender": gs.element(2), "receiver": gs.element(3), "date": gs.element(4),
            "time": gs.element(5), "implementation": gs.element(8), "transactions": []}


def _transaction(st: Segment, group: dict | None) -> dict:
    zeros = {name: 0 for name in COUNTED.get(st.element(1), {}).values()}
    return {"id": st.element(1), "control_number": st.element(2),
            "implementation": st.element(3) or (group or {}).get("implementation", ""),
            "segments": 1, **zeros, "hl_levels": Counter()}
