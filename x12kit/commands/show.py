"""``x12kit show``: each business item of a file the way a biller reads it (x12kit.views),
or with ``--format json`` the typed records (one JSON object a line, as ``convert --to
ndjson`` writes them)."""
from __future__ import annotations

import sys

import click

from x12kit.convert.ndjson import record_line
from x12kit.errors import EXIT_FINDINGS, EXIT_OK, X12ReadError
from x12kit.inputs import expand
from x12kit.models.reading import read_enveloped
from x12kit.reader import source_name
from x12kit.views import lines


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text: the biller's view; json: the typed records.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True),
              help="Where to write. Default: stdout.")
def show(inputs: tuple[str, ...], fmt: str, output: str | None) -> None:
    """Show every claim, payment, benefit, status and acknowledgment of each INPUT (a file,
    a folder, - for stdin, or .gz), with codes in words. Element values are shown: that is
    what the view is for (they may be PHI)."""
    out = sys.stdout.buffer if output in (None, "-") else open(output, "wb")
    status = EXIT_OK
    try:
        for path in expand(inputs):
            try:
                _show_one(path, fmt, out)
            except X12ReadError as error:
                status = EXIT_FINDINGS
                click.echo(f"{source_name(path)}: byte {max(error.offset, 0)}: error: "
                           f"{error.message}", err=True)
            except BrokenPipeError:
                raise  # the reader went away: the command group ends quietly
            except OSError as error:
                status = EXIT_FINDINGS
                click.echo(f"{source_name(path)}: error: {error.strerror or error}", err=True)
    finally:
        if out is not sys.stdout.buffer:
            out.close()
    sys.exit(status)


def _show_one(path: str, fmt: str, out) -> None:
    name = source_name(path)
    for envelope, model in read_enveloped(path):
        if fmt == "json":
            out.write(record_line(envelope, model))
            continue
        text = "\n".join(lines(model))
        out.write(f"{name}:\n{text}\n\n".encode())
