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
from .frames import GROUP, INTERCHANGE, SET, Frame
from .segment import Segment

# what to count per set, by ST01: segment id -> name in the summary. An 837's service lines
# each open with LX (loop 2400); an 835's LX only numbers a group of claim payments (loop
# 2000): there the claim payments are CLP (2100) and the service lines SVC (2110).
COUNTED = {"837": {"CLM": "claims", "LX": "service_lines"},
           "835": {"CLP": "claim_payments", "SVC": "service_lines"},
           "270": {"TRN": "traces"}, "271": {"TRN": "traces", "EB": "benefits"},
           "276": {"TRN": "traces"}, "277": {"TRN": "traces", "STC": "statuses"}}


def summarize(segments: Iterable[Segment]) -> tuple[list[dict], list[Diagnostic]]:
    """The interchanges of a stream as nested dicts, and the envelope findings.

    Each header's node hangs on the frame it opens (``Frame.note``) and joins the node of the
    frame around it, so the nesting is the envelope checker's, however broken the input."""
    checker = EnvelopeChecker()
    interchanges: list[dict] = []
    findings: list[Diagnostic] = []
    in_set: dict | None = None  # the node of the open set, while one is
    counted: dict[str, str] = {}  # its COUNTED
    for seg in segments:
        findings += checker.check(seg)
        moved = checker.moved
        if moved is None:
            if in_set is not None:
                in_set["segments"] += 1
                seg_id = seg.elements[0]
                if seg_id == "HL":
                    in_set["hl_levels"][seg.element(3)] += 1
                elif seg_id in counted:
                    in_set[counted[seg_id]] += 1
            continue
        if in_set is not None and any(frame.depth == SET for frame in moved.closed):
            in_set["segments"] += seg.elements[0] == "SE"
            in_set = None
        if moved.opened is not None:
            in_set = _hang(moved.opened, checker.frames, interchanges)
            counted = COUNTED.get(seg.element(1), {}) if in_set is not None else {}
    findings += checker.finish()
    for interchange in interchanges:
        for grp in interchange["groups"]:
            for txn in grp["transactions"]:
                txn["hl_levels"] = dict(txn["hl_levels"])
    return interchanges, findings


def _hang(opened: Frame, frames: list[Frame], interchanges: list[dict]) -> dict | None:
    """The node of a frame just opened, joined to its parent's; the node if it is a set's.

    A group outside any interchange, or a set outside any group, is counted nowhere (the
    checker reports it)."""
    header, depth = opened.header, opened.depth
    parent = frames[-2] if len(frames) > 1 else None
    if depth == INTERCHANGE:
        opened.note = _interchange(header)
        interchanges.append(opened.note)
    elif depth == GROUP:
        opened.note = _group(header)
        if parent is not None:
            parent.note["groups"].append(opened.note)
    else:
        group = parent.note if parent is not None and parent.depth == GROUP else None
        opened.note = _transaction(header, group)
        if group is not None:
            group["transactions"].append(opened.note)
        return opened.note
    return None


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
