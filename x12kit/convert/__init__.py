"""Conversion: X12 to the lossless document (JSON, XML) and to typed records (ndjson)."""
