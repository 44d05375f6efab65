"""Small pieces every view writes: a code with its meaning, money, dates, names, boxes."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Iterable, Optional

from x12kit import codes
from x12kit.models.values import Address, DateRange, Party

LABEL_WIDTH = 30


def words(list_name: str, code: str, on: Optional[date] = None) -> str:
    """``45 (Charge exceeds fee schedule...)``; the code alone where the list has no words
    for it, "-" where there is no code."""
    if not code:
        return "-"
    said = meaning(list_name, code, on)
    return f"{code} ({said})" if said else code


def meaning(list_name: str, code: str, on: Optional[date] = None) -> Optional[str]:
    """What a code means to a biller (in the wording in force ``on`` that day), or None."""
    said = codes.describe(list_name, code, on) if code else None
    if not said:
        return None
    # CARC, RARC and claim status texts go on with notes for the sender ("Usage: ..."): a
    # biller needs the reason, the notes stay in the code list
    return said.split(" Usage:")[0].strip()


def money(amount: Optional[Decimal]) -> str:
    return "-" if amount is None else f"{amount:,.2f}"


def when(value) -> str:
    """A date, or a period as ``2024-10-07`` or ``2024-10-01 to 2024-10-31``."""
    if value is None:
        return "-"
    if isinstance(value, DateRange):
        if value.start == value.end:
            return when(value.start)
        return f"{when(value.start)} to {when(value.end)}"
    return value.isoformat()


def name(party: Optional[Party]) -> str:
    if party is None:
        return "-"
    given = " ".join(p for p in (party.first_name, party.middle_name) if p)
    text = f"{party.name}, {given}" if given else party.name
    return f"{text} {party.suffix}".strip() or "-"


def identified(party: Optional[Party]) -> str:
    """Name and identifier: ``SUMMIT HMO (PI 87726)``."""
    if party is None:
        return "-"
    ident = f" ({party.id_qualifier} {party.id})" if party.id else ""
    return name(party) + ident


def address(place: Optional[Address]) -> str:
    if place is None:
        return "-"
    street = ", ".join(p for p in (place.line1, place.line2) if p)
    town = " ".join(p for p in (place.city + ",", place.state, place.postal_code) if p.strip(","))
    return "; ".join(p for p in (street, town) if p) or "-"


def box(label: str, value: str) -> str:
    """One labelled line of a form: ``  26 Patient's account no.      A0100``."""
    return f"  {label:<{LABEL_WIDTH}} {value}"


def table(rows: Iterable[tuple], header: tuple) -> list[str]:
    """Columns as wide as their widest cell, indented under a form."""
    rows = [tuple(str(c) for c in row) for row in rows]
    widths = [max(len(str(h)), *(len(r[i]) for r in rows)) if rows else len(str(h))
              for i, h in enumerate(header)]
    fmt = "    " + "  ".join(f"{{:<{w}}}" for w in widths)
    return [fmt.format(*header).rstrip()] + [fmt.format(*r).rstrip() for r in rows]
