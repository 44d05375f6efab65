"""``x12kit track``: the claim-state tracker's commands, thin over ``x12kit.tracker``.

    x12kit track ingest --db URL FILE...     837P/I/D, 835 (and 999, 277CA, 277) files
    x12kit track claims --db URL [--state S] [--payer ID] [--older-than DAYS]
    x12kit track claim PCN --db URL          history, ledger and balance
    x12kit track unmatched --db URL          835 payments that match no claim yet
    x12kit track report --db URL [--as-of D] [--html OUT.html]
                                             totals, aging, denials, PLB ... (text/json/csv,
                                             or one self-contained page)

    x12kit track followup --db URL --older-than DAYS -o FILE.276 [--as-of D]
                                             276 status requests for the claims with no
                                             final answer after DAYS days
    x12kit track worklist --db URL           denied claims with their CARC/RARC reasons,
                                             rejected claims with their 999/277CA codes

``--db`` is ``sqlite:///path.db`` (default ``sqlite:///x12kit.db``, or $X12KIT_DB) or
``postgresql://user@host/db``. Exit codes as everywhere: 0 fine, 1 a file could not be
ingested or the database failed, 2 usage. Messages name files, positions and codes; the
values that identify a patient are printed only where a command's output is the claims.
"""
from __future__ import annotations

import json
import sys

import click

from x12kit.errors import EXIT_FINDINGS, EXIT_OK, X12ReadError
from x12kit.reader import source_name
from x12kit.render import Renderer

URL_SCHEMES = ("sqlite:///", "postgresql://", "postgresql+psycopg://")


def _check_url(_ctx, _param, url: str) -> str:
    if not url.startswith(URL_SCHEMES):
        raise click.BadParameter("expected sqlite:///PATH.db or postgresql://USER@HOST/DB")
    return url


DB = click.option("--db", "url", default="sqlite:///x12kit.db", show_default=True,
                  envvar="X12KIT_DB", callback=_check_url,
                  help="The tracker database: sqlite:///PATH.db or postgresql://...")


def _format(*choices: str):
    return click.option("--format", "fmt", type=click.Choice(choices), default="text",
                        show_default=True, help="Output for people or for programs.")


def _echo_json(document) -> None:
    """``click.echo(json.dumps(document, indent=2))``, written as it is encoded: the whole
    text of a large document is never held."""
    for chunk in json.JSONEncoder(indent=2).iterencode(document):
        sys.stdout.write(chunk)
    sys.stdout.write("\n")


def _open(url: str, read_ahead: tuple[str, ...] = ()):
    from x12kit.tracker import Tracker
    # a database that fails raises DatabaseError: one line, exit 1
    return Tracker(url, read_ahead)


@click.group()
def track() -> None:
    """Match 999, 277CA, 277 and 835 answers to the claims sent, post a ledger, report."""


@track.command()
@click.argument("files", nargs=-1, required=True)
@DB
@_format("text", "json")
def ingest(files: tuple[str, ...], url: str, fmt: str) -> None:
    """Ingest files, each in one transaction (the same content twice posts nothing)."""
    status, documents = EXIT_OK, []
    with _open(url, files[:1]) as tracker:     # the first file read while the database opens
        for path in files:
            name = source_name(path)
            try:
                result = tracker.ingest(path, name)
            except (X12ReadError, OSError) as error:
                status = EXIT_FINDINGS
                renderer = Renderer(path)
                click.echo(renderer.error_line(error), err=True)
                documents.append({"file": name, "error": renderer.error_dict(error)})
                continue
            documents.append(_ingest_document(result))
            if fmt == "text":
                for line in _ingest_lines(result):
                    click.echo(line)
    if fmt == "json":
        click.echo(json.dumps(documents, indent=2))
    sys.exit(status)


def _ingest_document(result) -> dict:
    document = result._asdict()
    document["file"] = document.pop("name")
    document["findings"] = [f._asdict() for f in result.findings]
    return document


def _ingest_lines(result) -> list[str]:
    if result.duplicate:
        return [f"{result.name}: {result.kind}: already ingested: nothing new posted"]
    counts = [f"{result.claims} claims", f"{result.payments} payments posted",
              f"{result.unmatched} unmatched", f"{result.resolved} waiting payments matched",
              f"{result.answers} answers", f"{result.entries} ledger entries"]
    return [f"{result.name}: {result.kind}: " + ", ".join(counts)] + [
        f"{result.name}: item {f.position}: {f.code}: {f.message}" for f in result.findings]


@track.command()
@DB
@_format("text", "json")
@click.option("--state", type=click.Choice(["submitted", "rejected", "accepted", "pending",
                                            "paid", "denied", "reversed"]))
@click.option("--payer", help="Only the claims of this payer id (2010BB NM109).")
@click.option("--older-than", type=click.IntRange(min=0), metavar="DAYS",
              help="Only claims whose claim date is more than DAYS days ago.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many claims.")
def claims(url: str, fmt: str, state, payer, older_than, limit) -> None:
    """The claims with their state, amounts, adjustments, balance and history."""
    with _open(url) as tracker:
        found = tracker.claims(state=state, payer=payer, older_than=older_than, limit=limit)
    if fmt == "json":
        click.echo(json.dumps(found, indent=2))
        return
    for c in found:
        click.echo(f"{c['pcn']}  {c['billing_npi']}  {c['state']:<9}  charge {c['charge']}  "
                   f"paid {c['paid']}  patient {c['patient_responsibility']}  "
                   f"balance {c['balance']}")


@track.command()
@click.argument("pcn")
@DB
@click.option("--npi", help="The billing provider's NPI, where two providers use the PCN.")
@_format("text", "json")
def claim(pcn: str, url: str, npi, fmt: str) -> None:
    """One claim's history, ledger and balance (exit 1 when no claim has that PCN)."""
    with _open(url) as tracker:
        found = tracker.claim(pcn, npi)
    if fmt == "json":
        click.echo(json.dumps(found, indent=2))
    else:
        for c in found:
            for line in _claim_lines(c):
                click.echo(line)
    if not found:
        click.echo("error: no claim has that PCN", err=True)
        sys.exit(EXIT_FINDINGS)


def _claim_lines(c: dict) -> list[str]:
    lines = [f"claim {c['pcn']} (billing NPI {c['billing_npi']}, payer {c['payer_id']}, "
             f"payer claim number {c['payer_claim_number'] or '-'}): {c['state']}"]
    if c["superseded_by"]:
        lines.append(f"  superseded by claim {c['superseded_by']}")
    lines.append("  history:")
    lines += [f"    {h['date'] or '-'}  {h['kind']:<6} {h['event']:<15} {h['code']:<4} "
              f"{h['source']}" for h in c["history"]]
    lines.append("  ledger:")
    lines += [f"    {e['kind']:<11} {e['group']:<2} {e['reason']:<5} "
              f"line {e['line'] if e['line'] is not None else '-':<3} {e['amount']:>12}  "
              f"{e['source']}" for e in c["ledger"]]
    adjustments = ", ".join(f"{g} {a}" for g, a in c["adjustments"].items()) or "none"
    lines.append(f"  charge {c['charge']}, paid {c['paid']}, adjustments {adjustments}, "
                 f"patient responsibility {c['patient_responsibility']}, "
                 f"balance {c['balance']}")
    return lines


@track.command()
@DB
@_format("text", "json")
def unmatched(url: str, fmt: str) -> None:
    """The 835 claim payments that match no claim yet."""
    with _open(url) as tracker:
        waiting = tracker.unmatched()
    if fmt == "json":
        click.echo(json.dumps(waiting, indent=2))
        return
    for u in waiting:
        click.echo(f"{u['pcn']}  payer claim {u['payer_claim_number'] or '-'}  "
                   f"paid {u['paid']}  {u['source']}")


@track.command()
@DB
@_format("text", "json", "csv")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]),
              help="The day aging counts to (default today).")
@click.option("--html", "html_path", type=click.Path(dir_okay=False), metavar="OUT.html",
              help="Also write the report as one self-contained page (charts inline, "
                   "nothing loaded from the network).")
def report(url: str, fmt: str, as_of, html_path) -> None:
    """Totals by payer, aging, adjustments and denials by CARC, days to payment, patient
    balances, PLB and unmatched payments."""
    from x12kit.tracker.report import csv_text, text_lines
    with _open(url) as tracker:
        found = tracker.report(as_of.date() if as_of else None)
    if html_path:
        _write_html(found, html_path)
        return
    if fmt == "json":
        click.echo(json.dumps(found, indent=2))
    elif fmt == "csv":
        click.echo(csv_text(found), nl=False)
    else:
        for line in text_lines(found):
            click.echo(line)


def _write_html(found: dict, path: str) -> None:
    from x12kit.output import AllOrNothing
    from x12kit.tracker.report_html import html_page
    try:
        with AllOrNothing() as files, open(files.temporary_for(path), "w",
                                           encoding="utf-8") as out:
            out.write(html_page(found))
    except OSError as error:
        click.echo(f"error: {path}: cannot write the report: {error.strerror}", err=True)
        sys.exit(EXIT_FINDINGS)
    click.echo(f"report written to {path}", err=True)


@track.command()
@DB
@_format("text", "json")
@click.option("--older-than", type=click.IntRange(min=0), metavar="DAYS", required=True,
              help="Ask about claims whose claim date is more than DAYS days ago.")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]),
              help="The day the age counts to (default today).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              metavar="FILE.276", help="Where the 276 status requests go.")
@click.option("--control-number", type=click.IntRange(min=1),
              help="ISA13/GS06/ST02 start here (default: the counter file).")
@click.option("--counter", type=click.Path(dir_okay=False),
              help="The control number counter file (default FILE.276's folder/"
                   ".x12kit-control-number).")
def followup(url: str, fmt: str, older_than: int, as_of, output: str, control_number,
             counter) -> None:
    """276 status requests for the claims sent more than DAYS days ago that are still
    submitted, accepted or pending. The parties come from each claim's own 837, read again
    from where it was ingested; a claim whose 837 cannot be read is named on stderr (exit
    1). No claim to ask about: no file, exit 0."""
    from x12kit.tracker.followup import asked_row, asked_rows, question, status_requests
    from x12kit.tracker.followup_file import write_requests
    questions, candidates, missing = [], [], []
    with _open(url) as tracker:
        for claim in tracker.followups(older_than, as_of.date() if as_of else None):
            questions.append(question(claim))
            candidates.append(asked_row(claim))
    written, problems = write_requests(status_requests(questions, missing), output,
                                       control_number, counter)
    for problem in problems:
        click.echo(f"error: {output}: {problem}", err=True)
    if problems:
        sys.exit(EXIT_FINDINGS)
    for m in missing:
        click.echo(f"error: claim {m.pcn} ({m.billing_npi}): {m.source}: {m.reason}", err=True)
    asked = asked_rows(candidates, missing)
    if fmt == "json":
        _echo_json({"file": output if written else None, "asked": asked})
    else:
        for c in asked:
            click.echo(f"{c['pcn']}  {c['billing_npi']}  {c['state']:<9}  claim date "
                       f"{c['claim_date'] or '-'}  charge {c['charge']}")
        click.echo(f"{len(asked)} status requests written to {output}" if written else
                   "no claim waits for an answer that long: nothing written", err=True)
    sys.exit(EXIT_FINDINGS if missing else EXIT_OK)


@track.command()
@DB
@_format("text", "json")
def worklist(url: str, fmt: str) -> None:
    """Denied claims with their reasons (CARC and RARC) in words, and rejected claims with
    their 999/277CA codes in words."""
    from x12kit.tracker.worklists import text_lines
    with _open(url) as tracker:
        found = tracker.worklists()
    if fmt == "json":
        click.echo(json.dumps(found, indent=2))
        return
    for line in text_lines(found):
        click.echo(line)
