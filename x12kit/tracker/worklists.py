"""The biller's two worklists (``track worklist``): what to fix and send again.

- ``denied``: each claim an 835 denied (CLP02 4), with every adjustment reason the ledger
  holds for it (claim level, or the claim line it was posted on): CAS group and CARC, in
  words; and the remark codes (RARC, MOA at claim level and LQ*HE per service line) in
  words, read again from the 835 that denied it, since the ledger keeps CARCs only. When
  that 835 cannot be read again, ``remarks`` is null.
- ``rejected``: each claim a 999 (its set rejected: IK5 code) or a 277CA (STC01 category
  A3, A4, A6, A7, A8 and the status code) rejected, with those codes in words and the file
  that said so.

Entries name claims by PCN, NPI and payer; amounts are decimal strings with two places.
No names or member ids: the tracker keeps none.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Optional

from x12kit.errors import X12ReadError
from x12kit.models import ClaimPayment
from x12kit.models.reading import read
from x12kit.tracker import states
from x12kit.tracker.report import describe_code

REJECTIONS = (states.SET_REJECTED, states.ACK_REJECTED)
CLAIM_FIELDS = ("pcn", "billing_npi", "payer_id", "payer_name", "payer_claim_number",
                "claim_date", "charge", "paid", "balance")


def denied_entries(claims: list[dict]) -> list[dict]:
    """Denied claims (``Tracker.claim`` summaries with their ledgers) as worklist entries;
    each 835 that denied some of them is read again once."""
    denials = [[h for h in c["history"] if h["event"] == states.DENIAL][-1] for c in claims]
    wanted: dict[str, set] = defaultdict(set)
    for c, denial in zip(claims, denials):
        wanted[denial["source"]].add((c["pcn"], c["payer_claim_number"]))
    found = {source: remarks(source, keys) for source, keys in wanted.items()}
    return [_denied_entry(c, denial, found[denial["source"]])
            for c, denial in zip(claims, denials)]


def _denied_entry(claim: dict, denial: dict, in_file: Optional[dict]) -> dict:
    reasons = [{"line": e["line"], "group": e["group"],
                "group_description": describe_code("cas_group", e["group"]),
                "reason": e["reason"], "description": describe_code("carc", e["reason"]),
                "amount": e["amount"]}
               for e in claim["ledger"] if e["kind"] == "adjustment"]
    found = None if in_file is None else in_file.get(
        (claim["pcn"], claim["payer_claim_number"]), [])
    return {**{k: claim[k] for k in CLAIM_FIELDS}, "denied_by": denial["source"],
            "date": denial["date"], "reasons": reasons, "remarks": found}


def remarks(source: str, keys: set[tuple[str, Optional[str]]]
            ) -> Optional[dict[tuple[str, Optional[str]], list[dict]]]:
    """The RARCs of the denials (CLP02 4) in one 835 of the claims ``keys`` name (PCN,
    payer claim number), by key (``line`` is the service line's REF*6R, or its place among
    the payment's lines); None when the file cannot be read. A payer that cut the PCN short
    (CLP01 a prefix of it) is matched as the tracker matched it: with its claim number."""
    found: dict[tuple[str, Optional[str]], list[dict]] = defaultdict(list)
    pcns_by_number: dict[Optional[str], list[str]] = defaultdict(list)
    for pcn, number in keys:
        pcns_by_number[number].append(pcn)
    try:
        for model in read(source):
            if not (isinstance(model, ClaimPayment) and model.status == "4"):
                continue
            number = model.payer_claim_number or None
            key = next(((pcn, number) for pcn in pcns_by_number.get(number, ())
                        if pcn.startswith(model.pcn)), None)
            if key is None:
                continue
            found[key] += [_remark(None, code) for code in model.remarks]
            for n, service in enumerate(model.services, 1):
                line = service.control_number or str(n)
                found[key] += [_remark(line, code) for code in service.remarks]
    except (X12ReadError, OSError):
        return None
    return found


def _remark(line: Optional[str], code: str) -> dict:
    return {"line": line, "code": code, "description": describe_code("rarc", code)}


def rejected_entry(claim: dict) -> dict:
    """A rejected claim (a ``Tracker.claims`` summary) as a worklist entry."""
    return {**{k: claim[k] for k in CLAIM_FIELDS},
            "reasons": [_rejection(h) for h in claim["history"] if h["event"] in REJECTIONS]}


def _rejection(event: dict) -> dict:
    """A 999's IK5 code, or a 277CA's STC01 category and status code, in words."""
    code = event["code"]
    if event["kind"] == "999":
        words = {"ack_status": describe_code("ack_status", code)}
    else:
        category, _, status = code.partition(":")
        words = {"category": describe_code("claim_status_category", category),
                 "status": describe_code("claim_status", status) if status else None}
    return {"kind": event["kind"], "code": code, "description": words,
            "source": event["source"], "date": event["date"]}


def text_lines(worklists: dict) -> list[str]:
    lines = [f"Denied claims: {len(worklists['denied'])}"]
    for c in worklists["denied"]:
        lines.append(f"  {c['pcn']} ({c['billing_npi']}, payer {c['payer_id']}, payer claim "
                     f"{c['payer_claim_number'] or '-'}): charge {c['charge']}, denied "
                     f"{c['date'] or '-'} by {c['denied_by']}")
        lines += [f"    {'line ' + str(r['line']) if r['line'] is not None else 'claim':<8} "
                  f"{r['group']}-{r['reason']:<5} {r['amount']:>10}  {r['description'] or ''}"
                  for r in c["reasons"]]
        if c["remarks"] is None:
            lines.append("    remarks: the 835 cannot be read again")
        lines += [f"    {'line ' + r['line'] if r['line'] else 'claim':<8} remark "
                  f"{r['code']:<6} {r['description'] or ''}" for r in c["remarks"] or ()]
    lines += ["", f"Rejected claims: {len(worklists['rejected'])}"]
    for c in worklists["rejected"]:
        lines.append(f"  {c['pcn']} ({c['billing_npi']}, payer {c['payer_id']}): charge "
                     f"{c['charge']}")
        for r in c["reasons"]:
            words = "; ".join(w for w in r["description"].values() if w)
            lines.append(f"    {r['kind']:<5} {r['code']:<10} {words}  ({r['source']}, "
                         f"{r['date'] or '-'})")
    return lines
