"""Conversion of X12: the lossless JSON document (``document``) and the same document as XML
(``xml``), both written as the walk goes and both read back into segments; typed records,
one model a line (``ndjson``), with their JSON Schema (``records_schema``)."""
from x12kit.convert.document import DocumentError, segments_from_document, write_json

__all__ = ["DocumentError", "segments_from_document", "write_json"]
