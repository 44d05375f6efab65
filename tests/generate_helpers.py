"""Helpers the generator's tests share: generating in memory, the segments of a set body."""
from __future__ import annotations

import io
from datetime import datetime

from x12kit.generate import EnvelopeOptions, generate
from x12kit.reader import read_segments

WHEN = datetime(2024, 1, 1, 12, 0)


def generated(models, lenient: bool = False, **options) -> tuple[bytes, list]:
    out = io.BytesIO()
    problems = generate(models, out, EnvelopeOptions(when=WHEN, **options), lenient=lenient)
    return out.getvalue(), problems


def set_bodies(source) -> list[tuple[str, ...]]:
    """Every segment from ST to SE, composites and repetitions told apart whatever the
    separators; ST02/ST03 and SE (control number, count: the writer's arithmetic) left out."""
    found = []
    for seg in read_segments(source):
        if seg.id in ("ISA", "GS", "GE", "IEA", "SE"):
            continue
        d = seg.delimiters
        table = {ord(d.component): "\x01"}
        if d.repetition:
            table[ord(d.repetition)] = "\x02"
        elements = tuple(e.translate(table) for e in seg.elements)
        found.append(elements[:2] if seg.id == "ST" else elements)
    return found


def x12kit_findings(data: bytes) -> list:
    """Every finding of validation (SNIP 1-5) of ``data``, and the sets not accepted."""
    from x12kit.validate.pipeline import validate
    found = []
    for report in validate(data, snip=5):
        found += report.findings()
        found += [s.status for s in report.sets if s.status != "accepted"]
    return found


def pyx12_accepts(data: bytes, tmp_path, caplog) -> bool:
    """pyx12's own validation of ``data`` (for the guides it has a map of) finds no error."""
    import logging

    import pyx12.params
    import pyx12.x12n_document
    target = tmp_path / "generated.x12"
    target.write_bytes(data)
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="pyx12"):
        ok = pyx12.x12n_document.x12n_document(pyx12.params.params(), str(target), None, None)
    return bool(ok) and not [r for r in caplog.records if r.levelno >= logging.ERROR]
