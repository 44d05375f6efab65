"""The lossless JSON document (x12kit.convert.document): X12 -> JSON -> X12 gives the same
segments and JSON -> X12 -> JSON the same document on the whole corpus; the nesting is the
walk's; the guide's names and structure are the compiled schema's."""
from __future__ import annotations

import functools
import io
import json

import pytest

from tests.conftest import FIXTURES, corpus_files, corpus_id
from x12kit.convert import DocumentError, segments_from_document, write_json
from x12kit.diagnostics import X12ReadError
from x12kit.reader import read_segments
from x12kit.schema.registry import default_registry
from x12kit.walk import walk_events
from x12kit.writer import write_segments


@functools.lru_cache(maxsize=None)
def convert(source) -> bytes:
    """The document of ``source`` (a path or bytes), made once per test session: the schema,
    XML and round-trip tests all read the same corpus documents."""
    out = io.BytesIO()
    try:
        write_json(source, out)
    except X12ReadError:
        pass  # the document ends with its "error"; what was read is in it
    return out.getvalue()


def readable_segments(source) -> list:
    segments = []
    try:
        segments.extend(read_segments(source))
    except X12ReadError:
        pass
    return segments


def placed_segments(content, path=()):
    """(loop path, segment node) for every segment of a document, in order."""
    for node in content:
        if "loop" in node:
            yield from placed_segments(node["content"], path + (node["loop"],))
        else:
            yield path, node


@pytest.mark.parametrize("path", corpus_files(), ids=corpus_id)
def test_x12_to_json_to_x12_to_json_is_lossless(path):
    text = convert(path)
    document = json.loads(text)
    segments = list(segments_from_document(document))
    assert [s.elements for s in segments] == [s.elements for s in readable_segments(path)]
    assert [s.delimiters for s in segments] == [s.delimiters for s in readable_segments(path)]
    x12 = io.BytesIO()
    write_segments(segments, x12, layout="lines")
    again = json.loads(convert(x12.getvalue()))
    for doc in (document, again):  # where reading stopped is not in the segments
        doc.pop("error", None)
    assert again == document


@pytest.mark.parametrize("path", corpus_files("837P")[:20] + corpus_files("271")[:20],
                         ids=corpus_id)
def test_segments_stand_in_the_loops_the_walk_places_them(path):
    document = json.loads(convert(path))
    walked = [(step.path, step.placed.definition) for step in walk_events(readable_segments(path))]
    placed = list(placed_segments(document["content"]))
    assert [p for p, _ in placed] == [p for p, _ in walked]
    for (_, node), (_, definition) in zip(placed, walked):
        assert node.get("name") == (definition.name if definition else None)


def test_a_set_no_schema_serves_is_one_flat_list_and_unplaced_segments_are_marked():
    path = next(p for p in corpus_files("271") if "4010" in p.name)
    sets = [loop for _, loop in _loops(json.loads(convert(path))["content"])
            if loop["loop"] == "ST_LOOP"]
    assert sets and all(s["schema"] is None for s in sets)
    assert all("segment" in node and "unplaced" not in node for s in sets for node in s["content"])
    files = corpus_files("837P")
    marked = [(corpus_id(p), node["segment"]) for p in files
              for _, node in placed_segments(json.loads(convert(p))["content"])
              if node.get("unplaced")]
    assert marked and marked == [(corpus_id(p), sid) for p in files for sid in _unplaced(p)]


def _unplaced(path):
    """The ids of the segments the walker could not place in sets a schema serves."""
    served = False
    for step in walk_events(readable_segments(path)):
        if step.segment.id == "ST":
            served = step.placed.definition is not None
        if step.placed.definition is None and step.envelope.header is not None and served:
            yield step.segment.id


def _loops(content):
    for node in content:
        if "loop" in node:
            yield node["loop"], node
            yield from _loops(node["content"])


def test_loops_and_elements_carry_the_guides_names_and_structure():
    document = json.loads(convert(FIXTURES / "claims-837p.x12"))
    schema = default_registry().load("837:005010X222A1")
    claims = [(path, node) for path, node in placed_segments(document["content"])
              if node["segment"] == "CLM"]
    assert claims and all(path[-1] == "2300" for path, _ in claims)
    clm = schema.segment("2300", "CLM")
    elements = claims[0][1]["elements"]
    assert elements["CLM02"]["name"] == clm.elements[2].name
    composite = elements["CLM05"]
    assert composite["name"] == clm.elements[5].name
    assert [c["name"] for c in composite["components"].values()] == \
        [d.name for d in clm.elements[5].components[1:len(composite["components"]) + 1]]
    names = {loop_id: node["name"] for loop_id, node in _loops(document["content"])}
    assert names["2300"] == schema.loop("2300").name
    assert names["2010AA"] == schema.loop("2010AA").name


def test_empty_elements_keep_their_positions():
    raw = next(s for s in read_segments(FIXTURES / "claims-837p.x12")
               if s.id == "NM1" and "" in s.elements[1:-1])
    node = next(n for _, n in placed_segments(json.loads(convert(FIXTURES / "claims-837p.x12"))
                                              ["content"]) if n["segment"] == "NM1"
                and [e.get("value") for e in n["elements"].values()] == list(raw.elements[1:]))
    assert list(node["elements"]) == [f"NM1{n:02d}" for n in range(1, len(raw.elements))]


def test_repetitions_are_lists():
    document = json.loads(convert(corpus_files("271")[0]))
    repeated = [e for _, n in placed_segments(document["content"])
                for e in n["elements"].values() if "repetitions" in e]
    segments = [s for s in read_segments(corpus_files("271")[0]) if s.id == "EB" and
                len(s.elements) > 3]
    assert repeated and len(repeated) == len(segments)
    assert [len(e["repetitions"]) for e in repeated] == [len(s.repetitions(3)) for s in segments]


def test_the_document_is_written_as_the_input_is_read():
    source = _Trickle((FIXTURES / "claims-837p.x12").read_bytes(), 512)
    out = _Recorder(source)
    write_json(source, out)
    first_claim = next(read for read, text in out.writes if b'"CLM"' in text)
    assert first_claim < len(source.data)


def test_where_reading_stopped_ends_the_document():
    data = (FIXTURES / "claims-837p.x12").read_bytes()
    out = io.BytesIO()
    with pytest.raises(X12ReadError) as raised:
        write_json(data + b"ISA*00*", out)  # a second interchange cut off in its header
    document = json.loads(out.getvalue())
    assert document["error"] == {"offset": raised.value.offset, "message": raised.value.message}
    assert [n["segment"] for _, n in placed_segments(document["content"])] == \
        [s.id for s in read_segments(data)]


@pytest.mark.parametrize("damage, place", [
    (lambda d: d["content"][0]["content"][0]["elements"].update({"GS01": {"value": "X"}}),
     "content[0].content[0]: segment ISA: 'GS01'"),
    (lambda d: d["content"][0]["content"][0]["elements"]["ISA06"].update(value=7),
     "content[0].content[0]: element ISA06"),
    (lambda d: d["content"][0].pop("delimiters"), "content[0].content[0]: a segment outside"),
    (lambda d: d["content"][0]["delimiters"].update(element="**"), "content[0]: each delimiter"),
    (lambda d: d.update(version=99), "not a x12kit-document"),
])
def test_a_damaged_document_names_the_place_never_a_value(damage, place):
    document = json.loads(convert(FIXTURES / "claims-837p.x12"))
    sender = document["content"][0]["content"][0]["elements"]["ISA06"]["value"].strip()
    damage(document)
    with pytest.raises(DocumentError) as raised:
        list(segments_from_document(document))
    assert str(raised.value).startswith(place)
    assert sender not in str(raised.value)


class _Trickle(io.RawIOBase):
    """A binary source that gives at most ``size`` bytes a read, counting what it gave."""

    def __init__(self, data: bytes, size: int) -> None:
        self.data, self.size, self.given = data, size, 0

    def readable(self) -> bool:
        return True

    def peek(self, n: int = 0) -> bytes:
        return self.data[self.given:self.given + max(n, 1)]

    def read(self, n: int = -1) -> bytes:
        piece = self.data[self.given:self.given + min(self.size, n if n > 0 else self.size)]
        self.given += len(piece)
        return piece


class _Recorder(io.RawIOBase):
    """An output that records, with each write, how much of the input had been read."""

    def __init__(self, source: _Trickle) -> None:
        self.source, self.writes = source, []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.writes.append((self.source.given, bytes(data)))
        return len(data)
