"""The rules' amount reading (``common.amount``, memoised, and ``common.adjustments``, with its
one-triple fast path) against the plain Decimal reading they replace: the same value (or None)
for every text, and the same CAS sums, whatever the decimal context."""
from __future__ import annotations

import decimal
from decimal import Decimal, InvalidOperation
from typing import Optional

from hypothesis import given, settings, strategies as st

from x12kit.validate.rules import common


def reference_amount(text: str) -> Optional[Decimal]:
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def reference_adjustments(elements: tuple) -> Optional[Decimal]:
    total = Decimal(0)
    for n in (3, 6, 9, 12, 15, 18):
        if n >= len(elements):
            break
        if elements[n]:
            value = reference_amount(elements[n])
            if value is None:
                return None
            total += value
        elif elements[n - 1]:
            return None
    return total


def same(a: Optional[Decimal], b: Optional[Decimal]) -> bool:
    """Equal values, down to the representation (sign of zero, exponent)."""
    return (a is None and b is None) or (a is not None and b is not None
                                         and str(a) == str(b))


ODD = ["", "0", "-0", ".5", "-.5", "5.", ".", "-", "+1", "--1", "1.2.3", "1e3", "1E-2", "1e",
       "NaN", "-nan", "sNaN", "Infinity", "-inf", " 12", "12 ", "1_000", "1,5", "0x10",
       "\u0661\u0662", "\uff11", "\u00b2", "\udc80", "9" * 40, "1" + "0" * 30 + ".5",
       "1e999999", "1e-999999", "1e9999999999", "12.3e1", "00012.50", "1.005", "-99999999.99"]
DECIMALS = st.from_regex(r"[+-]?[0-9]{0,24}(\.[0-9]{0,12})?([eE][+-]?[0-9]{1,3})?",
                         fullmatch=True)
TEXTS = st.one_of(DECIMALS, st.sampled_from(ODD), st.text(max_size=12))


@settings(max_examples=200)
@given(TEXTS)
def test_amount_reads_as_decimal(text):
    first, again = common.amount(text), common.amount(text)  # the second from the memo
    expected = reference_amount(text)
    assert same(first, expected) and same(again, expected)


def test_amount_memo_stays_bounded(monkeypatch):
    monkeypatch.setattr(common, "_AMOUNTS_LIMIT", 8)
    monkeypatch.setattr(common, "_amounts", {})
    for i in range(50):
        assert common.amount(f"{i}.25") == Decimal(i) + Decimal("0.25")
        assert len(common._amounts) <= 8
    assert common.amount("abc") is None and common.amount("") is None


CAS_VALUES = st.one_of(st.just(""), st.sampled_from(["CO", "45", "1", "PR"]), TEXTS)


@settings(max_examples=200)
@given(st.lists(CAS_VALUES, min_size=0, max_size=20), st.sampled_from([28, 6, 2, 40]))
def test_adjustments_sum_as_decimal(values, precision):
    elements = ("CAS", *values)
    with decimal.localcontext() as context:
        context.prec = precision
        try:
            expected = reference_adjustments(elements)
        except decimal.DecimalException as error:  # an overflowing sum traps alike
            expected = type(error)
        try:
            found = common.adjustments(elements)
        except decimal.DecimalException as error:
            found = type(error)
    if isinstance(expected, type):
        assert found is expected
    else:
        assert same(found, expected)
