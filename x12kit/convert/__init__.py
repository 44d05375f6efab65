"""Conversion of X12 to documents and back: the lossless JSON document (``document``) and
the same document as XML (``xml``), both written as the walk goes and both read back into
segments. Typed records, one per line, are ``ndjson``'s."""
from x12kit.convert.document import DocumentError, segments_from_document, write_json

__all__ = ["DocumentError", "segments_from_document", "write_json"]
