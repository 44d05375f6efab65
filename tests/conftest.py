"""Shared test helpers: where the real corpus lives and how to list it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
FIXTURES = ROOT / "fixtures"
_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def corpus_files(kind: str | None = None) -> list[Path]:
    """Every corpus file (of one kind folder), sorted; SOURCES.md excluded."""
    folders = [CORPUS / kind] if kind else sorted(p for p in CORPUS.iterdir() if p.is_dir())
    return sorted(f for d in folders for f in d.iterdir() if f.is_file())


def corpus_id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def sources_table() -> dict[str, dict[str, str]]:
    """SOURCES.md rows by corpus path: version, intent, pyx12 verdict, notes."""
    rows = {}
    for line in (CORPUS / "SOURCES.md").read_text(encoding="utf-8").splitlines():
        # split on "|" only where it is not escaped: a note such as  element sep '\|'
        # keeps its "|" (unescaped) inside the cell
        inner = line.strip().removeprefix("|").removesuffix("|")
        cells = [c.strip().replace("\\|", "|") for c in _CELL_SPLIT.split(inner)]
        if len(cells) == 8 and re.match(r"^[0-9A-Za-z]+/", cells[0]) and cells[0] != "corpus path":
            rows[cells[0]] = dict(zip(("path", "origin", "origin_path", "licence", "version",
                                       "intent", "pyx12", "notes"), cells))
    return rows


@pytest.fixture(scope="session")
def sources() -> dict[str, dict[str, str]]:
    return sources_table()


def validation_reports(source, snip: int = 5, jobs: int = 1) -> list:
    """Everything validation reports tell, values included: verdicts, findings in file
    order, and each set's schema, status and findings; then the error that stopped reading,
    if any. ``source`` is what ``validate`` reads, or a list of segments."""
    from x12kit import X12ReadError
    from x12kit.validate.pipeline import validate, validate_segments
    runs = (validate_segments(source, snip) if isinstance(source, list)
            else validate(source, snip, jobs))
    got: list = []
    try:
        for r in runs:
            got.append((r.accepted, r.findings(), [(s.schema, s.status, s.as_dict(True))
                                                   for s in r.sets]))
    except X12ReadError as error:
        got.append(str(error))
    return got


@pytest.fixture
def split_everything(monkeypatch):
    """Every file split, in batches of three sets (so that batches end inside groups and
    span interchanges); the sets handed to workers are listed."""
    from x12kit.validate import parallel
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "BATCH_SETS", 3)
    used = []
    real = parallel.SetPool.add

    def add(self, *args):
        used.append(args[0])
        return real(self, *args)
    monkeypatch.setattr(parallel.SetPool, "add", add)
    return used
