"""Issue 8: findings that are right: each at the depth asked for, one per root cause, and
filed in the 999 under the segment they concern."""
from __future__ import annotations

import pytest

from x12kit.validate.pipeline import validate

from .conftest import CORPUS, ROOT

DEPTH_CASES = [ROOT / "tests" / "golden" / "837p-missing-2010aa.x12",
               CORPUS / "837P" / "imsweb__x12_complex.txt",
               CORPUS / "835" / "lfhx12__managed-care.835"]


def _findings(path, snip: int) -> list:
    return [d for report in validate(path, snip) for d in report.findings()]


@pytest.mark.parametrize("path", DEPTH_CASES, ids=lambda p: p.name)
def test_snip_n_reports_exactly_the_findings_of_levels_up_to_n(path):
    everything = _findings(path, 5)
    assert any(d.snip == 2 for d in everything)  # the walker's, made whatever the depth
    for snip in (1, 2, 3, 4):
        assert _findings(path, snip) == [d for d in everything if d.snip <= snip], snip
