"""Claim status codes (list 508, STC01-2/10-2/11-2) with their descriptions and the view that
shows them: each source the list cites is named in its header, every code a source gave words
for has them, rewordings take effect on their date, and the statuses of the real 277 and 277CA
files read as ``A7:562 Entity's National Provider Identifier (NPI)`` in ``x12kit show``."""
from __future__ import annotations

import datetime
import re

import pytest

from tests.conftest import corpus_files
from x12kit import codes
from x12kit.models import read
from x12kit.views import lines
from x12kit.views.statuses import NCPDP, status_words

TSV = codes.codes_dir() / codes.FILES["claim_status"]
UNDESCRIBED = "no description"  # how 'notes' marks a code no source describes


def _header() -> str:
    return "\n".join(line for line in TSV.read_text(encoding="utf-8").splitlines()
                     if line.startswith("#"))


def _entries() -> list[codes.CodeEntry]:
    return [e for spans in codes.entries("claim_status").values() for e in spans]


def _corpus_status_codes():
    """(file, StatusCode) of every STC composite the corpus 277 and 277CA files carry."""
    for path in corpus_files("277") + corpus_files("277CA"):
        for model in read(path):
            for status in getattr(model, "statuses", ()):
                for code in status.codes:
                    yield path.name, status.effective, code


def test_header_names_the_source_of_every_line():
    header = _header()
    sources = {e.notes for e in _entries() if not e.notes.startswith(UNDESCRIBED)}
    assert sources  # descriptions came from somewhere
    for note in sources:
        paths = [word for word in note.split() if "/" in word]  # repository paths
        assert paths and all(p in header for p in paths), note


def test_every_code_a_source_describes_has_its_words():
    for entry in _entries():
        if entry.notes.startswith(UNDESCRIBED):
            # listed without words only as a code gone from the sources' active lists
            assert entry.description is None and entry.deactivated, entry.code
        else:
            assert entry.description and entry.description == entry.description.strip(), \
                entry.code


def test_a_reworded_code_has_the_old_words_until_the_day_before_the_new():
    reworded = {code: spans for code, spans in codes.entries("claim_status").items()
                if len(spans) > 1}
    assert reworded
    for code, (old, new) in reworded.items():
        assert old.stop + datetime.timedelta(days=1) == new.start, code
        assert codes.describe("claim_status", code, on=old.stop) == old.description
        assert codes.describe("claim_status", code, on=new.start) == new.description
        assert codes.describe("claim_status", code) == new.description != old.description


def test_the_corpus_statuses_have_descriptions():
    seen = [(name, code) for name, _, code in _corpus_status_codes()
            if code.status and code.ncpdp_code != NCPDP]
    assert len({c.status for _, c in seen}) >= 5  # the corpus has a spread of statuses
    for name, code in seen:
        entry = codes.lookup("claim_status", code.status)
        if entry is None:
            continue  # not a code of list 508 at all (test data such as 999)
        assert entry.description or entry.deactivated, (name, code.status)


def test_each_corpus_status_shows_as_category_code_and_words():
    for name, effective, code in _corpus_status_codes():
        text = status_words(code, effective)
        pair = f"{code.category}:{code.status}" if code.status else code.category
        assert text.startswith(pair), name
        said = codes.describe("claim_status", code.status, on=effective)
        if said and code.ncpdp_code != NCPDP:
            assert text.startswith(f"{pair} {said.split(' Usage:')[0].rstrip('.')}"), name
        if codes.describe("claim_status_category", code.category):
            assert f"; {code.category} = " in text, name


def test_the_status_wording_follows_the_status_date():
    # a category reworded in 2008 reads in the words in force on the STC's own date
    old, new = codes.entries("claim_status_category")["P3"]
    code = next(c for _, _, c in _corpus_status_codes() if c.category == "P3")
    assert old.description.split()[0] in status_words(code, old.start)
    assert new.description in status_words(code, new.start)
    assert status_words(code, old.start) != status_words(code, new.start)


@pytest.mark.parametrize("kind", ["277", "277CA"])
def test_show_prints_no_bare_status_numbers(kind):
    for path in corpus_files(kind):
        for model in read(path):
            for line in lines(model):
                for pair in re.findall(r"\b([A-Z]\d{1,2}):(\d+)\b", line):
                    entry = codes.lookup("claim_status", pair[1])
                    if entry is not None and entry.description:
                        assert f"{pair[0]}:{pair[1]} " in line
