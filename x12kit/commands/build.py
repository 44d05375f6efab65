"""``x12kit build``: typed records (ndjson, one model per line) or lossless documents to one
X12 file.

The command opens files and reports; the work is the library's (``x12kit.generate.build``).
"""
from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path

import click

from x12kit.acks.numbers import ControlNumbers
from x12kit.errors import EXIT_FINDINGS
from x12kit.generate import GenerateError
from x12kit.generate.build import build_file
from x12kit.segment import Delimiters

COUNTER_FILE = ".x12kit-control-number"  # beside the output, unless --counter names another


def _party(value: str | None, option: str) -> tuple[str, str]:
    if not value:
        return "", ""
    qualifier, colon, identifier = value.partition(":")
    if not colon or not qualifier or not identifier or len(identifier) > 15:
        raise click.BadParameter("QUALIFIER:ID, an id of at most 15 characters",
                                 param_hint=option)
    return qualifier, identifier


def _delimiters(value: str | None) -> Delimiters | None:
    if value is None:
        return None
    if len(value) != 4 or Delimiters(*value).clash():
        raise click.BadParameter("four different characters: element, component, "
                                 "repetition, segment", param_hint="--delimiters")
    return Delimiters(*value)


@click.command()
@click.argument("files", nargs=-1, required=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The X12 file to write (written only when the input has no problem).")
@click.option("--sender", help="ISA05:ISA06, e.g. ZZ:SUBMITTER01 (default: the input's).")
@click.option("--receiver", help="ISA07:ISA08, e.g. ZZ:PAYER01 (default: the input's).")
@click.option("--usage", type=click.Choice(["T", "P"]), help="ISA15: test or production.")
@click.option("--delimiters", help="Separators: element, component, repetition, segment "
                                   "(default: the input's, else '*:^~').")
@click.option("--no-line-breaks", is_flag=True, help="No line break after each segment.")
@click.option("--control-number", type=int, help="Start ISA13/GS06/ST02 here.")
@click.option("--counter", type=click.Path(dir_okay=False),
              help=f"The control number counter file (default OUTPUT's folder/{COUNTER_FILE}).")
@click.option("--lenient", is_flag=True, help="Write despite problems, with warnings.")
def build(files, output, sender, receiver, usage, delimiters, no_line_breaks, control_number,
          counter, lenient) -> None:
    """Build one X12 interchange from FILE...: typed records (convert --to ndjson: one model
    per line) or lossless documents (convert --to json); - for stdin. Problems are listed
    as FILE:LINE: /json/pointer: ELEMENT Name: code: message, and nothing is written."""
    sender_qualifier, sender_id = _party(sender, "--sender")
    receiver_qualifier, receiver_id = _party(receiver, "--receiver")
    given = {"sender_qualifier": sender_qualifier, "sender_id": sender_id,
             "receiver_qualifier": receiver_qualifier, "receiver_id": receiver_id,
             "usage": usage, "delimiters": _delimiters(delimiters)}
    if no_line_breaks:
        given["one_per_line"] = False
    numbers = ControlNumbers(control_number,
                             counter or Path(output).resolve().parent / COUNTER_FILE)
    try:
        with ExitStack() as stack:
            inputs = [("<stdin>", sys.stdin.buffer) if name == "-" else
                      (name, stack.enter_context(open(name, "rb"))) for name in files]
            problems = build_file(inputs, output, given, numbers, lenient)
    except GenerateError as error:
        for problem in error.problems:
            click.echo(f"x12kit: {problem}", err=True)
        sys.exit(EXIT_FINDINGS)
    except OSError as error:  # an input that cannot be read, an output folder missing
        name = error.filename if error.filename in files else output
        click.echo(f"x12kit: error: {name}: {error.strerror}", err=True)
        sys.exit(EXIT_FINDINGS)
    for problem in problems:
        click.echo(f"x12kit: warning: {problem}", err=True)
