"""``x12kit convert``: X12 to the lossless JSON or XML document, to typed records, or to the
analysts' Parquet tables.

The command only opens files and reports; the writers are the library's
(``x12kit.convert``).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from x12kit.convert.formats import PARQUET, WRITERS, writer
from x12kit.diagnostics import X12ReadError
from x12kit.errors import X12Error
from x12kit.reader import source_name

EXIT_OK, EXIT_UNREADABLE = 0, 1


@click.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--to", "fmt", type=click.Choice([*WRITERS, PARQUET]), required=True,
              help="json: the lossless document (loops, segments, elements by reference, "
                   "with the guide's names); xml: the same as XML; ndjson: the typed "
                   "records, one model a line; parquet: the analysts' tables (claims, "
                   "service lines ...), FILE.TABLE.parquet in the folder -o names.")
@click.option("-o", "--output", type=click.Path(),
              help="One FILE: the output file (default stdout). Several: a folder that "
                   "gets FILE's name plus .FORMAT for each.")
def convert(files: tuple[str, ...], fmt: str, output: str | None) -> None:
    """Convert each FILE (a path, - for stdin, or .gz) to FORMAT.

    Element values are written: that is the point of the output (they may be PHI). Exit 1
    when a file cannot be read (the document then ends with where reading stopped)."""
    if fmt == PARQUET:
        sys.exit(_convert_parquet(files, output))
    write = writer(fmt)
    targets = _targets(files, fmt, output)
    status = EXIT_OK
    for path, target in zip(files, targets):
        try:
            _convert_one(write, path, target)
        except BrokenPipeError:  # the reader went away (| head): nothing more to say
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_UNREADABLE)
        except X12ReadError as error:
            status = EXIT_UNREADABLE
            click.echo(f"{source_name(path)}:{max(error.offset, 0)}: error: {error.message}",
                       err=True)
        except (OSError, EOFError) as error:
            status = EXIT_UNREADABLE
            reason = getattr(error, "strerror", None) or type(error).__name__
            click.echo(f"{source_name(path)}:0: error: cannot read or write: {reason}",
                       err=True)
    sys.exit(status)


def _convert_parquet(files: tuple[str, ...], output: str | None) -> int:
    """Each FILE's tables as ``OUTPUT/NAME.TABLE.parquet``, whole or not at all; the exit
    status."""
    from x12kit.convert.parquet import write_parquet
    if not output:
        raise click.UsageError("--to parquet needs -o FOLDER")
    prefixes = [("stdin" if f == "-" else Path(f).name) for f in files]
    if len(set(prefixes)) < len(prefixes):
        raise click.UsageError("two FILEs have the same name: their outputs would collide")
    folder = Path(output)
    folder.mkdir(parents=True, exist_ok=True)
    status = EXIT_OK
    for path, prefix in zip(files, prefixes):
        try:
            source = sys.stdin.buffer if path == "-" else path
            write_parquet(source, folder, prefix, name=source_name(path))
        except X12Error as error:
            status = EXIT_UNREADABLE
            offset = max(getattr(error, "offset", 0), 0)
            click.echo(f"{source_name(path)}:{offset}: error: {error.message}", err=True)
        except OSError as error:
            status = EXIT_UNREADABLE
            reason = error.strerror or type(error).__name__
            click.echo(f"{source_name(path)}:0: error: cannot read or write: {reason}",
                       err=True)
    return status


def _targets(files: tuple[str, ...], fmt: str, output: str | None) -> list[Path | None]:
    """Where each input's conversion goes: None for stdout."""
    if len(files) == 1:
        return [Path(output) if output else None]
    if not output:
        raise click.UsageError("several FILEs need -o FOLDER")
    names = [("stdin" if f == "-" else Path(f).name) + "." + fmt for f in files]
    if len(set(names)) < len(names):
        raise click.UsageError("two FILEs have the same name: their outputs would collide")
    folder = Path(output)
    folder.mkdir(parents=True, exist_ok=True)
    return [folder / name for name in names]


def _convert_one(write, path: str, target: Path | None) -> None:
    """Input opened before any output is made, so a missing file leaves nothing behind."""
    source = sys.stdin.buffer if path == "-" else open(path, "rb")
    try:
        if target is None:
            write(source, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            with open(target, "wb") as out:
                write(source, out)
    finally:
        if source is not sys.stdin.buffer:
            source.close()
