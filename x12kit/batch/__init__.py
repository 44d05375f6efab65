"""``x12kit batch``: a clearinghouse's inbox on one machine.

Every input file is validated, answered (``--acks``: 999, TA1, and a 277CA for claim
files), converted (``--to``) and, when rejected, set aside in ``OUT_DIR/rejected/`` with its
findings; a manifest in OUT_DIR records what became of each, so a run killed at any moment
resumes without losing or repeating output, and the same content twice is known.

- ``discovery``: the inputs (files, folders, glob patterns)
- ``run``: the run (triage by content hash and manifest, workers, results as they come)
- ``manifest``: the SQLite record; ``staging``: outputs made aside and renamed into place
- ``work``: one input's work in a worker (``tally``, ``answers``, ``conversion``)
- ``pool``: worker processes that survive one of them dying; ``progress``: bar, log lines
"""
from .outcome import DONE, DUPLICATE, REJECTED, SKIPPED, FileResult
from .run import run_batch
from .work import Settings

__all__ = ["DONE", "DUPLICATE", "REJECTED", "SKIPPED", "FileResult", "Settings", "run_batch"]
