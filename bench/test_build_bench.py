"""Generating X12 from models: x12kit beside x12sdk's generator, on the same claims.

Groups (``bench/report.py`` prints the ratios):
  build-837p  the claims of the X12KIT_BENCH_BUILD_CLAIMS-claim 837P (default 50000), read into
              models once: x12kit writes them (``x12kit.generate.generate``); x12sdk builds its
              validated 837P model from the same claims (charge, lines with procedure, charge
              and units, the patient's place) and writes it (``build_837p`` and
              ``write_transactions``, what ``generate_837p`` does)
  build-835   the same for the same-size 835 (claims with their claim and line adjustments,
              ``build_835``)

In each group x12kit writes the models twice: as read (``x12kit``: a model left unchanged is
written from the loops it was read from, its shape verified once by the typed path) and built
anew (``x12kit-anew``: each model's record decoded without its loops, as a billing system's
own models or ``x12kit build``'s come, so every segment is drafted from the model's fields and
checked against the guide: x12sdk's own case, which builds from its specifications).

The models are made before the clock starts; each side's output goes to memory. x12kit
runs X12KIT_BENCH_ROUNDS rounds (default 3), x12sdk one (a minute or more at 50k claims).
MB/s is the size of what each side writes over its time (x12kit writes every segment the claims carry:
names, addresses, references ..., x12sdk the fewer its specifications hold, so its files are
smaller: the ratio of claims per second is the fairer one, and ``extra_info`` has both).
"""
from __future__ import annotations

import io
import os
from datetime import datetime

import pytest

from bench.support import ROUNDS, bench_file

CLAIMS = int(os.environ.get("X12KIT_BENCH_BUILD_CLAIMS", "50000"))
WHEN = datetime(2024, 1, 1, 12, 0)


@pytest.fixture(scope="module")
def claims_837p():
    from x12kit.models import read
    return list(read(bench_file("837p", CLAIMS)))


@pytest.fixture(scope="module")
def payments_835():
    from x12kit.models import ClaimPayment, read
    return [m for m in read(bench_file("835", CLAIMS)) if isinstance(m, ClaimPayment)]


@pytest.fixture(scope="module")
def claims_837p_anew(claims_837p):
    return _anew(claims_837p)


@pytest.fixture(scope="module")
def payments_835_anew(payments_835):
    return _anew(payments_835)


def _anew(models: list) -> list:
    """The models built anew: each one's typed record decoded, with no loops as read."""
    from x12kit.generate.records import decode
    from x12kit.models.jsonify import to_json
    return [decode({"type": type(m).__name__, **to_json(m)}).model for m in models]


def _timed(benchmark, fn, count: int, rounds: int = 1, peer: str = "x12kit"):
    out = benchmark.pedantic(fn, rounds=rounds, iterations=1, warmup_rounds=0)
    benchmark.extra_info["peer"] = peer
    if benchmark.stats is not None:
        mean = benchmark.stats.stats.mean
        benchmark.extra_info.update(bytes=len(out), claims=count,
                                    mb_per_s=round(len(out) / mean / 1e6, 2),
                                    claims_per_s=round(count / mean))
    return out


def _x12kit(models):
    from x12kit.generate import EnvelopeOptions, generate

    def run() -> bytes:
        out = io.BytesIO()
        generate(models, out, EnvelopeOptions(when=WHEN), lenient=True)
        return out.getvalue()
    return run


@pytest.mark.benchmark(group="build-837p")
def test_x12kit_837p(benchmark, claims_837p):
    out = _timed(benchmark, _x12kit(claims_837p), len(claims_837p), ROUNDS)
    assert out.count(b"CLM*") == len(claims_837p)


@pytest.mark.benchmark(group="build-837p")
def test_x12kit_anew_837p(benchmark, claims_837p_anew):
    out = _timed(benchmark, _x12kit(claims_837p_anew), len(claims_837p_anew), ROUNDS,
                 "x12kit-anew")
    assert out.count(b"CLM*") == len(claims_837p_anew)


@pytest.mark.benchmark(group="build-837p")
def test_x12sdk_837p(benchmark, claims_837p):
    from x12sdk.generate import ClaimSpec, PatientSpec, ServiceLineSpec, SubmissionSpec
    from x12sdk.generate import build_837p
    from x12sdk.io import write_transactions
    spec = SubmissionSpec(patients=[PatientSpec(
        claims=[ClaimSpec(charge=c.charge, patient_control_number=c.pcn[:20], lines=[
            ServiceLineSpec(charge=line.charge, procedure=line.procedure.code,
                            units=int(line.units or 1)) for line in c.lines])],
        dependent=c.patient is not None) for c in claims_837p])

    def run() -> bytes:
        return write_transactions([build_837p(spec)], sender_id="X12KIT",
                                  receiver_id="RECEIVER", created=WHEN).encode()
    out = _timed(benchmark, run, len(claims_837p), peer="x12sdk")
    assert out.count(b"CLM*") == len(claims_837p)


@pytest.mark.benchmark(group="build-835")
def test_x12kit_835(benchmark, payments_835):
    out = _timed(benchmark, _x12kit(payments_835), len(payments_835), ROUNDS)
    assert out.count(b"CLP*") == len(payments_835)


@pytest.mark.benchmark(group="build-835")
def test_x12kit_anew_835(benchmark, payments_835_anew):
    out = _timed(benchmark, _x12kit(payments_835_anew), len(payments_835_anew), ROUNDS,
                 "x12kit-anew")
    assert out.count(b"CLP*") == len(payments_835_anew)


@pytest.mark.benchmark(group="build-835")
def test_x12sdk_835(benchmark, payments_835):
    from x12sdk.generate import AdjustmentSpec, ClaimSpec, RemittanceSpec, ServiceLineSpec
    from x12sdk.generate import build_835
    from x12sdk.io import write_transactions

    def adjustments(found):
        return [AdjustmentSpec(a.group, a.reason, a.amount) for a in found]
    spec = RemittanceSpec(claims=[ClaimSpec(
        charge=p.charge, status=p.status if p.status in ("1", "2", "3", "4") else "1",
        patient_control_number=p.pcn[:20], adjustments=adjustments(p.adjustments), lines=[
            ServiceLineSpec(charge=s.charge, procedure=s.procedure.code if s.procedure else None,
                            adjustments=adjustments(s.adjustments)) for s in p.services])
        for p in payments_835 if p.charge is not None and p.charge > 0])

    def run() -> bytes:
        return write_transactions([build_835(spec)], sender_id="X12KIT",
                                  receiver_id="RECEIVER", created=WHEN).encode()
    out = _timed(benchmark, run, len(spec.claims), peer="x12sdk")
    assert out.count(b"CLP*") == len(spec.claims)
