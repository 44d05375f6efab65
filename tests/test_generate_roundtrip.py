"""X12 -> models -> X12 over the real corpus: the same segments from ST to SE.

Every 5010 837, 835, 270/271, 276/277, 277CA, 999 and TA1 of the corpus whose sets hold
models is read into models and generated again with its own separators. The segments must be
the same, except in the files of ``DIFFERENT``, each with what the generator does otherwise and why. The
ledger fails on any new, changed or resolved difference, so a change of the generator is
seen file by file. ST02, ST03 and SE are left out of the comparison: control numbers and
counts are the writer's, and a generated ST names its guide where the guide uses ST03.
"""
from __future__ import annotations

import pytest

from x12kit.models import read
from x12kit.reader import read_segments

from .conftest import corpus_files, corpus_id, sources_table
from .generate_helpers import generated, set_bodies

SOURCES = sources_table()
KINDS = ("837P", "837I", "837D", "835", "270", "271", "276", "277", "277CA", "999", "TA1")
FILES = [f for kind in KINDS for f in corpus_files(kind)
         if SOURCES.get(corpus_id(f), {}).get("version", "").startswith("00501")]

_HL = "the file's HL numbering or HL04 is wrong; the generator numbers HL as the guide says"
_ORDER = "the file puts segments out of the guide's order; the generator writes the guide's"
DIFFERENT = {
    "837P/imsweb__x12_ambiguous_loop.txt": _HL,
    "837P/imsweb__x12_bad_first_line.txt": _HL,
    "837P/imsweb__x12_bad_segment_identifier.txt": "segment ids the walk cannot place",
    "837P/imsweb__x12_bad_valid_code.txt": _HL,
    "837P/imsweb__x12_complex.txt": "2010AC pay-to plan out of place; " + _HL,
    "837P/imsweb__x12_loop_errors1_exceeds_max_1_parent.txt": "loops over their repeat",
    "837P/imsweb__x12_loop_errors2_exceeds_max_repeats_multiple_parents.txt": _HL,
    "837P/imsweb__x12_loop_errors3_missing_loops.txt": _HL,
    "837P/imsweb__x12_many_claims.txt": _HL,
    "837P/imsweb__x12_missing_elements.txt": _HL,
    "837P/imsweb__x12_missing_required_loop_in_one_repeat.txt": _HL,
    "837P/imsweb__x12_missing_required_loops_mult_repeats.txt": _HL,
    "837P/imsweb__x12_multiple_gs.txt": _HL,
    "837P/imsweb__x12_multiple_isa.txt": _HL,
    "837P/imsweb__x12_multiple_st.txt": _HL,
    "837P/imsweb__x12_multiple_transactions.txt": _HL,
    "837P/imsweb__x12_no_errors.txt": _HL,
    "837P/imsweb__x12_segment_errors.txt": _HL,
    "837P/imsweb__x12_segments_out_of_order.txt": _ORDER,
    "837P/imsweb__x12_valid.txt": _HL,
    "837P/imsweb__x12_valid_different_separators.txt": _HL,
    "837P/imsweb__x12_writer_test.txt": _HL,
    "837P/oopfactory__Example1_2_And_3_Combined.txt": _ORDER + " (DMG before N3/N4)",
    "837P/oopfactory__Example3_COB.txt": _ORDER + " (DMG before N3/N4)",
    "837P/oopfactory__MissingEntityCode.txt": "an NM1 without NM101 names no provider loop",
    "837P/oopfactory__ProfessionalClaim1.txt": _ORDER + " (AMT*F5 after HI)",
    "837I/oopfactory__InstitutionalClaim5010.txt": _ORDER + " (PWK before DTP, DMG in 2320)",
    "837I/oopfactory__Spec_3.1.1.txt": _ORDER + " (DMG in 2320)",
    "837I/oopfactory__Spec_3.1.3_PPORepricedClaim.txt": _ORDER + " (DMG in 2320)",
    "837I/vscodeedi__X223-837I-two-claims-for-the-same-provider.edi": "STC after IEA",
    "837I/vscodeedi__bad-header.edi": "providers' N3/N4/PRV in loops that do not hold them",
    "835/edi835aff__sample_835.txt": "PLB with trailing empty elements and a bad composite",
    "835/edi835aff__sample_835_with_interests.txt": "PLB with a bad composite",
    "835/lfhx12__cob-contractural-adjustment.835": "two CAS*OA: the generator packs one",
    "999/staedi__invalid999.edi": "stray IK5s (before AK1, twice in a set): models type one",
}


def _round_trip(path) -> str:
    """"same", "different", or "no models" (a set with no claim or claim payment)."""
    models = list(read(path))
    if not models:
        return "no models"
    own = next(iter(read_segments(path))).delimiters
    out, _ = generated(models, lenient=True, delimiters=own)
    return "same" if set_bodies(out) == set_bodies(path) else "different"


def test_the_corpus_has_files_of_each_kind():
    assert {f.parent.name for f in FILES} >= set(KINDS) - {"837D"}  # no 5010 837D in it


def test_x12_models_x12_gives_the_same_segments_but_for_the_ledger():
    found = {corpus_id(f): _round_trip(f) for f in FILES}
    different = {name for name, verdict in found.items() if verdict == "different"}
    assert different == set(DIFFERENT)
    assert sum(verdict == "same" for verdict in found.values()) >= 100


@pytest.mark.parametrize("name", ["claims-837p.x12", "remittance-835.x12"])
def test_the_fixtures_come_back_exactly(name):
    from .conftest import FIXTURES
    out, problems = generated(read(FIXTURES / name))
    assert problems == []
    assert set_bodies(out) == set_bodies(FIXTURES / name)
