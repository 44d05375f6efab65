"""The ``x12kit`` command: thin click commands over library calls.

Exit codes: 0 the input is fine; 1 the input has errors (findings, or it cannot be read);
2 the command line is wrong. Bad input never shows a traceback: each finding is one line,
``FILE:BYTE: seg #N ID [LOOP] [ELEMENT] [ACK CODE] code: message``.
"""
from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import click

from . import log
from .diagnostics import Diagnostic, Level, Severity, X12ReadError
from .reader import read_segments, source_name
from .segment import Delimiters

EXIT_OK, EXIT_FINDINGS = 0, 1  # and 2, from click, for usage errors
ACK_NAMES = {Level.INTERCHANGE: "TA1", Level.GROUP: "AK905", Level.TRANSACTION: "IK502",
             Level.SEGMENT: "IK304", Level.ELEMENT: "IK403"}
FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                      show_default=True, help="Output for people or for programs.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="Log progress to stderr (-vv for debug).")
@click.option("--log-json", is_flag=True, help="Log as JSON lines.")
@click.version_option(package_name="x12kit")
def main(verbose: int, log_json: bool) -> None:
    """Read, check, split and acknowledge HIPAA X12 5010 files.

    Exit codes: 0 no errors, 1 errors in the input, 2 usage error."""
    log.configure(verbose, log_json)


def finding_line(name: str, d: Diagnostic, show_values: bool = False) -> str:
    """One finding as the line a person reads (no element values unless asked)."""
    where = " ".join(p for p in (f"seg #{d.segment_number}" if d.segment_number else "",
                                 d.segment_id, d.loop_id, d.element_ref) if p)
    ack = f"[{ACK_NAMES[d.level]} {d.ack_code}] " if d.ack_code else ""
    value = f" (value {d.value!r})" if show_values and d.value else ""
    severity = "" if d.severity is Severity.ERROR else f"{d.severity.value}: "
    return f"{name}:{max(d.offset, 0)}: {where} {ack}{severity}{d.code}: {d.message}{value}"


def read_error_line(name: str, error: X12ReadError) -> str:
    return f"{name}:{max(error.offset, 0)}: error: {error.message}"


def _emit(fmt: str, text_lines: list[str], document: object) -> None:
    if fmt == "json":
        click.echo(json.dumps(document, indent=2))
    else:
        for line in text_lines:
            click.echo(line)


@main.command()
@click.argument("files", nargs=-1, required=True)
@FORMAT
def info(files: tuple[str, ...], fmt: str) -> None:
    """Summarise each file: interchanges, groups, sets, counts; and check its envelopes."""
    from .summary import summarize
    status, lines, documents = EXIT_OK, [], []
    for path in files:
        name = source_name(path)
        try:
            interchanges, findings = summarize(read_segments(path))
        except (X12ReadError, OSError) as error:
            status = EXIT_FINDINGS
            lines.append(_unreadable(name, error))
            documents.append({"file": name, "error": _error_text(error)})
            continue
        if any(d.is_error for d in findings):
            status = EXIT_FINDINGS
        lines += _info_lines(name, interchanges) + [finding_line(name, d) for d in findings]
        documents.append({"file": name, "interchanges": interchanges,
                          "findings": [d.as_dict() for d in findings]})
    _emit(fmt, lines, documents)
    sys.exit(status)


def _info_lines(name: str, interchanges: list[dict]) -> list[str]:
    lines = [f"{name}: {len(interchanges)} interchange(s)"]
    for isa in interchanges:
        lines.append(f"  ISA {isa['control_number']} {isa['sender']} -> {isa['receiver']} "
                     f"{isa['date']} {isa['time']} version {isa['version']} {isa['usage']}")
        for gs in isa["groups"]:
            lines.append(f"    GS {gs['control_number']} {gs['functional_id']} "
                         f"{gs['sender']} -> {gs['receiver']} {gs['date']} {gs['implementation']}")
            for st in gs["transactions"]:
                counts = {k: v for k, v in st.items() if isinstance(v, int) and k != "segments"}
                levels = " ".join(f"HL{k}={v}" for k, v in sorted(st["hl_levels"].items()))
                extra = " ".join(f"{k}={v}" for k, v in counts.items())
                lines.append(f"      ST {st['id']} {st['control_number']} {st['implementation']}"
                             f" segments={st['segments']} {extra} {levels}".rstrip())
    return lines


@main.command()
@click.argument("file")
@click.option("--by", type=click.Choice(["interchange", "group", "transaction"]),
              required=True, help="The level to cut at.")
@click.option("-o", "--out-dir", type=click.Path(file_okay=False), required=True)
@FORMAT
def split(file: str, by: str, out_dir: str, fmt: str) -> None:
    """Cut FILE into complete interchanges, one per interchange, group or set."""
    from .split import split_file
    name = source_name(file)
    stem, suffix = (Path(file).stem, Path(file).suffix or ".x12") if file != "-" else ("stdin", ".x12")
    try:
        paths = split_file(read_segments(file), by, Path(out_dir), stem, suffix)
    except (X12ReadError, OSError) as error:
        click.echo(_unreadable(name, error), err=fmt == "json")
        sys.exit(EXIT_FINDINGS)
    _emit(fmt, [str(p) for p in paths], {"file": name, "pieces": [str(p) for p in paths]})


@main.command()
@click.argument("file")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Default: stdout.")
@click.option("--delimiters", metavar="ECRS",
              help="Four characters: element, component, repetition, segment separators "
                   "(e.g. '*:^~'). Default: each interchange keeps its own.")
def normalize(file: str, output: str | None, delimiters: str | None) -> None:
    """Write FILE one segment per line, layout removed (wrapping, indentation, BOM)."""
    from .writer import X12WriteError, write_segments
    chosen = None
    if delimiters is not None:
        if len(delimiters) != 4 or Delimiters(*delimiters).clash():
            raise click.BadParameter("give four different characters, e.g. '*:^~'",
                                     param_hint="--delimiters")
        chosen = Delimiters(*delimiters)
    out = open(output, "wb") if output else sys.stdout.buffer
    try:
        write_segments(read_segments(file), out, delimiters=chosen, layout="lines")
    except (X12ReadError, X12WriteError, OSError) as error:
        click.echo(_unreadable(source_name(file), error), err=True)
        sys.exit(EXIT_FINDINGS)
    finally:
        if output:
            out.close()


@main.command()
@click.argument("file")
@click.option("--ta1", is_flag=True, required=True, help="Answer each interchange with a TA1.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Default: stdout.")
@click.option("--control-number", type=int, default=1, show_default=True,
              help="ISA13 of the first acknowledgment interchange.")
def ack(file: str, ta1: bool, output: str | None, control_number: int) -> None:
    """Acknowledge FILE: a TA1 per interchange (A accepted, E with notes, R rejected)."""
    from .acks.ta1 import interchange_findings, ta1_interchange
    from .writer import write_segments
    name = source_name(file)
    out = open(output, "wb") if output else sys.stdout.buffer
    rejected = False
    try:
        now = datetime.now()
        for number, (isa, findings) in enumerate(
                interchange_findings(read_segments(file)), start=control_number):
            write_segments(ta1_interchange(isa, findings, number, now), out, layout="lines")
            rejected |= any(d.is_error for d in findings)
            for d in findings:
                click.echo(finding_line(name, d), err=True)
    except (X12ReadError, OSError) as error:
        click.echo(_unreadable(name, error), err=True)
        sys.exit(EXIT_FINDINGS)
    finally:
        if output:
            out.close()
    sys.exit(EXIT_FINDINGS if rejected else EXIT_OK)


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--snip", type=click.IntRange(1, 5), default=5, show_default=True,
              help="Depth: 1 envelope, 2 guide structure and elements, 3 balancing, "
                   "4 situational rules, 5 external code sets.")
@FORMAT
@click.option("--ack-dir", type=click.Path(file_okay=False),
              help="Write a 999 per input (FILE.999) and, for interchange faults or when "
                   "ISA14 asks for one, a TA1 (FILE.ta1).")
@click.option("--show-values", is_flag=True,
              help="Show element values in findings and 999 IK404 (they may be PHI).")
@click.option("--jobs", type=click.IntRange(0), default=0, show_default=True,
              help="Worker processes checking the transaction sets of a large file "
                   "(1 MiB or more, not compressed); 0: one per core, 1: none.")
def validate(files: tuple[str, ...], snip: int, fmt: str, ack_dir: str | None,
             show_values: bool, jobs: int) -> None:
    """Validate each FILE against its implementation guide, set by set.

    Exit 0 when nothing is rejected (warnings are printed but pass), 1 when any set, group
    or interchange is rejected or a file cannot be read."""
    from .validate.parallel import default_jobs
    from .validate.pipeline import validate as validate_source
    jobs = jobs or default_jobs()
    status, documents = EXIT_OK, []
    for path in files:
        name = source_name(path)
        document: dict = {"file": name, "interchanges": []}
        documents.append(document)
        acks = _AckWriter(ack_dir, path, show_values) if ack_dir else None
        try:
            for report in validate_source(path, snip, jobs):
                status = max(status, EXIT_OK if report.accepted else EXIT_FINDINGS)
                document["interchanges"].append(_report_document(report, show_values))
                if fmt == "text":
                    for d in report.findings():
                        click.echo(finding_line(name, d, show_values))
                    for line in _verdict_lines(name, report):
                        click.echo(line)
                if acks:
                    acks.write(report)
        except (X12ReadError, OSError) as error:
            status = EXIT_FINDINGS
            document["error"] = _error_text(error)
            if fmt == "text":
                click.echo(_unreadable(name, error))
        finally:
            if acks:
                acks.close()
    if fmt == "json":
        click.echo(json.dumps(documents, indent=2))
    sys.exit(status)


def _report_document(report, show_values: bool) -> dict:
    return {"control_number": report.header.element(13),
            "diagnostics": [d.as_dict(show_values) for d in report.diagnostics],
            "groups": [{"functional_id": g.header.element(1),
                        "control_number": g.header.element(6),
                        "diagnostics": [d.as_dict(show_values) for d in g.diagnostics],
                        "transactions": [t.as_dict(show_values) for t in g.sets]}
                       for g in report.groups]}


def _verdict_lines(name: str, report) -> list[str]:
    lines = []
    for group in report.groups:
        for st in group.sets:
            errors = sum(d.is_error for d in st.diagnostics)
            lines.append(f"{name}: ST {st.header.element(1)} {st.header.element(2)} "
                         f"{st.implementation or '-'}: {st.status}"
                         + (f" ({errors} error(s))" if errors else ""))
    return lines


class _AckWriter:
    """FILE.999 (and FILE.ta1 when due) in the ack directory, one interchange per input one."""

    def __init__(self, ack_dir: str, path: str, show_values: bool) -> None:
        folder = Path(ack_dir)
        folder.mkdir(parents=True, exist_ok=True)
        stem = "stdin" if path == "-" else Path(path).name
        self.paths = (folder / f"{stem}.999", folder / f"{stem}.ta1")
        self.files: dict = {}
        self.show_values = show_values
        self.number = 0
        self.now = datetime.now()

    def write(self, report) -> None:
        from .acks.ack999 import ack_999
        from .acks.ta1 import ta1_interchange
        from .writer import write_segments
        if not report.header.elements[0] == "ISA":
            return
        self.number += 1
        if report.groups:
            write_segments(ack_999(report, self.now, self.number, self.show_values),
                           self._file(0), layout="lines")
        if report.diagnostics or report.header.element(14) == "1":
            write_segments(ta1_interchange(report.header, report.diagnostics, self.number,
                                           self.now), self._file(1), layout="lines")

    def _file(self, which: int):
        if which not in self.files:
            self.files[which] = open(self.paths[which], "wb")
        return self.files[which]

    def close(self) -> None:
        for handle in self.files.values():
            handle.close()


def _unreadable(name: str, error: Exception) -> str:
    if isinstance(error, X12ReadError):
        return read_error_line(name, error)
    return f"{name}:0: error: {_error_text(error)}"


def _error_text(error: Exception) -> str:
    if isinstance(error, OSError):  # a file that cannot be opened names itself
        return f"cannot read: {error.strerror}" if error.filename else str(error.strerror or error)
    return str(getattr(error, "message", error))


from .commands import track  # noqa: E402,F401  (adds the `x12kit track` group to main)

if __name__ == "__main__":  # pragma: no cover
    main()
