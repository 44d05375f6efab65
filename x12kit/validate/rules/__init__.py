"""Validation rules of SNIP levels 3 (balancing), 4 (situational rules) and 5 (external code
sets), run on the walker's placed segments of one transaction set.

Interface::

    class SetRule(Protocol):        # one instance per transaction set, stateful within it
        snip: int                   # 3, 4 or 5
        def each_handler(self) -> Iterable[tuple[str, Callable[[Placed], list | None]]]: ...
        def each_closer(self) -> Iterable[tuple[str, Callable[[], list | None]]]: ...
        def finish(self) -> Iterable[Diagnostic]: ...   # at SE, or the set's end

    rules_for(transaction, max_snip) -> list[SetRule]
    RuleFeed(rules, schema)         # .handlers by segment id, .segment(placed), .finish()

``transaction`` is a schema alias ("837P", "837I", "837D", "835", "270", "271", "276", "277",
"277CA", "999") or a registry key ("837:005010X222A2", as ``Schema.key`` has it; errata go
with their guide); every call gives fresh instances, one set's worth: one rule per SNIP level
up to ``max_snip`` (a ``RuleGroup`` of that level's small rules). A rule's handlers
(``each_handler``, by segment id) look at the placed segments of those ids; its close
handlers (``each_closer``, by loop id: ``CLOSES = {"2300": "_close"}``) judge a claim, a line
or a level as its loop ends. Rules never work out loop ends themselves: ``feed.RuleFeed``
tells them, from the loop events of the one walk (``x12kit.walk.events``) that the model
builders listen to as well. Feed it the placed segments of the set, ST to SE, in order
(``segment``, or the handlers ``handlers`` names by segment id, as the pipeline's lane
does), then call ``finish`` once: it closes the loops still open, then calls each rule's
``finish`` (a set-wide judgement, such as the 835's BPR02). Rules keep only the state of
the claim, line or level they are in. A close handler reports at the segment that ended its
loop, so its findings may come after those of later segments: they carry their own
positions.

Findings are ``Diagnostic`` values: ``code`` a stable kebab-case name; ``severity`` ERROR
(rejects the set) or WARNING (noted); ``message`` names elements and rules, never values (the
offending value is in ``value``); position, segment id and loop id of the segment concerned
(for a missing segment: the id of the missing one at the position of the segment that
requires it); ``snip`` the level. Element findings (``level`` ELEMENT, ``element_ref`` set)
carry the 999 IK403 code in ``ack_code``, segment findings the IK304 code:

  I12  a value the guide's rules do not allow: an unbalanced total (IK403 has no balancing
       code; payers' 999s use I12, implementation pattern match failure, for values an
       implementation rule rejects), an HL04 that contradicts the hierarchy, a pointer to
       nothing, a code of the wrong shape or an NPI with a wrong check digit
  7    a code not in its external code list (ICD-10-CM, CARC, RARC, place of service, state)
  I9   an element a situational rule requires is missing (IK403); a segment it rules out is
       present (IK304)
  I13  an element a situational rule rules out is present
  I6   a segment a situational rule requires is missing (IK304)

The rules, with the guide text each rests on, are listed in the docstrings of
``balance837``, ``balance835`` (SNIP 3), ``hierarchy``, ``situational837``,
``situational835``, ``eligibility`` (SNIP 4), ``codesets``, ``claimcodes``, ``remitcodes``
(SNIP 5). Code lists come from ``x12kit.codes`` (``schemas/codes/``; ``codelists`` asks them
what the rules need) and ICD-10-CM from the simple-icd-10-cm package (``x12kit.codes.icd10cm``);
all load on first use.
"""
from __future__ import annotations

from typing import Callable, Iterable, Protocol

from x12kit.diagnostics import Diagnostic
from x12kit.schema.registry import transaction_kind
from x12kit.validate.rules.balance835 import RemittanceBalance
from x12kit.validate.rules.balance837 import ClaimBalance
from x12kit.validate.rules.claimcodes import ClaimCodes
from x12kit.validate.rules.codesets import CodeSetRule
from x12kit.validate.rules.common import RuleGroup
from x12kit.validate.rules.eligibility import BenefitPercent
from x12kit.validate.rules.feed import RuleFeed
from x12kit.validate.rules.hierarchy import ChildCodes, PatientLevel
from x12kit.validate.rules.remitcodes import RemittanceCodes
from x12kit.validate.rules.situational835 import PaymentMethod, Reversals, SubmittedProcedure
from x12kit.validate.rules.situational837 import DiagnosisPointers, ReplacedClaimReference
from x12kit.walk.walker import Placed

__all__ = ["SetRule", "RuleFeed", "rules_for", "kind_of", "RULES"]


class SetRule(Protocol):
    snip: int
    def each_handler(self) -> Iterable[tuple[str, Callable[[Placed], list | None]]]: ...

    def each_closer(self) -> Iterable[tuple[str, Callable[[], list | None]]]: ...

    def finish(self) -> Iterable[Diagnostic]: ...


def _claim(kind: str) -> tuple:
    pointers = ((4, lambda: DiagnosisPointers(kind)),) if kind in ("837P", "837D") else ()
    return ((3, lambda: ClaimBalance(kind)), (4, ChildCodes), (4, PatientLevel),
            (4, ReplacedClaimReference), *pointers, (5, ClaimCodes))


_HIERARCHY = ((4, ChildCodes), (5, CodeSetRule))

# transaction -> (SNIP level, factory of a fresh rule) in the order rules run
RULES: dict[str, tuple[tuple[int, Callable[[], SetRule]], ...]] = {
    "837P": _claim("837P"),
    "837I": _claim("837I"),
    "837D": _claim("837D"),
    "835": ((3, RemittanceBalance), (4, PaymentMethod), (4, Reversals),
            (4, SubmittedProcedure), (5, RemittanceCodes)),
    "270": _HIERARCHY,
    "271": ((4, lambda: ChildCodes(echoes_request=True)), (4, BenefitPercent), (5, CodeSetRule)),
    "276": _HIERARCHY,
    "277": _HIERARCHY,
    "277CA": _HIERARCHY,
    "999": (),
}


def kind_of(transaction: str) -> str:
    """The RULES entry of a schema alias or registry key ("837:005010X223A3" -> "837I")."""
    if transaction in RULES:
        return transaction
    st01, _, implementation = transaction.partition(":")
    return transaction_kind(st01, implementation)


def rules_for(transaction: str, max_snip: int) -> list[SetRule]:
    """Fresh rules of SNIP levels 3..``max_snip`` for one set of ``transaction`` (a schema
    alias or key), one ``RuleGroup`` per level; an unknown transaction has none."""
    levels: dict[int, list] = {}
    for snip, make in RULES.get(kind_of(transaction), ()):
        if snip <= max_snip:
            levels.setdefault(snip, []).append(make())
    return [RuleGroup(snip, rules) for snip, rules in levels.items()]
