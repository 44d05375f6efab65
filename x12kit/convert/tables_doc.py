"""``schemas/parquet-tables.md``: the analysts' tables described from ``TABLE_SCHEMAS``, so the
document and the files never disagree (``tests/test_convert_parquet.py`` checks it).

    python -m x12kit.convert.tables_doc     # rewrites schemas/parquet-tables.md
"""
from __future__ import annotations

from pathlib import Path

from x12kit.convert.table_schemas import TABLE_SCHEMAS

DOC_PATH = Path(__file__).resolve().parents[2] / "schemas" / "parquet-tables.md"
INTRO = """\
# Parquet tables

Written by `x12kit convert FILE --to parquet -o DIR` (`DIR/FILE.TABLE.parquet`, one file per
table that has rows) and by `x12kit.convert.parquet.ParquetTables`. Generated from
`x12kit.convert.table_schemas.TABLE_SCHEMAS` by `python -m x12kit.convert.tables_doc`: do not edit.

Every row names its source, interchange (ISA13), group (GS06), set (ST02) and the byte offset
of the set's ST. Keys join the tables: `claim_id` (claims, service_lines, diagnoses) and
`claim_payment_id`, `service_payment_id` (claim_payments, service_payments, adjustments).
Money is `decimal128(18, 2)`, quantities `decimal128(18, 4)`, dates `date32`; codes are
strings as the file writes them; an empty element is an empty string, an absent one null.
"""


def markdown() -> str:
    parts = [INTRO]
    for table, schema in TABLE_SCHEMAS.items():
        parts.append(f"\n## {table}\n\n{_text(schema.metadata)}\n\n"
                     "| column | type | description |\n|---|---|---|\n")
        parts.extend(f"| `{f.name}` | `{f.type}` | {_text(f.metadata)} |\n"
                     for f in schema)
    return "".join(parts)


def _text(metadata) -> str:
    return metadata[b"description"].decode().replace("|", "\\|")


if __name__ == "__main__":
    DOC_PATH.write_text(markdown(), encoding="utf-8")
