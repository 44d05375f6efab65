"""999 and TA1 acknowledgments read out: accepted or rejected, and each error in words."""
from __future__ import annotations

from x12kit.models.acks import GroupAcknowledgment, InterchangeAcknowledgment, SetResponse
from x12kit.views.text import box, words


def set_response(response: SetResponse) -> list[str]:
    group = response.group
    of_group = f" in group {group.functional_id} {group.control_number}" if group else ""
    out = [f"999: set {response.set_id} {response.control_number}{of_group}: "
           f"{words('ack_status', response.status)}"]
    out += [box("Set error", words("ik502", code)) for code in response.codes]
    for error in response.segment_errors:
        out.append(box(f"Segment {error.segment_id} at {error.position or '-'} "
                       f"loop {error.loop_id or '-'}", words("ik304", error.code)))
        for element in error.elements:
            out.append(box(f"  element {element.position or '-'} ({element.data_element})",
                           words("ik403", element.code)))
    return out


def group(ack: GroupAcknowledgment) -> list[str]:
    named = f"{ack.group.functional_id} {ack.group.control_number}" if ack.group else "-"
    out = [f"999: group {named}: {words('ack_status', ack.status)}",
           box("Sets included, received, accepted",
               f"{ack.included}, {ack.received}, {ack.accepted}")]
    out += [box("Group error", words("ak905", code)) for code in ack.codes]
    return out


def interchange(ack: InterchangeAcknowledgment) -> list[str]:
    verdict = {"A": "accepted", "E": "accepted with errors", "R": "rejected"}.get(ack.status,
                                                                                 ack.status)
    return [f"TA1: interchange {ack.control_number}: {verdict}",
            box("Note", words("ta105", ack.note_code))]
