"""The conversions by name, for the commands that offer them (``convert --to``,
``batch --to``): each a function ``write(source, out)`` loaded when first asked for; and
``parquet``, the analysts' tables, a folder of files per input (``x12kit.convert.parquet``)."""
from __future__ import annotations

import importlib

# name -> (module, function): function(source, out) writes the conversion of source to out
WRITERS = {"json": ("x12kit.convert.document", "write_json"),
           "ndjson": ("x12kit.convert.ndjson", "write_ndjson"),
           "xml": ("x12kit.convert.xml", "write_xml")}
PARQUET = "parquet"
FORMATS = (*WRITERS, PARQUET)


def writer(name: str):
    module, function = WRITERS[name]
    return getattr(importlib.import_module(module), function)
