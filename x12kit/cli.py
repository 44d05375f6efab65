"""The ``x12kit`` command: thin click commands over library calls.

Every command takes ``--format text|json``, ``-o/--output`` and ``-`` for stdin. Exit codes:
0 the input is fine; 1 the input has errors (findings, or it cannot be read); 2 the command
line is wrong; 141 the reader of the output went away (``x12kit validate big | head``).
Bad input never shows a traceback: the findings are rendered by ``x12kit.render``.
"""
from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import click

from . import log
from .errors import EXIT_BROKEN_PIPE, EXIT_FINDINGS, EXIT_OK, X12Error, X12ReadError
from .inputs import expand
from .reader import MAX_GUNZIP_BYTES_ENV, read_segments
from .render import Renderer, Totals
from .segment import Delimiters

from .acks import COUNTER_FILE  # in the ack folder, unless --counter names another


class _Commands(click.Group):
    """Ends every command the same way: an ``X12Error`` not tied to one input exits with
    its code after one line; a closed output pipe ends the command quietly."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            _stop_writing_stdout()
            ctx.exit(EXIT_BROKEN_PIPE)
        except X12Error as error:
            click.echo(f"x12kit: error: {error}", err=True)
            ctx.exit(error.exit_code)


def _stop_writing_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's last flush finds no closed pipe
    (and prints nothing about it)."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout is no file (a test runner's)
        pass


def _format(command):
    return click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                        show_default=True, help="Output for people or for programs.")(command)


def _output(help_text: str):
    return click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True),
                        help=help_text + " Default: stdout.")


def _numbering(command):
    command = click.option(
        "--counter", type=click.Path(dir_okay=False),
        help=f"A file keeping the next acknowledgment control number across runs (default "
             f"with --ack-dir: DIR/{COUNTER_FILE}).")(command)
    return click.option(
        "--control-number", type=click.IntRange(1, 999_999_999),
        help="The first control number (ISA13, GS06, ST02) of the acknowledgments written; "
             "default: the counter's, else 1.")(command)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="Log progress to stderr (-vv for debug).")
@click.option("--log-json", is_flag=True, help="Log as JSON lines.")
@click.option("--max-gunzip-bytes", type=click.IntRange(1), envvar=MAX_GUNZIP_BYTES_ENV,
              help="The most bytes gzip input may decompress to (default 64 GiB; also "
                   f"{MAX_GUNZIP_BYTES_ENV}).")
@click.version_option(package_name="x12kit")
def main(verbose: int, log_json: bool, max_gunzip_bytes: int | None) -> None:
    """Read, validate, acknowledge, convert, show, build and track HIPAA X12 5010 files.

    Exit codes: 0 no errors, 1 errors in the input, 2 usage error, 141 output pipe closed."""
    log.configure(verbose, log_json)
    if max_gunzip_bytes:  # the reader, and validation's worker processes, read it from there
        os.environ[MAX_GUNZIP_BYTES_ENV] = str(max_gunzip_bytes)


@contextmanager
def _text_out(output: str | None):
    if output in (None, "-"):
        yield sys.stdout
    else:
        with open(output, "w", encoding="utf-8") as out:
            yield out


@contextmanager
def _binary_out(output: str | None):
    if output in (None, "-"):
        yield sys.stdout.buffer
    else:
        with open(output, "wb") as out:
            yield out


def _echo(lines: list[str], out, err: bool = False) -> None:
    for line in lines:
        click.echo(line, file=out, err=err)


def _dump(document: object, out, err: bool = False) -> None:
    click.echo(json.dumps(document, indent=2), file=out, err=err)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@_format
@_output("Where the summaries go.")
def info(inputs: tuple[str, ...], fmt: str, output: str | None) -> None:
    """Summarise each input (a file, a folder of them, or - for stdin): interchanges, groups,
    sets, counts; and check their envelopes."""
    from .summary import summarize
    status, documents, totals = EXIT_OK, [], Totals()
    with _text_out(output) as out:
        for path in expand(inputs):
            renderer = Renderer(path)
            totals.files += 1
            try:
                interchanges, findings = summarize(read_segments(path))
            except (X12ReadError, OSError) as error:
                status, totals.unreadable = EXIT_FINDINGS, totals.unreadable + 1
                documents.append({"file": renderer.name, "error": renderer.error_dict(error)})
                if fmt == "text":
                    _echo([renderer.error_line(error)], out)
                continue
            totals.add_summary(interchanges, findings)
            if any(d.is_error for d in findings):
                status = EXIT_FINDINGS
            if fmt == "json":
                documents.append(renderer.summary_dict(interchanges, findings))
            else:
                _echo(renderer.summary_lines(interchanges, findings), out)
        if fmt == "json":
            _dump(documents, out)
        elif totals.files > 1:
            _echo([totals.line(verdicts=False)], out)
    sys.exit(status)


@main.command()
@click.argument("file")
@click.option("--by", type=click.Choice(["interchange", "group", "transaction"]),
              required=True, help="The level to cut at.")
@click.option("-o", "--output", "--out-dir", "out_dir", type=click.Path(file_okay=False),
              required=True, help="The folder the pieces go to.")
@click.option("--fix-counts", is_flag=True,
              help="Write the SE01/GE01/IEA01 counts the pieces hold, and missing trailers, "
                   "and list each change (default: keep the original's and report them).")
@_format
def split(file: str, by: str, out_dir: str, fix_counts: bool, fmt: str) -> None:
    """Cut FILE (or - for stdin) into interchanges, one per interchange, group or set.

    Each count the original got wrong (or trailer it lacks) is a line on stderr saying what
    the pieces carry; exit 1 when the pieces keep such errors. On a read error no piece is
    written."""
    from .split import split_file
    renderer = Renderer(file)
    stem, suffix = (Path(file).stem, Path(file).suffix or ".x12") if file != "-" else ("stdin", ".x12")
    try:
        paths, findings = split_file(read_segments(file), by, Path(out_dir), stem, suffix,
                                     fix_counts)
    except (X12ReadError, OSError) as error:
        _report_error(renderer, error, fmt)
        sys.exit(EXIT_FINDINGS)
    if fmt == "json":
        _dump({"file": renderer.name, "pieces": [str(p) for p in paths],
               "findings": [renderer.finding_dict(d) for d in findings]}, None)
    else:
        _echo([renderer.finding_line(d) for d in findings], None, err=True)
        _echo([str(p) for p in paths], None)
    sys.exit(EXIT_FINDINGS if any(d.is_error for d in findings) else EXIT_OK)


def _report_error(renderer: Renderer, error: Exception, fmt: str) -> None:
    """An input that cannot be read (or written), on stderr: the command's output is data."""
    if fmt == "json":
        _dump({"file": renderer.name, "error": renderer.error_dict(error)}, None, err=True)
    else:
        _echo([renderer.error_line(error)], None, err=True)


@main.command()
@click.argument("file")
@_output("Where the normalized X12 goes.")
@click.option("--delimiters", metavar="ECRS",
              help="Four characters: element, component, repetition, segment separators "
                   "(e.g. '*:^~'). Default: each interchange keeps its own.")
@_format
def normalize(file: str, output: str | None, delimiters: str | None, fmt: str) -> None:
    """Write FILE (or - for stdin) one segment per line, layout removed (wrapping,
    indentation, BOM). --format says how errors are reported on stderr. On an error, OUT is
    not written (nor an earlier OUT changed)."""
    from .normalize import normalize as normalize_segments
    from .output import AllOrNothing
    from .writer import X12WriteError
    chosen = None
    if delimiters is not None:
        if len(delimiters) != 4 or Delimiters(*delimiters).clash():
            raise click.BadParameter("give four different characters, e.g. '*:^~'",
                                     param_hint="--delimiters")
        chosen = Delimiters(*delimiters)
    try:
        if output in (None, "-"):
            normalize_segments(read_segments(file), sys.stdout.buffer, chosen)
        else:
            with AllOrNothing() as files, open(files.temporary_for(output), "xb") as out:
                normalize_segments(read_segments(file), out, chosen)
    except (X12ReadError, X12WriteError, OSError) as error:
        if isinstance(error, BrokenPipeError):
            raise
        _report_error(Renderer(file), error, fmt)
        sys.exit(EXIT_FINDINGS)


@main.command()
@click.argument("file")
@_output("Where the acknowledgments go.")
@click.option("--snip", type=click.IntRange(1, 5), default=5, show_default=True,
              help="Depth of the validation the 999 reports (as for validate).")
@click.option("--ta1", "ta1_only", is_flag=True,
              help="Only a TA1 per interchange (every one, accepted or not), no 999.")
@click.option("--277ca", "claim_acks", is_flag=True,
              help="Only a 277CA: each claim of the 837 sets the 999 would accept, "
                   "accepted or rejected from its own findings, as validate --277ca (FILE "
                   "is read twice: not stdin).")
@click.option("--show-values", is_flag=True,
              help="Show element values in findings and 999 IK404 (they may be PHI).")
@_numbering
@_format
def ack(file: str, output: str | None, snip: int, ta1_only: bool, claim_acks: bool,
        show_values: bool, control_number: int | None, counter: str | None,
        fmt: str) -> None:
    """Answer FILE (or - for stdin) with the acknowledgments due, per interchange: a 999 for
    its groups, and a TA1 where the interchange has faults or its ISA14 asks for one.

    The findings go to stderr; exit 1 when anything is rejected."""
    from .acks.numbers import ControlNumbers
    if claim_acks and (ta1_only or file == "-"):
        raise click.UsageError("--277ca reads FILE twice (not stdin), and not with --ta1")
    from .generate.problems import GenerateError
    numbers = ControlNumbers(control_number, counter)
    renderer = Renderer(file, show_values)
    lines: list[str] = []
    document: dict = {"file": renderer.name, "findings": []}
    try:
        with _binary_out(output) as out:
            answer = _ta1_only if ta1_only else _claim_acks if claim_acks else _acks_due
            rejected = answer(file, out, numbers, renderer, snip, lines, document)
    except (X12ReadError, OSError, GenerateError) as error:
        if isinstance(error, BrokenPipeError):
            raise
        rejected = True
        lines.append(renderer.error_line(error))
        document["error"] = renderer.error_dict(error)
    if fmt == "json":
        _dump(document, None, err=True)
    else:
        _echo(lines, None, err=True)
    sys.exit(EXIT_FINDINGS if rejected else EXIT_OK)


def _acks_due(file, out, numbers, renderer: Renderer, snip: int, lines: list[str],
              document: dict) -> bool:
    from .acks.due import acks_due, write_ack
    from .validate.parallel import default_jobs
    from .validate.pipeline import validate as validate_source
    now, rejected = datetime.now(), False
    for report in validate_source(file, snip, default_jobs()):
        for _, segments in acks_due(report, now, renderer.show_values):
            write_ack(segments, out, numbers)
        rejected |= not report.accepted
        lines += renderer.report_lines(report)
        document["findings"] += [renderer.finding_dict(d) for d in report.findings()]
    return rejected


def _claim_acks(file, out, numbers, renderer: Renderer, snip: int, lines: list[str],
                document: dict) -> bool:
    from .acks.ack277ca import SetVerdicts, write_277ca
    from .validate.parallel import default_jobs
    from .validate.pipeline import validate as validate_source
    verdicts, rejected = SetVerdicts(), False
    for report in validate_source(file, snip, default_jobs(), claims_answered=True):
        verdicts.feed_report(report)
        rejected |= not report.accepted
        lines += renderer.report_lines(report)
        document["findings"] += [renderer.finding_dict(d) for d in report.findings()]
    return write_277ca(file, verdicts, out, numbers).rejected > 0 or rejected


def _ta1_only(file, out, numbers, renderer: Renderer, _snip: int, lines: list[str],
              document: dict) -> bool:
    from .acks.due import write_ack
    from .acks.ta1 import interchange_findings, ta1_interchange
    now, rejected = datetime.now(), False
    for isa, findings in interchange_findings(read_segments(file)):
        write_ack(ta1_interchange(isa, findings, 1, now), out, numbers)
        rejected |= any(d.is_error for d in findings)
        lines += [renderer.finding_line(d) for d in findings]
        document["findings"] += [renderer.finding_dict(d) for d in findings]
    return rejected


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--snip", type=click.IntRange(1, 5), default=5, show_default=True,
              help="Depth: 1 envelope, 2 guide structure and elements, 3 balancing, "
                   "4 situational rules, 5 external code sets.")
@_format
@_output("Where the findings go.")
@click.option("--ack-dir", type=click.Path(file_okay=False),
              help="Write a 999 per input (NAME.999) and, for interchange faults or when "
                   "ISA14 asks for one, a TA1 (NAME.ta1); never over an existing file "
                   "(NAME-2.999, ...).")
@click.option("--277ca", "claim_acks", is_flag=True,
              help="With --ack-dir, also a 277CA (NAME.277ca) answering each claim of the "
                   "837 sets the 999 accepts; a claim's own business-rule errors (SNIP 3-5) "
                   "then reject the claim there, not its set. Each claim file is read a "
                   "second time (not stdin) and costs several times the validation.")
@_numbering
@click.option("--show-values", is_flag=True,
              help="Show element values in findings and 999 IK404 (they may be PHI).")
@click.option("--jobs", type=click.IntRange(0), default=0, show_default=True,
              help="Worker processes checking the transaction sets of a large file "
                   "(1 MiB or more, not compressed); 0: one per core, 1: none.")
def validate(inputs: tuple[str, ...], snip: int, fmt: str, output: str | None,
             ack_dir: str | None, claim_acks: bool, control_number: int | None,
             counter: str | None, show_values: bool, jobs: int) -> None:
    """Validate each input (a file, a folder of them, or - for stdin) against its
    implementation guide, set by set.

    Exit 0 when nothing is rejected (warnings are printed but pass), 1 when any set, group
    or interchange is rejected or an input cannot be read."""
    from .acks.due import AckFiles, ControlNumbers
    from .generate.problems import GenerateError
    from .places import ElementNames
    from .validate.jsonstream import JsonEventWriter
    from .validate.parallel import default_jobs
    from .validate.pipeline import validate_events
    jobs = jobs or default_jobs()
    if claim_acks and not ack_dir:
        raise click.UsageError("--277ca writes into --ack-dir: give both")
    if ack_dir:
        numbers = ControlNumbers(control_number, counter or Path(ack_dir) / COUNTER_FILE)
    status, totals, names, now = EXIT_OK, Totals(), ElementNames(), datetime.now()
    with _text_out(output) as out:
        document = JsonEventWriter(lambda text: out.write(text)) if fmt == "json" else None
        for path in expand(inputs, skip=[ack_dir] if ack_dir else []):
            renderer = Renderer(path, show_values, names)
            totals.files += 1
            acks = AckFiles(ack_dir, _input_name(path), numbers, now, show_values,
                            claims=path if claim_acks and path != "-" else None) \
                if ack_dir else None
            error = None
            if document:
                document.file(renderer)
            try:
                # each set's findings and verdict as the set ends: output streams, memory
                # stays flat however many sets a file holds
                answered = claim_acks and path != "-"   # by a 277CA, claim by claim
                for event in validate_events(path, snip, jobs, answered):
                    if not totals.add_event(event):
                        status = EXIT_FINDINGS
                    if document:
                        document.feed(event)
                    else:
                        _echo(renderer.event_lines(event), out)
                    if acks:
                        acks.feed(event)
                if acks and acks.answer_claims():
                    status = EXIT_FINDINGS
            except (X12ReadError, OSError, GenerateError) as failure:
                if isinstance(failure, BrokenPipeError):
                    raise
                status, totals.unreadable = EXIT_FINDINGS, totals.unreadable + 1
                error = renderer.error_dict(failure)
                if not document:
                    _echo([renderer.error_line(failure)], out)
                if acks:
                    acks.abort()
            finally:
                if acks:
                    acks.close()
                if document:
                    document.end_file(error, **({"acks": acks.written} if acks else {}))
            if acks and not document:
                _echo([f"{renderer.name}: ack {p}" for p in acks.written], out)
        if document:
            document.close()
        elif totals.files > 1:
            _echo([totals.line()], out)
    sys.exit(status)


def _input_name(path: str) -> str:
    return "stdin" if path == "-" else Path(path).name


# commands in modules of their own (x12kit/commands/)
from .commands.build import build  # noqa: E402
from .commands.convert import convert  # noqa: E402
from .commands.show import show  # noqa: E402
from .commands.track import track  # noqa: E402

main.add_command(convert)
main.add_command(show)
main.add_command(track)
main.add_command(build)
from .commands.batch import batch  # noqa: E402
main.add_command(batch)

if __name__ == "__main__":  # pragma: no cover
    main()
