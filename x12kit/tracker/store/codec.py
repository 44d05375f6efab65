"""A waiting claim payment (``Remit``) as JSON text and back: the unmatched table keeps it
whole, so it can be posted when its claim arrives. Amounts are strings, dates ISO."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Optional

from x12kit.tracker.records import Adjustment, Remit, RemitLine


def _day(text: Optional[str]) -> Optional[date]:
    return date.fromisoformat(text) if text else None


def _adjustments(rows) -> tuple[Adjustment, ...]:
    return tuple(Adjustment(g, r, Decimal(a)) for g, r, a in rows)


def _adjustment_rows(found) -> list:
    return [[a.group, a.reason, str(a.amount)] for a in found]


def remit_json(remit: Remit) -> str:
    d = lambda value: value.isoformat() if value else None  # noqa: E731
    return json.dumps([
        remit.pcn, remit.status, str(remit.charge), str(remit.paid), remit.payer_claim_number,
        remit.frequency, remit.payee_npi, remit.payer_id, d(remit.service_start), d(remit.service_end),
        d(remit.written), remit.position, _adjustment_rows(remit.adjustments),
        [[line.control_number, line.procedure, str(line.charge), str(line.paid),
          d(line.service_date), _adjustment_rows(line.adjustments)] for line in remit.lines],
    ])


def remit_from_json(text: str) -> Remit:
    (pcn, status, charge, paid, number, frequency, npi, payer, start, end, written, position,
     adjs, lines) = json.loads(text)
    return Remit(pcn, status, Decimal(charge), Decimal(paid), number, frequency, npi, payer,
                 _day(start),
                 _day(end), _day(written), position, _adjustments(adjs),
                 tuple(RemitLine(c, p, Decimal(ch), Decimal(pd), _day(sd), _adjustments(a))
                       for c, p, ch, pd, sd, a in lines))
