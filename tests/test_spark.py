"""The "x12" Spark data source in local mode: every table on the real corpus, the same rows
as the tables module and as the Parquet files batch writes, large files split into ranges
of sets with the rows unchanged, and bad input named by file and byte.

Skipped where PySpark (or Java) is missing, unless X12KIT_REQUIRE_SPARK=1 (CI): then that
is a failure."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, ROOT, corpus_files
from x12kit import X12ReadError

REQUIRED = os.environ.get("X12KIT_REQUIRE_SPARK") == "1"
try:
    import pyspark  # noqa: F401
except ImportError:  # pragma: no cover - only without the spark extra
    if REQUIRED:
        raise
    pytest.skip("pyspark is not installed (pip install -e '.[spark]')", allow_module_level=True)
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):  # pragma: no cover
    if REQUIRED:
        raise RuntimeError("X12KIT_REQUIRE_SPARK=1 but there is no java for Spark")
    pytest.skip("Spark needs a Java runtime", allow_module_level=True)

import pyarrow.parquet as pq  # noqa: E402

from x12kit.convert.parquet import ParquetTables  # noqa: E402
from x12kit.convert.tables import TABLES, finding_rows, rows_of, rows_to_batch  # noqa: E402
from x12kit.ranges import plan_pieces  # noqa: E402
from x12kit.validate.pipeline import validate_events  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from generate import write_file  # noqa: E402


def _converts(path: Path) -> bool:
    try:
        for _ in rows_of(path):
            pass
        return True
    except X12ReadError:
        return False


CONVERTING = [str(f) for kind in ("837P", "837I", "837D", "835") for f in corpus_files(kind)
              if _converts(f)]
CLAIM_FILES = CONVERTING[::3]   # a third of them, of every kind (Spark's tasks are slow)


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    import x12kit.spark
    # the Python workers must import this checkout's x12kit, as the test process does
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (SparkSession.builder.master("local[2]").appName("x12kit-tests")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "2")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    x12kit.spark.register(session)
    yield session
    session.stop()


def _read(spark, table: str, paths, **options):
    reader = spark.read.format("x12").option("table", table)
    for name, value in options.items():
        reader = reader.option(name, str(value))
    return reader.load(paths)


def _rows(frame) -> list[dict]:
    return frame.toArrow().to_pylist()


@pytest.fixture(scope="module")
def parquet_tables(tmp_path_factory) -> dict[str, list[dict]]:
    """The rows of every set of each file (rows_of) and the findings of its validation,
    written through ParquetTables and read back with pyarrow, table by table."""
    out = tmp_path_factory.mktemp("parquet")
    tables: dict[str, list[dict]] = {name: [] for name in TABLES}
    for n, path in enumerate(CLAIM_FILES):
        with ParquetTables(out, f"{n}") as writer:
            for table, row in rows_of(path, path):
                writer.add(table, row)
            for row in finding_rows(validate_events(path), path, lines_from=path):
                writer.add("findings", row)
        for table, file in writer.paths.items():
            tables[table] += pq.read_table(file).to_pylist()
    return tables


def _arrow_rows(table: str, rows: list[dict]) -> list[dict]:
    """The rows as Arrow holds them (decimals at the column's scale, say)."""
    return rows_to_batch(table, rows).to_pylist() if rows else []


@pytest.mark.parametrize("table", TABLES)
def test_every_table_loads_the_rows_of_the_tables_module_and_of_batch(spark, parquet_tables,
                                                                       table):
    got = _rows(_read(spark, table, CLAIM_FILES, validate="false"))
    assert got == parquet_tables[table]
    if table != "findings":
        assert got == _arrow_rows(table, [row for path in CLAIM_FILES
                                          for name, row in rows_of(path, path)
                                          if name == table])
    assert got


@pytest.fixture(scope="module")
def large_files(tmp_path_factory) -> list[str]:
    """A generated 837P and 835 of several interchanges, each over 1 MB."""
    folder = tmp_path_factory.mktemp("large")
    paths = []
    for kind in ("837p", "835"):
        path = folder / f"large.{kind}"
        write_file(kind, 600, path, claims_per_st=40, target_bytes=1_200_000)
        paths.append(str(path))
    return paths


@pytest.mark.parametrize("table", ["claims", "diagnoses", "adjustments",
                                   "provider_adjustments"])
def test_a_file_split_into_ranges_of_sets_gives_the_rows_of_one_piece(spark, large_files,
                                                                        table):
    split = _read(spark, table, large_files, splitBytes=100_000, packBytes=1)
    whole = _read(spark, table, large_files, splitBytes=1 << 30, packBytes=1)
    pieces = sum(len(plan_pieces(path, 100_000)) for path in large_files)
    assert split.rdd.getNumPartitions() == pieces >= 5 * len(large_files)
    assert whole.rdd.getNumPartitions() == len(large_files)
    rows = _rows(split)
    assert rows == _rows(whole) and rows


def _claim_folder(folder) -> None:
    """Three corpus claim files in subfolders of ``folder`` (``subN/claims.x12``) and a
    text file that is no X12."""
    for n, path in enumerate(CLAIM_FILES[:3]):
        (folder / f"sub{n}").mkdir(parents=True)
        shutil.copy(path, folder / f"sub{n}" / "claims.x12")
    (folder / "notes.txt").write_text("not X12")


def test_a_folder_and_a_pattern_name_their_files(spark, tmp_path):
    _claim_folder(tmp_path / "in")
    from_folder = _rows(_read(spark, "claims", str(tmp_path / "in"), validate="false"))
    from_pattern = _rows(_read(spark, "claims", str(tmp_path / "in" / "sub*" / "*.x12"),
                               validate="false"))
    assert from_folder == from_pattern
    assert sorted({row["source"] for row in from_folder}) == [
        str(tmp_path / "in" / f"sub{n}" / "claims.x12") for n in range(3)]


def test_small_pieces_are_read_together_in_partitions_of_about_pack_bytes(spark, large_files):
    from x12kit.spark.partitions import pack
    pieces = [piece for path in large_files for piece in plan_pieces(path, 100_000)]
    runs = pack(pieces, 250_000)
    assert [piece for run in runs for piece in run] == pieces   # each once, in order
    assert 1 < len(runs) < len(pieces) and all(len(run) in (2, 3) for run in runs[:-1])
    packed = _read(spark, "claims", large_files, splitBytes=100_000, packBytes=250_000)
    assert packed.rdd.getNumPartitions() == len(runs)
    assert _rows(packed) == _rows(_read(spark, "claims", large_files, splitBytes=1 << 30))


def _cut_short(tmp_path: Path) -> tuple[Path, int]:
    good = (ROOT / "fixtures" / "claims-837p.x12").read_bytes()
    bad = tmp_path / "cut-short.x12"
    bad.write_bytes(good + b"ISA*00*    *00*")   # a second interchange cut off in its header
    return bad, len(good)


def test_a_bad_file_fails_the_job_with_its_byte_in_failfast_mode(spark, tmp_path):
    bad, offset = _cut_short(tmp_path)
    with pytest.raises(Exception) as caught:
        _read(spark, "claims", str(bad), mode="failfast").collect()
    message = str(caught.value)
    assert f"X12SourceError: {bad}: byte {offset}: unreadable ISA header" in message


def test_a_bad_file_gives_no_rows_and_a_finding_by_default(spark, tmp_path):
    """PERMISSIVE, as batch: the other files are read; the bad one is named in findings."""
    bad, offset = _cut_short(tmp_path)
    good = str(ROOT / "fixtures" / "claims-837p.x12")
    claims = _rows(_read(spark, "claims", [str(bad), good]))
    assert claims and {row["source"] for row in claims} == {good}
    findings = _rows(_read(spark, "findings", [str(bad), good]))
    unreadable = [row for row in findings if row["code"] == "unreadable"]
    assert [(row["source"], row["offset"], row["severity"]) for row in unreadable] == [
        (str(bad), offset, "error")]
    assert unreadable[0]["line"] is not None and "unreadable ISA header" in \
        unreadable[0]["message"]


def test_an_unknown_table_or_a_missing_file_is_a_usage_error(spark, tmp_path):
    with pytest.raises(Exception, match="option table: charges; one of claims, "):
        _read(spark, "charges", CLAIM_FILES[0]).schema
    with pytest.raises(Exception, match=f"{tmp_path}/missing.x12: no such file"):
        _read(spark, "claims", str(tmp_path / "missing.x12")).collect()


def _one_set_rejected(large: str, tmp_path: Path) -> Path:
    """The large 837P with its first claim's charge made no number: that set is rejected."""
    text = Path(large).read_text()
    first = text.index("CLM*")
    charge = text.index("*", first + 4)
    broken = tmp_path / "one-set-rejected.837p"
    broken.write_text(text[:charge + 1] + "X" + text[charge + 1:])
    return broken


def test_the_rows_are_those_x12kit_batch_writes_as_parquet(spark, large_files, tmp_path):
    """The same rows as `x12kit batch --to parquet` itself on the same inputs, with a set
    rejected (left out of the data tables) in a file read in ranges of sets."""
    from x12kit.batch import Settings, run_batch
    broken = _one_set_rejected(large_files[0], tmp_path)
    inputs = [str(ROOT / "fixtures" / "claims-837p.x12"),
              str(ROOT / "fixtures" / "remittance-835.x12"),
              str(CORPUS / "835" / "tastyx12__profee-multiple.edi"),
              str(broken), large_files[1]]
    out = tmp_path / "out"
    results = []
    run_batch(inputs, Settings(out, "parquet", 5, False, tmp_path / "n"), 1, results.append)
    assert [r.status for r in results] == ["done"] * 3 + ["rejected", "done"]
    key = lambda row: (row["source"], row["set_offset"], str(sorted(row.items())))  # noqa: E731
    for table in TABLES:
        written = [row for file in sorted((out / "converted").glob(f"*.{table}.parquet"))
                   for row in pq.read_table(file).to_pylist()]
        got = _rows(_read(spark, table, inputs, splitBytes=200_000))
        assert written and sorted(got, key=key) == sorted(written, key=key), table
    every_set = _rows(_read(spark, "claims", [str(broken)], validate="false"))
    accepted = _rows(_read(spark, "claims", [str(broken)]))
    assert 0 < len(accepted) < len(every_set)


# --- object storage: a real S3 endpoint (moto's server) read through fsspec's s3fs

SECRET = "s3cr3t-never-shown"


@pytest.fixture(scope="module")
def rejecting(large_files, tmp_path_factory) -> str:
    return str(_one_set_rejected(large_files[0], tmp_path_factory.mktemp("rejecting")))


@pytest.fixture(scope="module")
def bucket(large_files, rejecting):
    """An S3 endpoint on a free port with the bucket "edi": in/ holds CLAIM_FILES (keys in
    their order) and a note that is no X12, big/ the large files and the one with a set
    rejected. Gives the JSON of storageOptions and the URL of each local file."""
    import json
    import socket

    if not REQUIRED:
        pytest.importorskip("moto.server", reason="pip install -e '.[test]'")
        pytest.importorskip("s3fs", reason="pip install -e '.[spark]'")
    import boto3
    from moto.server import ThreadedMotoServer
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key=SECRET)
    client.create_bucket(Bucket="edi")
    urls = {}
    for n, path in enumerate(CLAIM_FILES):
        key = f"in/{n:03d}-{Path(path).name}"
        client.put_object(Bucket="edi", Key=key, Body=Path(path).read_bytes())
        urls[path] = f"s3://edi/{key}"
    client.put_object(Bucket="edi", Key="in/notes.txt", Body=b"not X12")
    for path in large_files + [rejecting]:
        key = f"big/{Path(path).name}"
        client.put_object(Bucket="edi", Key=key, Body=Path(path).read_bytes())
        urls[path] = f"s3://edi/{key}"
    options = json.dumps({"endpoint_url": endpoint, "key": "testing", "secret": SECRET,
                          "client_kwargs": {"region_name": "us-east-1"}})
    yield options, urls
    server.stop()


def _sourced(rows: list[dict], urls: dict[str, str]) -> list[dict]:
    """The rows with each local source replaced by its URL (in ids made of it too)."""
    def swapped(row: dict) -> dict:
        path, url = row["source"], urls[row["source"]]
        return {name: url + value[len(path):] if isinstance(value, str)
                and value.startswith(path) else value for name, value in row.items()}
    return [swapped(row) for row in rows]


@pytest.mark.parametrize("table", TABLES)
def test_every_table_reads_from_s3_the_rows_of_the_local_files(spark, bucket, table):
    options, urls = bucket
    got = _rows(_read(spark, table, "s3://edi/in/", validate="false", storageOptions=options))
    local = _rows(_read(spark, table, CLAIM_FILES, validate="false"))
    assert got == _sourced(local, urls) and got
    assert {row["source"] for row in got} <= set(urls.values())


def test_a_large_object_is_read_in_ranges_of_sets_with_the_rows_of_one_piece(spark, bucket,
                                                                              large_files):
    options, urls = bucket
    url = urls[large_files[1]]
    split = _read(spark, "adjustments", url, splitBytes=100_000, packBytes=1,
                  storageOptions=options)
    whole = _read(spark, "adjustments", url, storageOptions=options)
    assert split.rdd.getNumPartitions() == len(plan_pieces(large_files[1], 100_000)) >= 5
    assert whole.rdd.getNumPartitions() == 1
    rows = _rows(split)
    assert rows == _rows(whole) == _sourced(_rows(_read(spark, "adjustments", large_files[1])),
                                            urls)


def test_validation_reads_from_s3_as_from_local(spark, bucket, rejecting):
    """The validating pass reads each range again, and leaves out the set it rejects."""
    options, urls = bucket
    got = _rows(_read(spark, "claims", urls[rejecting], splitBytes=300_000,
                      storageOptions=options))
    every_set = _rows(_read(spark, "claims", rejecting, validate="false"))
    accepted = _rows(_read(spark, "claims", rejecting, splitBytes=300_000))
    assert got == _sourced(accepted, urls) and 0 < len(got) < len(every_set)


def test_a_missing_object_is_named_by_its_url_and_no_secret(spark, bucket):
    options, urls = bucket
    missing = "s3://edi/in/missing.x12"
    claims = _rows(_read(spark, "claims", [missing, urls[CLAIM_FILES[0]]], validate="false",
                         storageOptions=options))
    assert claims and {row["source"] for row in claims} == {urls[CLAIM_FILES[0]]}
    findings = _rows(_read(spark, "findings", missing, storageOptions=options))
    assert [(row["code"], row["source"], row["message"]) for row in findings] == [
        ("unreadable", missing, "cannot read: no such file")]
    with pytest.raises(Exception) as caught:
        _read(spark, "claims", missing, mode="failfast", storageOptions=options).collect()
    message = str(caught.value)
    assert f"X12SourceError: {missing}: cannot read: no such file" in message
    assert SECRET not in message


def test_a_file_url_reads_through_fsspec_as_the_path_does(spark, tmp_path):
    _claim_folder(tmp_path / "in")
    local = _rows(_read(spark, "claims", str(tmp_path / "in"), validate="false"))
    from_folder = _rows(_read(spark, "claims", f"file://{tmp_path}/in/", validate="false"))
    from_pattern = _rows(_read(spark, "claims", f"file://{tmp_path}/in/sub*/*.x12",
                               validate="false"))
    urls = {row["source"]: f"file://{row['source']}" for row in local}
    assert from_folder == from_pattern == _sourced(local, urls) and local


def test_a_url_is_shown_without_its_password_or_query():
    from x12kit.spark.storage import shown
    assert shown("s3://edi/in/a.x12?versionId=7#x") == "s3://edi/in/a.x12"
    assert shown("https://user:pass@host/in/a.x12?sig=abc") == "https://host/in/a.x12"
    assert shown("abfs://claims@account.dfs.core.windows.net/in/") == \
        "abfs://claims@account.dfs.core.windows.net/in/"
    assert shown("/mnt/edi/in/a?b.x12") == "/mnt/edi/in/a?b.x12"


def test_bad_storage_options_are_a_usage_error_that_does_not_repeat_them(spark, bucket):
    options, urls = bucket
    with pytest.raises(Exception) as caught:
        _read(spark, "claims", "s3://edi/in/", storageOptions='{"secret": "' + SECRET).collect()
    assert "option storageOptions must be a JSON object" in str(caught.value)
    assert SECRET not in str(caught.value)
    unknown = options[:-1] + ', "no_such_option": 1}'
    with pytest.raises(Exception, match="storageOptions: not all accepted by s3://"):
        _read(spark, "claims", "s3://edi/in/", storageOptions=unknown).collect()


def test_a_read_that_fails_mid_object_is_an_x12_read_error_at_its_byte():
    """A dropped connection or a denied range: the reader reports where reading stopped."""
    import io

    from x12kit.spark.storage import _Located

    class Dropping(io.BytesIO):
        def readinto(self, buffer):
            if self.tell() >= 1000:
                raise ConnectionResetError(104, "reset by peer at GET /edi/x?sig=abc")
            return super().readinto(memoryview(buffer)[:1000 - self.tell()])

    data = (ROOT / "fixtures" / "claims-837p.x12").read_bytes()
    from x12kit.reader import read_segments
    with pytest.raises(X12ReadError) as caught:
        list(read_segments(_Located(Dropping(data), "s3://edi/x")))
    assert (caught.value.offset, caught.value.message) == (1000, "cannot read: Connection reset"
                                                                 " by peer")
