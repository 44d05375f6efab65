"""The tracker's values: what it keeps of each document, event and ledger entry.

These are plain frozen values with ``Decimal`` money, built from the models
(``x12kit.models``) by ``documents.py`` and stored by a store (``store/``). Reprs show keys,
codes and amounts, never names or member ids: the tracker keeps no PHI beyond the claim's
patient control number, which the provider chose as its key.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import NamedTuple, Optional

ZERO = Decimal("0.00")


class ClaimLine(NamedTuple):
    """A service line as sent (837 2400)."""

    number: int                      # LX01
    control_number: Optional[str]    # REF*6R
    procedure: str                   # code, then ":"-joined modifiers: "99213:25"
    charge: Decimal
    service_date: Optional[date]


class SentClaim(NamedTuple):
    """A claim as sent (837 2300), the identity the tracker matches on."""

    billing_npi: str
    pcn: str                         # CLM01
    kind: str                        # 837P, 837I, 837D
    payer_id: str                    # 2010BB NM109
    payer_name: str                  # 2010BB NM103 (an organisation, not a person)
    charge: Decimal                  # CLM02
    claim_date: Optional[date]       # BHT04: aging counts from here
    service_start: Optional[date]
    service_end: Optional[date]
    frequency: str                   # CLM05-3: 1 original, 7 replacement, 8 void
    replaces: Optional[str]          # REF*F8: the payer claim number it supersedes
    group_control: str               # GS06 of its group, for the 999
    set_control: str                 # ST02 of its set, for the 999
    sender_id: str                   # GS02, for the 999
    lines: tuple[ClaimLine, ...]
    position: int                    # its place among the file's items


class StoredClaim(NamedTuple):
    """A claim in the store: its id, what was sent, and what the events made of it."""

    id: int
    sent: SentClaim
    state: str
    payer_claim_number: Optional[str]
    superseded_by: Optional[int]


class Adjustment(NamedTuple):
    group: str                       # CAS01: CO, PR, OA, PI
    reason: str                      # CARC
    amount: Decimal


class RemitLine(NamedTuple):
    """A service payment (835 2110), reduced to what matching and posting need."""

    control_number: Optional[str]    # REF*6R
    procedure: str                   # as submitted (SVC06 when present), with modifiers
    charge: Decimal
    paid: Decimal
    service_date: Optional[date]
    adjustments: tuple[Adjustment, ...]


class Remit(NamedTuple):
    """A claim payment (835 2100), reduced to what matching and posting need."""

    pcn: str                         # CLP01
    status: str                      # CLP02
    charge: Decimal                  # CLP03
    paid: Decimal                    # CLP04
    payer_claim_number: str          # CLP07
    frequency: str                   # CLP09: the frequency of the claim it pays (1, 7, 8)
    payee_npi: Optional[str]         # 1000B N1*PE XX
    payer_id: Optional[str]          # 1000A N1*PR N104 or REF*2U
    service_start: Optional[date]
    service_end: Optional[date]
    written: Optional[date]          # DTM*405, else BPR16
    position: int
    adjustments: tuple[Adjustment, ...]   # claim level
    lines: tuple[RemitLine, ...]


class ProviderLevelAdjustment(NamedTuple):
    """A PLB reason: not tied to a claim."""

    provider_id: str                 # PLB01
    reason: str                      # PLB03-1
    reference: str                   # PLB03-2
    amount: Decimal                  # positive reduces the payment
    payer_id: Optional[str]
    written: Optional[date]
    position: int


class ClaimAnswer(NamedTuple):
    """What a 999, 277CA or 277 says of one claim (a 999: of every claim of a set, or of
    a group it rejects whole)."""

    kind: str                        # 999, 277CA, 277
    event: str                       # a states.* event
    code: str                        # IK5 / STC01 as written
    billing_npi: Optional[str]
    pcn: Optional[str]
    payer_claim_number: Optional[str]
    group_control: Optional[str]     # 999 only: AK102, the group answered (its GS06)
    set_control: Optional[str]       # 999 only: AK202, the set answered (None: all of them)
    sender_id: Optional[str]         # 999 only: its GS03, the 837's GS02
    written: Optional[date]
    position: int


class Event(NamedTuple):
    """One thing a document said of a claim: its history."""

    claim_id: int
    document_id: int
    kind: str                        # the document's kind: 837P, 999, 277CA, 277, 835
    event: str                       # a states.* event
    code: str                        # CLP02, STC01, IK5 ... as written
    written: Optional[date]
    position: int
    payer_claim_number: Optional[str]


class Entry(NamedTuple):
    """One ledger entry. The ledger is append-only: a reversal is a negative entry."""

    claim_id: Optional[int]          # None for a provider-level adjustment
    document_id: int
    kind: str                        # charge, payment, adjustment, transfer, provider
    group: str                       # CAS group (adjustment), PR for a transfer
    reason: str                      # CARC, or the PLB reason
    amount: Decimal
    line_number: Optional[int] = None
    provider_id: Optional[str] = None   # PLB01
    reference: Optional[str] = None     # PLB03-2
    status: str = ""                    # CLP02 of the claim payment that posted it


class WaitingAnswer(NamedTuple):
    """An answer that matched no claim yet: applied when its claim arrives."""

    id: int
    document_id: int
    answer: ClaimAnswer


class Unmatched(NamedTuple):
    """A claim payment that matched no claim, waiting for it."""

    id: int
    document_id: int
    remit: Remit
