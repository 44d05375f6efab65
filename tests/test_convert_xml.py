"""The document as XML (x12kit.convert.xml): it parses, holds the same loops and segments as
the JSON document, and gives the segments back, on the whole corpus."""
from __future__ import annotations

import io
import json

import pytest
from lxml import etree

from tests.conftest import FIXTURES, corpus_files, corpus_id
from tests.test_convert_document import convert as convert_json, readable_segments
from x12kit.convert.document import DocumentError
from x12kit.convert.xml import segments_from_xml, write_xml
from x12kit.diagnostics import X12ReadError
from x12kit.reader import read_segments


def convert(source) -> bytes:
    out = io.BytesIO()
    try:
        write_xml(source, out)
    except X12ReadError:
        pass  # the document ends with its <error>
    return out.getvalue()


def outline_of_json(content):
    """(kind, id, name) of every loop and segment of a JSON document, in order."""
    for node in content:
        if "loop" in node:
            yield "loop", node["loop"], node["name"]
            yield from outline_of_json(node["content"])
        else:
            yield "segment", node["segment"], node.get("name")


def outline_of_xml(element):
    for child in element:
        if child.tag == "loop":
            yield "loop", child.get("id"), child.get("name")
            yield from outline_of_xml(child)
        elif child.tag != "error":
            yield "segment", child.get("id", child.tag), child.get("name")


@pytest.mark.parametrize("path", corpus_files(), ids=corpus_id)
def test_xml_parses_gives_the_segments_back_and_is_the_json_document(path):
    xml = convert(path)
    root = etree.fromstring(xml)
    segments = list(segments_from_xml(io.BytesIO(xml)))
    original = readable_segments(path)
    assert [s.elements for s in segments] == [s.elements for s in original]
    assert [s.delimiters for s in segments] == [s.delimiters for s in original]
    document = json.loads(convert_json(path))
    assert list(outline_of_xml(root)) == list(outline_of_json(document["content"]))


def test_segment_ids_that_are_not_xml_names_and_values_xml_cannot_carry_survive():
    data = (FIXTURES / "claims-837p.x12").read_bytes()
    ref = data.index(b"REF*")
    odd = b"9x*A\x01B*\xff\xfe~nm1*a:b~"  # ids no XML name takes; a control byte; not UTF-8
    data = data[:ref] + odd + data[ref:]
    xml = convert(data)
    root = etree.fromstring(xml)
    assert root.findall(".//segment") and root.findall('.//*[@encoding="base64"]')
    assert [s.elements for s in segments_from_xml(io.BytesIO(xml))] == \
        [s.elements for s in read_segments(data)]


def test_reading_is_streamed_segments_come_before_the_document_ends():
    xml = convert(FIXTURES / "claims-837p.x12")
    cut = xml[:xml.index(b"<CLM ")]  # a document cut off before its first claim
    read = []
    with pytest.raises(DocumentError, match="not well-formed"):
        for segment in segments_from_xml(io.BytesIO(cut)):
            read.append(segment.id)
    assert read[:3] == ["ISA", "GS", "ST"] and "CLM" not in read


@pytest.mark.parametrize("damage, message", [
    (lambda x: x.replace(b'version="1"', b'version="7"'), "not a x12kit-document version 1"),
    (lambda x: x.replace(b'element="2A"', b'element="zz"'), "separators are hexadecimal"),
    (lambda x: x.replace(b"<CLM01 ", b"<CLMXX ").replace(b"</CLM01>", b"</CLMXX>"),
     "segment CLM: <CLMXX> is not one of its elements"),
])
def test_a_damaged_xml_document_names_the_place(damage, message):
    xml = damage(convert(FIXTURES / "claims-837p.x12"))
    with pytest.raises(DocumentError, match=message) as raised:
        list(segments_from_xml(io.BytesIO(xml)))
    assert "line" in str(raised.value)
