"""The names ``import x12kit`` offers are a promise: pinned here, so that adding or removing
one is a decision seen in review."""
from __future__ import annotations

import tomllib

import x12kit

from .conftest import ROOT

PUBLIC = {
    "Delimiters", "Diagnostic", "InterchangeReport", "Level", "Segment", "SegmentReader",
    "Severity", "UsageError", "Writer", "X12Error", "X12ReadError", "X12WriteError",
    "ack_999", "acks_due", "make_segment", "read", "read_acknowledgments", "read_claims",
    "read_eligibility", "read_remittances", "read_segments", "read_statuses",
    "ta1_interchange", "validate", "write_segments",
}


def test_all_is_pinned_and_every_name_resolves():
    assert set(x12kit.__all__) == PUBLIC
    assert all(hasattr(x12kit, name) for name in x12kit.__all__)


def test_validate_validates_however_its_package_was_imported():
    import x12kit.validate.rules  # noqa: F401  (binds x12kit.validate to the package)
    from x12kit.validate.pipeline import validate
    path = ROOT / "fixtures" / "remittance-835.x12"
    called = [r.findings() for r in x12kit.validate(path, snip=3)]
    assert called == [r.findings() for r in validate(path, snip=3)]


def test_import_x12kit_loads_neither_validation_nor_models():
    import subprocess
    import sys
    code = ("import sys, x12kit; print(sorted(m for m in sys.modules "
            "if m.startswith(('x12kit.validate', 'x12kit.models', 'x12kit.acks'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_the_model_readers_are_at_the_top_level():
    claims = list(x12kit.read_claims(ROOT / "fixtures" / "claims-837p.x12"))
    assert claims and all(c.pcn for c in claims)


def test_the_library_validates_and_acknowledges_from_the_top_level():
    from datetime import datetime
    report = next(x12kit.validate(ROOT / "fixtures" / "claims-837p.x12"))
    assert isinstance(report, x12kit.InterchangeReport)
    kinds = [kind for kind, _ in x12kit.acks_due(report, datetime(2024, 1, 1))]
    assert kinds[0] == "999"
    assert x12kit.ack_999(report, datetime(2024, 1, 1))[0].id == "ISA"


def test_the_wheel_carries_the_py_typed_marker():
    assert (ROOT / "x12kit" / "py.typed").is_file()
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert "py.typed" in data["package-data"]["x12kit"]
