"""``track report``: what a billing office reads, as one document (a dict) and rendered as
text or CSV. The figures are SQL sums over the ledger (``store/reports.py``).

Sections: totals by payer; accounts-receivable aging of the open balances (days from the
claim date: 0-30, 31-60, 61-90, 90+); adjustments and denials by CAS group and CARC, with
descriptions; days from claim to first payment; patient balances (PR adjustments); the
provider-level adjustments (PLB) by reason; and the payments still unmatched. Replaced or
voided claims are left out of the totals by payer, aging and patient balances.
"""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date
from decimal import Decimal

from x12kit.tracker.records import ZERO
from x12kit.tracker.store import reports as q
from x12kit.tracker.summary import amount_text


def describe_code(list_name: str, code: str):
    """The code's words, without the payers' usage notes of CARC texts ("Usage: ..."),
    as the biller's view shows them (x12kit/views/text.py)."""
    from x12kit.codes import describe
    meaning = describe(list_name, code)
    return meaning.split(" Usage:")[0].strip() if meaning else None


def build(connection, as_of: date) -> dict:
    payers: dict[tuple, dict] = {}
    aging = {name: {"bucket": name, "claims": 0, "balance": ZERO} for *_, name in q.AGING}
    patient = {"claims_with_patient_responsibility": 0, "total": ZERO}
    paid = {"claims": 0, "days": 0, "least": None, "most": None}
    for row in q.payer_and_aging_rows(connection, as_of):
        payer = payers.setdefault((row.payer_id, row.payer_name), defaultdict(
            lambda: ZERO, payer_id=row.payer_id, payer_name=row.payer_name, claims=0))
        payer["claims"] += row.claims
        for key, value in (("charge", row.charge), ("paid", row.paid),
                           ("adjustments", row.adjusted), ("patient_responsibility", row.pr),
                           ("balance", row.balance)):
            payer[key] += value
        aging[row.bucket]["claims"] += row.open
        aging[row.bucket]["balance"] += row.balance
        patient["total"] += row.pr
        patient["claims_with_patient_responsibility"] += row.owing
        if row.paid_claims:
            paid["claims"] += row.paid_claims
            paid["days"] += row.days
            paid["least"] = min(x for x in (paid["least"], row.least) if x is not None)
            paid["most"] = max(x for x in (paid["most"], row.most) if x is not None)
    unmatched = q.unmatched_row(connection)
    adjustments = q.adjustment_rows(connection)
    return {
        "as_of": as_of.isoformat(),
        "by_payer": [_amounts(dict(p)) for _, p in sorted(payers.items())],
        "aging": [_amounts(a) for a in aging.values()],
        "adjustments_by_carc": [_amounts({
            "group": r.group_code, "group_description": describe_code("cas_group", r.group_code),
            "reason": r.reason, "description": describe_code("carc", r.reason), "count": r.count,
            "amount": r.amount, "on_denied_claims": r.denied}) for r in adjustments],
        "days_to_payment": {
            "claims": paid["claims"],
            "average": round(float(paid["days"]) / paid["claims"], 1) if paid["claims"] else None,
            "least": int(paid["least"]) if paid["least"] is not None else None,
            "most": int(paid["most"]) if paid["most"] is not None else None},
        "patient_balances": {**_amounts(patient), "largest": [
            {"pcn": r.pcn, "billing_npi": r.billing_npi, "amount": amount_text(r.pr)}
            for r in q.largest_patient_balances(connection)]},
        "provider_adjustments": [_amounts({
            "reason": r.reason, "description": describe_code("plb_reason", r.reason),
            "count": r.count, "amount": r.amount}) for r in q.provider_adjustment_rows(
                connection)],
        "unmatched": _amounts({"count": unmatched.count, "paid": unmatched.paid}),
    }


def _amounts(row: dict) -> dict:
    return {k: amount_text(v) if isinstance(v, Decimal) else v for k, v in row.items()}


def text_lines(report: dict) -> list[str]:
    lines = [f"Tracker report as of {report['as_of']}", "", "Totals by payer"]
    for p in report["by_payer"]:
        lines.append(f"  {p['payer_id'] or '-'} {p['payer_name']}: {p['claims']} claims, "
                     f"charge {p['charge']}, paid {p['paid']}, adjustments "
                     f"{p['adjustments']}, patient {p['patient_responsibility']}, "
                     f"balance {p['balance']}")
    lines += ["", "Accounts receivable aging (days from the claim date)"]
    lines += [f"  {a['bucket']:>6}: {a['claims']} claims, balance {a['balance']}"
              for a in report["aging"]]
    lines += ["", "Adjustments by CARC"]
    lines += [f"  {a['group']}-{a['reason']:<5} {a['count']:>8} x  {a['amount']:>14}  "
              f"(denied claims {a['on_denied_claims']})  "
              f"{a['description'] or ''}"
              for a in report["adjustments_by_carc"]]
    d = report["days_to_payment"]
    lines += ["", f"Days from claim to payment: {d['claims']} claims paid, average "
                  f"{d['average']}, least {d['least']}, most {d['most']}"]
    p = report["patient_balances"]
    lines += ["", f"Patient balances: {p['total']} on "
                  f"{p['claims_with_patient_responsibility']} claims; the largest:"]
    lines += [f"  {b['pcn']} ({b['billing_npi']}): {b['amount']}" for b in p["largest"]]
    lines += ["", "Provider-level adjustments (PLB)"]
    lines += [f"  {a['reason']:<3} {a['count']:>6} x  {a['amount']:>12}  "
              f"{a['description'] or ''}" for a in report["provider_adjustments"]]
    u = report["unmatched"]
    lines += ["", f"Unmatched payments: {u['count']}, paid {u['paid']}"]
    return lines


def csv_text(report: dict) -> str:
    """One table a spreadsheet loads: each row is a section, its key (payer, bucket,
    CARC ...), a description, a count, then the section's amounts in the order the JSON
    gives them."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "key", "description", "claims_or_count", "amount_1",
                     "amount_2", "amount_3", "amount_4", "amount_5"])
    for p in report["by_payer"]:
        writer.writerow(["by_payer", p["payer_id"], p["payer_name"], p["claims"], p["charge"],
                         p["paid"], p["adjustments"], p["patient_responsibility"],
                         p["balance"]])
    for a in report["aging"]:
        writer.writerow(["aging", a["bucket"], "", a["claims"], a["balance"]])
    for a in report["adjustments_by_carc"]:
        writer.writerow(["adjustments_by_carc", f"{a['group']}-{a['reason']}",
                         a["description"] or "", a["count"], a["amount"],
                         a["on_denied_claims"]])
    d = report["days_to_payment"]
    writer.writerow(["days_to_payment", "", "", d["claims"], d["average"], d["least"],
                     d["most"]])
    writer.writerow(["patient_balances", "", "", "", report["patient_balances"]["total"]])
    for a in report["provider_adjustments"]:
        writer.writerow(["provider_adjustments", a["reason"], a["description"] or "",
                         a["count"], a["amount"]])
    u = report["unmatched"]
    writer.writerow(["unmatched", "", "", u["count"], u["paid"]])
    return out.getvalue()
