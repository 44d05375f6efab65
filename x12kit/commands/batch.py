"""``x12kit batch``: validate, answer, convert and set aside every input file into OUT_DIR,
with a manifest, in worker processes (``x12kit.batch``).

stdout has one line per input (``--format json``: exactly ``path``, ``sha256``, ``status``,
``outputs``); stderr has the progress bar and summary table on a terminal, else one log
line per input. Exit 0 when every input is done (or skipped, or a duplicate), 1 when any
was rejected or its worker was lost."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from x12kit.acks import COUNTER_FILE
from x12kit.convert.formats import FORMATS
from x12kit.errors import EXIT_FINDINGS, EXIT_OK

EXIT_INTERRUPTED = 130


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", "--out-dir", "out_dir", type=click.Path(file_okay=False),
              required=True, help="The folder for the outputs, rejected files and manifest.")
@click.option("--to", "fmt", type=click.Choice(FORMATS),
              help="Convert each input's accepted sets to OUT_DIR/converted/ (parquet: one "
                   "file per table per input; default: validate only).")
@click.option("--acks", is_flag=True,
              help="Write each input's 999 and TA1 (and 277CA for claims) in OUT_DIR/acks.")
@click.option("--workers", type=click.IntRange(1), default=None,
              help="Worker processes (default: one per core).")
@click.option("--snip", type=click.IntRange(1, 5), default=5, show_default=True,
              help="Depth of validation, as for validate.")
@click.option("--format", "fmt_out", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="One line per input: for people, or a JSON object.")
def batch(inputs: tuple[str, ...], out_dir: str, fmt: str | None,
          acks: bool, workers: int | None, snip: int, fmt_out: str) -> None:
    """Process every INPUT (files, folders searched recursively, glob patterns) into
    OUT_DIR: validated, converted (--to), answered (--acks); rejected files and their
    findings in OUT_DIR/rejected/. A re-run skips what is done; the same content under
    another name is reported as a duplicate."""
    from x12kit.batch import REJECTED, Settings, run_batch
    from x12kit.batch.progress import Progress
    from x12kit.validate.parallel import default_jobs
    progress = Progress()
    settings = Settings(Path(out_dir), fmt, snip, acks, Path(out_dir) / COUNTER_FILE)
    failed = False

    def report(result) -> None:
        nonlocal failed
        failed |= result.status == REJECTED
        progress.advance(result)
        click.echo(json.dumps(result.contract()) if fmt_out == "json" else _line(result))
        if result.error:
            click.echo(f"x12kit: error: {result.error}", err=True)

    try:
        run_batch(inputs, settings, workers or default_jobs(), report, progress.start)
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
    finally:
        progress.close()
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)


def _line(result) -> str:
    outputs = "".join(f"\n  {path}" for path in result.outputs)
    same = f" (same content as {result.duplicate_of})" if result.duplicate_of else ""
    return f"{result.path}: {result.status}{same}{outputs}"
