"""What ``x12kit validate`` of a small file loads: its time is mostly start-up, so modules it
does not use must stay unloaded (structlog, lxml, pyx12). Each check runs in a fresh
interpreter."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "claims-837p.x12"

VALIDATE = f"""
import sys
sys.argv = ["x12kit", "validate", "--snip", "2", {str(FIXTURE)!r}]
from x12kit.cli import main
try:
    main()
except SystemExit:
    pass
print(sorted(m for m in ("structlog", "lxml", "pyx12") if m in sys.modules))
"""

CONFIGURE_THEN_LOG = """
import sys
from x12kit import log
log.configure(1, json_lines=True)
log.event("not shown", "debug", value="secret")
assert "structlog" not in sys.modules, "a dropped event loads nothing"
assert not [f for f in sys.meta_path if type(f).__module__.startswith("x12kit")]
log.event("shown", "info", value="secret", segments=3)
assert "structlog" in sys.modules
"""


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)


def test_validating_a_small_file_loads_no_logging_or_xml_library():
    _run(VALIDATE)  # a cold schema cache compiles the maps (lxml): warm it first
    done = _run(VALIDATE)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stderr


def test_configure_sets_up_structlog_at_the_first_event_shown():
    done = _run(CONFIGURE_THEN_LOG)
    assert done.returncode == 0, done.stderr
    assert '"value": "[redacted]"' in done.stderr and '"level": "info"' in done.stderr
    assert '"segments": 3' in done.stderr and "secret" not in done.stderr
    assert "not shown" not in done.stderr
