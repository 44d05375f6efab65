"""``track report --html``: the report's document (``report.build``) as one page a browser
opens from disk, on a desk or a phone.

The page holds everything it shows: its style inline, its charts as inline SVG drawn here
(bars for the aging buckets and the largest adjustment reasons), no scripts, no fonts or
images from anywhere. A Content-Security-Policy meta tag forbids any load, so a page that
tried one would show the browser's error instead of leaking a request. Every value is
escaped. Every figure is the report document's own value, printed as the JSON prints it,
and its cell names where in the document it comes from (``data-path``, a JSON pointer such
as ``/by_payer/0/paid``), so a test can hold the page to the JSON; nothing is recomputed
here but the bars' lengths.
"""
from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import Iterable, Optional

NO_VALUE = "\u2014"       # an em dash where the document has null
TOP_REASONS = 10          # bars in the adjustments chart

STYLE = """
:root { color-scheme: light dark; --bar: #2f6db5; --muted: #667; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto;
       padding: 0.75rem; max-width: 72rem; }
h1 { font-size: 1.35rem; } h2 { font-size: 1.1rem; margin-top: 1.6rem; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; min-width: 100%; }
th, td { padding: 0.3rem 0.55rem; border-bottom: 1px solid #8884; text-align: left;
         white-space: nowrap; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.words { white-space: normal; min-width: 14rem; }
.facts { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; padding: 0; list-style: none; }
.facts b { font-variant-numeric: tabular-nums; }
svg { width: 100%; max-width: 34rem; height: auto; display: block; margin: 0.5rem 0; }
svg text { font: 16px system-ui, sans-serif; fill: currentColor; }
svg rect { fill: var(--bar); }
.muted { color: var(--muted); }
"""


def html_page(report: dict) -> str:
    """The whole page, as text."""
    body = [f"<h1>Tracker report as of {_cell_text(report['as_of'], '/as_of', 'time')}</h1>"]
    for section in (_payers, _aging, _adjustments, _days_to_payment, _patient_balances,
                    _provider_adjustments, _unmatched):
        body += section(report)
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        'style-src \'unsafe-inline\'">',
        f"<title>Tracker report {escape(report['as_of'])}</title>",
        f"<style>{STYLE}</style>", "</head>", "<body>", *body, "</body>", "</html>", ""])


def _shown(value) -> str:
    """A value as the JSON document prints it (null as a dash)."""
    return NO_VALUE if value is None else str(value)


def _cell_text(value, path: str, tag: str = "span") -> str:
    return f'<{tag} data-path="{escape(path)}">{escape(_shown(value))}</{tag}>'


def _table(caption: str, headers: Iterable[tuple[str, str]], rows: Iterable[list[str]],
           empty: str) -> list[str]:
    """A table in a box that scrolls sideways on a narrow screen. ``headers`` are
    (title, css class); each row is its cells' HTML."""
    rows = list(rows)
    if not rows:
        return [f'<p class="muted">{escape(empty)}</p>']
    head = "".join(f'<th class="{cls}" scope="col">{escape(title)}</th>'
                   for title, cls in headers)
    lines = ['<div class="scroll"><table>', f"<caption hidden>{escape(caption)}</caption>",
             f"<thead><tr>{head}</tr></thead>", "<tbody>"]
    lines += [f"<tr>{''.join(cells)}</tr>" for cells in rows]
    return lines + ["</tbody></table></div>"]


def _td(value, path: str, cls: str = "n") -> str:
    return f'<td class="{cls}" data-path="{escape(path)}">{escape(_shown(value))}</td>'


def _bars(title: str, bars: list[tuple[str, Optional[str], str]]) -> list[str]:
    """A horizontal bar chart: (label, amount as the document prints it, the amount's
    JSON pointer). Bars are scaled to the largest amount; an amount below zero (money
    given back) draws no bar but keeps its figure."""
    if not bars:
        return []
    largest = max((Decimal(amount) for _, amount, _ in bars if amount), default=Decimal(0))
    label_width, bar_width, height = 120, 260, 26
    total_height = height * len(bars) + 8
    out = [f'<svg role="img" viewBox="0 0 {label_width + bar_width + 110} {total_height}" '
           f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}">',
           f"<title>{escape(title)}</title>"]
    for row, (label, amount, path) in enumerate(bars):
        value = Decimal(amount) if amount else Decimal(0)
        width = int(bar_width * value / largest) if largest > 0 and value > 0 else 0
        y = row * height + 4
        out += [f'<text x="0" y="{y + 16}">{escape(label)}</text>',
                f'<rect x="{label_width}" y="{y + 3}" width="{width}" height="{height - 8}">'
                f"<title>{escape(label)}: {escape(_shown(amount))}</title></rect>",
                f'<text x="{label_width + width + 6}" y="{y + 16}" data-chart-path='
                f'"{escape(path)}">{escape(_shown(amount))}</text>']
    return out + ["</svg>"]


def _payers(report: dict) -> list[str]:
    fields = ("claims", "charge", "paid", "adjustments", "patient_responsibility", "balance")
    rows = [[_td(p["payer_id"], f"/by_payer/{i}/payer_id", ""),
             _td(p["payer_name"], f"/by_payer/{i}/payer_name", "")]
            + [_td(p[f], f"/by_payer/{i}/{f}") for f in fields]
            for i, p in enumerate(report["by_payer"])]
    headers = [("Payer id", ""), ("Payer", ""), ("Claims", "n"), ("Charge", "n"),
               ("Paid", "n"), ("Adjustments", "n"), ("Patient", "n"), ("Balance", "n")]
    return ["<h2>Totals by payer</h2>",
            *_table("Totals by payer", headers, rows, "No claims yet.")]


def _aging(report: dict) -> list[str]:
    aging = report["aging"]
    rows = [[_td(a["bucket"], f"/aging/{i}/bucket", ""), _td(a["claims"], f"/aging/{i}/claims"),
             _td(a["balance"], f"/aging/{i}/balance")] for i, a in enumerate(aging)]
    chart = _bars("Open balance by days from the claim date",
                  [(f"{a['bucket']} days", a["balance"], f"/aging/{i}/balance")
                   for i, a in enumerate(aging)])
    return ["<h2>Accounts receivable aging</h2>",
            '<p class="muted">Open balances, by days from the claim date.</p>', *chart,
            *_table("Aging", [("Days", ""), ("Open claims", "n"), ("Balance", "n")], rows,
                    "")]


def _adjustments(report: dict) -> list[str]:
    found = report["adjustments_by_carc"]
    rows = [[_td(a["group"], f"/adjustments_by_carc/{i}/group", ""),
             _td(a["group_description"], f"/adjustments_by_carc/{i}/group_description", ""),
             _td(a["reason"], f"/adjustments_by_carc/{i}/reason", ""),
             _td(a["description"], f"/adjustments_by_carc/{i}/description", "words"),
             _td(a["count"], f"/adjustments_by_carc/{i}/count"),
             _td(a["amount"], f"/adjustments_by_carc/{i}/amount"),
             _td(a["on_denied_claims"], f"/adjustments_by_carc/{i}/on_denied_claims")]
            for i, a in enumerate(found)]
    largest = sorted(enumerate(found), key=lambda ia: -Decimal(ia[1]["amount"]))[:TOP_REASONS]
    chart = _bars("Largest adjustments by group and reason",
                  [(f"{a['group']}-{a['reason']}", a["amount"],
                    f"/adjustments_by_carc/{i}/amount") for i, a in largest])
    headers = [("Group", ""), ("Group meaning", ""), ("CARC", ""), ("Reason", ""),
               ("Count", "n"), ("Amount", "n"), ("On denied claims", "n")]
    return ["<h2>Adjustments and denials by reason (CARC)</h2>", *chart,
            *_table("Adjustments by CARC", headers, rows, "No adjustments posted.")]


def _days_to_payment(report: dict) -> list[str]:
    d = report["days_to_payment"]
    facts = [("Claims paid", "claims"), ("Average days", "average"), ("Least", "least"),
             ("Most", "most")]
    return ["<h2>Days from claim to payment</h2>", '<ul class="facts">',
            *[f"<li>{escape(title)}: <b>{_cell_text(d[key], f'/days_to_payment/{key}')}"
              f"</b></li>" for title, key in facts], "</ul>"]


def _patient_balances(report: dict) -> list[str]:
    p = report["patient_balances"]
    rows = [[_td(b["pcn"], f"/patient_balances/largest/{i}/pcn", ""),
             _td(b["billing_npi"], f"/patient_balances/largest/{i}/billing_npi", ""),
             _td(b["amount"], f"/patient_balances/largest/{i}/amount")]
            for i, b in enumerate(p["largest"])]
    total = _cell_text(p["total"], "/patient_balances/total")
    owing = _cell_text(p["claims_with_patient_responsibility"],
                       "/patient_balances/claims_with_patient_responsibility")
    return ["<h2>Patient balances</h2>",
            f"<p>Patient responsibility <b>{total}</b> on <b>{owing}</b> claims; the "
            "largest:</p>",
            *_table("Largest patient balances", [("Claim (PCN)", ""), ("Billing NPI", ""),
                                                 ("Amount", "n")], rows,
                    "No patient balances.")]


def _provider_adjustments(report: dict) -> list[str]:
    rows = [[_td(a["reason"], f"/provider_adjustments/{i}/reason", ""),
             _td(a["description"], f"/provider_adjustments/{i}/description", "words"),
             _td(a["count"], f"/provider_adjustments/{i}/count"),
             _td(a["amount"], f"/provider_adjustments/{i}/amount")]
            for i, a in enumerate(report["provider_adjustments"])]
    return ["<h2>Provider-level adjustments (PLB)</h2>",
            *_table("PLB by reason", [("Reason", ""), ("Meaning", ""), ("Count", "n"),
                                      ("Amount", "n")], rows,
                    "No provider-level adjustments.")]


def _unmatched(report: dict) -> list[str]:
    u = report["unmatched"]
    return ["<h2>Unmatched payments</h2>",
            f"<p><b>{_cell_text(u['count'], '/unmatched/count')}</b> claim payments match "
            f"no claim yet, paid <b>{_cell_text(u['paid'], '/unmatched/paid')}</b>.</p>"]
