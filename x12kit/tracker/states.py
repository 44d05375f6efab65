"""Claim states: one transition table.

Theory of operation. A claim's state is not stored as the truth: it is the fold of the
claim's events, in the order the documents were written (their own date, then the order
of ingest, then the place in the file), over ``TRANSITIONS``. Folding in document order
rather than arrival order makes the state independent of the order files are ingested in:
an 835 that arrives before its 837 still ends where it would have ended in order.

    submitted --999 rejects the set, 277CA A3/A4/A6/A7/A8--> rejected
    submitted --277CA A1/A2--> accepted --277 P*--> pending
    any answer --835 CLP02 1,2,3,19,20,21--> paid     (whatever the amount)
    any answer --835 CLP02 4--> denied
    paid/denied --835 CLP02 22--> reversed --a later payment--> paid (or denied)

Later documents move the state forward: an acknowledgment or status that comes after the
payment (a late 999, a 277 P) does not take a paid, denied or reversed claim back. A pair
missing from the table leaves the state as it is (a 999 that accepts the set leaves a
claim ``submitted``: the file was readable, the payer has not yet accepted the claim).
"""
from __future__ import annotations

from typing import Iterable, Optional

SUBMITTED, REJECTED, ACCEPTED, PENDING = "submitted", "rejected", "accepted", "pending"
PAID, DENIED, REVERSED = "paid", "denied", "reversed"
STATES = (SUBMITTED, REJECTED, ACCEPTED, PENDING, PAID, DENIED, REVERSED)

# events: what a document says of a claim
SENT = "sent"                    # 837
SET_ACCEPTED = "set_accepted"    # 999 IK5 A or E
SET_REJECTED = "set_rejected"    # 999 IK5 R (M, W, X)
ACKNOWLEDGED = "acknowledged"    # 277CA A1, A2
ACK_REJECTED = "ack_rejected"    # 277CA A3, A4, A6, A7, A8
STATUS_PENDING = "status_pending"  # 277 P*
STATUS_OTHER = "status_other"    # any other 277 or 277CA category: history only
PAYMENT = "payment"              # 835 CLP02 1, 2, 3, 19, 20, 21
DENIAL = "denial"                # 835 CLP02 4
REVERSAL = "reversal"            # 835 CLP02 22
REMIT_OTHER = "remit_other"      # 835 CLP02 23, 25 ...: history only

_BEFORE_PAYMENT = (SUBMITTED, REJECTED, ACCEPTED, PENDING)
_AFTER_PAYMENT = (PAID, DENIED, REVERSED)

TRANSITIONS: dict[tuple[Optional[str], str], str] = {
    (None, SENT): SUBMITTED,
    (SUBMITTED, SET_REJECTED): REJECTED,
    (SUBMITTED, ACK_REJECTED): REJECTED,
    (ACCEPTED, ACK_REJECTED): REJECTED,
    (SUBMITTED, ACKNOWLEDGED): ACCEPTED,
    (REJECTED, ACKNOWLEDGED): ACCEPTED,    # a resubmission the payer took
    (SUBMITTED, STATUS_PENDING): PENDING,
    (ACCEPTED, STATUS_PENDING): PENDING,
    **{(state, PAYMENT): PAID for state in _BEFORE_PAYMENT + _AFTER_PAYMENT},
    **{(state, DENIAL): DENIED for state in _BEFORE_PAYMENT + _AFTER_PAYMENT},
    **{(state, REVERSAL): REVERSED for state in _BEFORE_PAYMENT + _AFTER_PAYMENT},
}

# 835 CLP02 -> event
CLAIM_STATUS_EVENTS = {
    **dict.fromkeys(("1", "2", "3", "19", "20", "21"), PAYMENT),
    "4": DENIAL,
    "22": REVERSAL,
}
# 277CA STC01-1 category -> event
ACK_CATEGORY_EVENTS = {
    "A1": ACKNOWLEDGED, "A2": ACKNOWLEDGED,
    **dict.fromkeys(("A3", "A4", "A6", "A7", "A8"), ACK_REJECTED),
}


def fold(events: Iterable[str], state: Optional[str] = None) -> Optional[str]:
    """The state the events lead to from ``state``, in the order given (document
    order)."""
    for event in events:
        state = TRANSITIONS.get((state, event), state)
    return state
