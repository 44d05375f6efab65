"""Conversion throughput: ``write_json`` (the lossless document) and ``write_xml`` on the
X12KIT_BENCH_VALIDATE_CLAIMS-claim 837P and 835 (groups convert-837p, convert-835), written
to a sink that only counts bytes, so the figure is the conversion's, not the disk's."""
from __future__ import annotations

import pytest

from bench.support import VALIDATE_ROUNDS, run


class _Sink:
    def __init__(self) -> None:
        self.written = 0

    def write(self, data) -> int:
        self.written += len(data)
        return len(data)


def converter(name: str):
    if name == "json":
        from x12kit.convert.document import write_json as write
    else:
        from x12kit.convert.xml import write_xml as write

    def convert(path):
        sink = _Sink()
        write(path, sink)
        return sink.written
    return convert


@pytest.mark.parametrize("kind", ["837p", "835"])
@pytest.mark.parametrize("to", ["json", "xml"])
def test_convert(benchmark, request, kind, to):
    benchmark.group = f"convert-{kind}"
    path = request.getfixturevalue(f"validate_{kind}")
    assert run(benchmark, converter(to), path, rounds=VALIDATE_ROUNDS, to=to) > 0
