"""Models from input fed in random chunks equal the models from input fed whole (STYLE.md:
every reader, whole and in pieces)."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from tests.conftest import CORPUS, FIXTURES
from x12kit.models import read
from x12kit.models.reading import models_of
from x12kit.tokenizer import Tokenizer

FILES = [FIXTURES / "claims-837p.x12", FIXTURES / "remittance-835.x12",
         CORPUS / "271" / "tigersharkz__5010-271-example-1.txt",
         CORPUS / "277CA" / "imsweb__x12_277CA_rejected.txt",
         CORPUS / "999" / "oopfactory__DHS_Wisconsin_Sample.txt"]
WHOLE = {path: list(read(path)) for path in FILES}


def chunked(data: bytes, cuts: list[int]):
    tokenizer, start = Tokenizer(), 0
    for cut in sorted(c % (len(data) + 1) for c in cuts):
        yield from tokenizer.feed(data[start:cut])
        start = max(start, cut)
    yield from tokenizer.feed(data[start:])
    yield from tokenizer.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(FILES), cuts=st.lists(st.integers(min_value=0), max_size=30))
def test_models_do_not_depend_on_how_the_input_is_cut(path, cuts):
    assert WHOLE[path], "the file gives models"
    assert [m for _, m in models_of(chunked(path.read_bytes(), cuts))] == WHOLE[path]
