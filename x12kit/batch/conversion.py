"""Converting one input for batch: its accepted sets, to the format asked for.

A file whose sets were all accepted is converted as it stands. Where some sets were
rejected, the others are still converted. The Parquet tables are made from the file's
segments less the rejected sets, so that every row's offsets are the file's own. The
stream formats, which take a file to convert, get the file written again without the
rejected sets (byte for byte otherwise, ``write_segments`` keeps the layout) to a scratch
file; its envelope counts then disagree with what is left, which conversion does not check.
The file as received goes to ``rejected/`` untouched.

Parquet gives one set of table files per input (``converted/NAME.SHA12.TABLE.parquet``),
not one per worker or per run: each input's outputs are then made, replaced after a kill,
and skipped on a re-run as a whole, like every other output of it. Its ``findings`` table
is filled as validation runs (``take_findings``), the others from the accepted sets."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..convert.formats import PARQUET, writer
from ..reader import read_segments
from ..validate.verdicts import without_sets
from ..writer import write_segments
from .staging import CONVERTED, Staging


class Conversion:
    def __init__(self, fmt: str, path: str, staging: Staging, key: str) -> None:
        self.fmt, self.path, self.staging, self.key = fmt, path, staging, key
        self.target = staging.folder(CONVERTED) / f"{key}.{fmt}"   # a stream format's file
        self.tables = None
        if fmt == PARQUET:
            from ..convert.parquet import ParquetTables
            self.tables = ParquetTables(staging.folder(CONVERTED), key)

    def take_findings(self, events: Iterable) -> None:
        """Run validation's ``events`` to their end, keeping their findings where the
        format has a place for them."""
        if self.tables is None:
            for _ in events:
                pass
            return
        from ..convert.tables import finding_rows
        for row in finding_rows(events, self.path, lines_from=self.path):
            self.tables.add("findings", row)

    def write(self, rejected_sets: set[int], any_accepted: bool) -> None:
        """The accepted sets' conversion (less ``rejected_sets``: their STs' numbers)."""
        if any_accepted and self.tables is not None:
            from ..convert.tables import rows_of_segments
            segments = without_sets(read_segments(self.path), rejected_sets)
            for table, row in rows_of_segments(segments, self.path):
                self.tables.add(table, row)
        elif any_accepted:
            source = self._accepted_sets(rejected_sets) if rejected_sets else self.path
            with open(self.target, "wb") as out:
                writer(self.fmt)(source, out)
        if self.tables is not None:
            self.tables.close()

    def abort(self) -> None:
        """Nothing of the conversion is kept."""
        if self.tables is not None:
            self.tables.abort()
        self.target.unlink(missing_ok=True)

    def _accepted_sets(self, rejected_sets: set[int]) -> Path:
        source = self.staging.scratch("accepted.x12")
        with open(source, "wb") as out:
            write_segments(without_sets(read_segments(self.path), rejected_sets), out)
        return source

