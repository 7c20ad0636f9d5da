"""The Spark engine's lake (cxbench/lake.py, docs/scale-out.md): where CXBENCH_LAKE_URI puts it,
how the export streams the sources into it, and how a new export replaces the last one, on a
local path, a file:// URI and S3 (moto's S3 server on 127.0.0.1).

Spark itself reads the lake in tests/test_spark_engine.py; these tests need neither Java nor
the spark extra.
"""

from __future__ import annotations

import json

import duckdb
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from pyarrow import fs

from cxbench import lake
from cxbench.settings import DataHome

RESPONDENTS = 40


def make_warehouse(home: DataHome, respondents: int = RESPONDENTS, first_year: int = 2020) -> None:
    """The dbt sources as ingest leaves them: respondents in two markets over two years, a file
    log, a quarantined row and no exclusions (an empty table still needs its columns)."""
    home.root.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(home.warehouse)) as con:
        con.execute("create schema if not exists raw")
        con.execute("create schema if not exists audit")
        con.execute(
            "create or replace table raw.survey_responses as select "
            "'study_' || (i % 3) || '.csv' as source_file, i::bigint as row_number, "
            "'r' || i as respondent_id, case when i % 2 = 0 then 'B2B' else 'B2C' end as market, "
            f"({first_year} + i % 4 // 2)::integer as year, "
            "date '2020-05-01' + i::integer as response_date, (i % 11)::smallint as recommend, "
            "case when i % 4 = 0 then null else 7.5 end as grade_overall "
            f"from range({respondents}) t(i)"
        )
        con.execute(
            "create or replace table audit.file_log as select 'study_' || i || '.csv' as "
            "source_file, 'loaded' as status, timestamp '2026-01-02 03:04:05' as ingested_at "
            "from range(3) t(i)"
        )
        con.execute(
            "create or replace table audit.quarantined_rows as select 'study_0.csv' as "
            "source_file, 7::bigint as row_number, 'x' as bad_value"
        )
        con.execute(
            "create or replace table audit.exclusions (kind varchar, year integer, reason varchar)"
        )


def warehouse_rows(home: DataHome) -> list[tuple]:
    with duckdb.connect(str(home.warehouse), read_only=True) as con:
        return con.execute(
            "select respondent_id, market, year, response_date, recommend, grade_overall "
            "from raw.survey_responses order by respondent_id"
        ).fetchall()


def lake_rows(filesystem: fs.FileSystem, folder: str) -> list[tuple]:
    """The respondents as Spark sees them: the files plus the market=/year= folders."""
    table = ds.dataset(folder, filesystem=filesystem, partitioning="hive").to_table()
    frame = table.to_pandas()
    columns = ["respondent_id", "market", "year", "response_date", "recommend", "grade_overall"]
    rows = [tuple(row) for row in frame[columns].itertuples(index=False)]
    return sorted(
        ((r[0], r[1], int(r[2]), r[3], int(r[4]), None if r[5] != r[5] else r[5]) for r in rows),
        key=lambda r: r[0],
    )


def spark_lake(home: DataHome) -> str:
    args = lake.dbt_args(home, ["build"])
    return json.loads(args[args.index("--vars") + 1])["cxbench_lake"]


@pytest.fixture
def home(tmp_path, monkeypatch) -> DataHome:
    monkeypatch.delenv(lake.LAKE_URI_ENV, raising=False)
    data_home = DataHome(tmp_path / "home")
    make_warehouse(data_home)
    return data_home


# --- where the lake is ------------------------------------------------------------------------


def test_the_lake_defaults_to_the_data_home(home):
    location = lake.lake_location(home)
    assert isinstance(location.filesystem, fs.LocalFileSystem) and location.renames
    assert location.path == (home.root / "spark" / "lake").as_posix()
    assert spark_lake(home) == str(home.root / "spark" / "lake")


def test_a_plain_path_is_taken_from_the_working_folder(home, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(lake.LAKE_URI_ENV, "elsewhere/lake")
    location = lake.lake_location(home)
    assert location.path == (tmp_path / "elsewhere" / "lake").as_posix()
    assert location.spark_uri == str(tmp_path / "elsewhere" / "lake")


def test_a_file_uri_stays_a_uri_for_spark(home, tmp_path, monkeypatch):
    monkeypatch.setenv(lake.LAKE_URI_ENV, f"file://{tmp_path}/lake/")
    location = lake.lake_location(home)
    assert isinstance(location.filesystem, fs.LocalFileSystem) and location.renames
    assert location.path == f"{tmp_path}/lake"
    assert location.spark_uri == f"file://{tmp_path}/lake"


@pytest.mark.parametrize("scheme", ["s3", "s3a"])
def test_s3_is_s3a_for_spark_without_pyarrows_options_or_credentials(home, monkeypatch, scheme):
    monkeypatch.setenv(
        lake.LAKE_URI_ENV,
        f"{scheme}://key:secret@bucket/cx/lake?region=eu-west-1&endpoint_override=127.0.0.1:9",
    )
    location = lake.lake_location(home)
    assert isinstance(location.filesystem, fs.S3FileSystem) and not location.renames
    assert location.filesystem.region == "eu-west-1"
    assert location.path == "bucket/cx/lake"
    assert location.spark_uri == "s3a://bucket/cx/lake"


def test_a_lake_pyarrow_cannot_write_names_the_setting_not_its_credentials(home, monkeypatch):
    monkeypatch.setenv(lake.LAKE_URI_ENV, "nosuchscheme://key:secret@bucket/lake?x=1")
    with pytest.raises(ValueError, match=lake.LAKE_URI_ENV) as raised:
        lake.lake_location(home)
    assert "nosuchscheme://bucket/lake" in str(raised.value)
    assert "secret" not in str(raised.value)


# --- a local lake: staged, then swapped in ----------------------------------------------------


@pytest.mark.parametrize("form", ["path", "file-uri"])
def test_a_local_export_streams_each_partition_and_replaces_the_last(
    home, tmp_path, monkeypatch, form
):
    where = tmp_path / "the lake"
    # A URI is percent-encoded (the space); Spark gets the path as it is.
    monkeypatch.setenv(lake.LAKE_URI_ENV, str(where) if form == "path" else where.as_uri())
    written = lake.export_sources(home, batch_rows=4)
    assert written == {
        "raw.survey_responses": RESPONDENTS,
        "audit.file_log": 3,
        "audit.quarantined_rows": 1,
        "audit.exclusions": 0,
    }
    respondents = where / "raw" / "survey_responses"
    assert sorted(p.relative_to(respondents).as_posix() for p in respondents.glob("*/*")) == [
        "market=B2B/year=2020",
        "market=B2B/year=2021",
        "market=B2C/year=2020",
        "market=B2C/year=2021",
    ]
    # Streamed: one row group per batch of 4 rows, not the partition's 10 rows at once.
    part = pq.ParquetFile(respondents / "market=B2B" / "year=2020" / "part-0.parquet")
    assert part.metadata.num_rows == 10 and part.metadata.num_row_groups == 3
    assert "market" not in part.schema_arrow.names  # in the folder names only, as Hive has it
    assert lake_rows(fs.LocalFileSystem(), str(respondents)) == warehouse_rows(home)
    # An empty source still has a file with its columns, from which Spark reads the schema.
    empty = pq.ParquetFile(where / "audit" / "exclusions" / "part-0.parquet")
    assert empty.metadata.num_rows == 0 and empty.schema_arrow.names == ["kind", "year", "reason"]
    expected_uri = str(where) if form == "path" else f"file://{where}"
    assert spark_lake(home) == expected_uri

    # The next export (other years now) replaces every table whole.
    make_warehouse(home, respondents=8, first_year=2024)
    lake.export_sources(home)
    assert lake_rows(fs.LocalFileSystem(), str(respondents)) == warehouse_rows(home)
    assert {p.name for p in respondents.glob("market=B2B/*")} == {"year=2024", "year=2025"}
    assert not [p.name for p in where.rglob(".*")]  # no staged or set-aside folders left


def test_a_failed_export_leaves_the_last_one_in_place(home, monkeypatch):
    lake.export_sources(home)
    folder = home.root / "spark" / "lake"
    before = sorted(p.relative_to(folder) for p in folder.rglob("*"))
    real_write = lake._write_table

    def fail_on_the_last_source(con, schema, table, *args):
        if (schema, table) == ("audit", "exclusions"):
            raise OSError("disk full")
        return real_write(con, schema, table, *args)

    make_warehouse(home, respondents=8, first_year=2024)
    monkeypatch.setattr(lake, "_write_table", fail_on_the_last_source)
    with pytest.raises(OSError, match="disk full"):
        lake.export_sources(home)
    assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == before


def test_partition_values_are_escaped_as_hive_does():
    assert lake._partition_value(2020) == "2020"
    assert lake._partition_value("a/b=c") == "a%2Fb%3Dc"


# --- an object store: a fresh prefix per export, then the pointer -----------------------------


@pytest.fixture(scope="module")
def s3_server():
    """moto's S3 on 127.0.0.1 (a free port), with one bucket."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_lake(s3_server, monkeypatch, request) -> tuple[fs.S3FileSystem, str]:
    # Credentials from the environment, as on a real deployment; nothing leaves the machine.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    options = f"endpoint_override={s3_server}&scheme=http&region=us-east-1"
    bucket = f"lake-{request.node.name.replace('_', '-')[:40].lower()}"
    admin = fs.S3FileSystem(
        endpoint_override=s3_server, scheme="http", region="us-east-1", allow_bucket_creation=True
    )
    admin.create_dir(bucket)
    monkeypatch.setenv(lake.LAKE_URI_ENV, f"s3://{bucket}/cx/lake?{options}")
    return admin, f"{bucket}/cx/lake"


def _exports(filesystem: fs.FileSystem, root: str) -> list[str]:
    found = filesystem.get_file_info(fs.FileSelector(f"{root}/exports", allow_not_found=True))
    return sorted(info.base_name for info in found if info.type == fs.FileType.Directory)


def _current(filesystem: fs.FileSystem, root: str) -> str:
    with filesystem.open_input_stream(f"{root}/_current_export") as stream:
        return stream.read().decode()


def test_an_s3_export_goes_to_a_fresh_prefix_that_spark_is_pointed_at(home, s3_lake):
    s3, root = s3_lake
    with pytest.raises(FileNotFoundError, match="no export yet"):
        spark_lake(home)
    written = lake.export_sources(home, batch_rows=4)
    assert written["raw.survey_responses"] == RESPONDENTS and written["audit.exclusions"] == 0
    [first] = _exports(s3, root)
    assert _current(s3, root) == first
    respondents = f"{root}/exports/{first}/raw/survey_responses"
    assert lake_rows(s3, respondents) == warehouse_rows(home)
    part = pq.ParquetFile(s3.open_input_file(f"{respondents}/market=B2C/year=2021/part-0.parquet"))
    assert part.metadata.num_rows == 10 and part.metadata.num_row_groups == 3
    # dbt's var: what a cluster with hadoop-aws reads, without pyarrow's options.
    bucket = root.split("/")[0]
    assert spark_lake(home) == f"s3a://{bucket}/cx/lake/exports/{first}"

    # The next export: a new prefix, the pointer moves; the one before stays for a reader
    # still on it; the one before that goes.
    make_warehouse(home, respondents=8, first_year=2024)
    lake.export_sources(home)
    second = _current(s3, root)
    assert _exports(s3, root) == sorted([first, second])
    assert lake_rows(s3, f"{root}/exports/{second}/raw/survey_responses") == warehouse_rows(home)
    lake.export_sources(home)
    third = _current(s3, root)
    assert _exports(s3, root) == sorted([second, third])
    assert spark_lake(home) == f"s3a://{bucket}/cx/lake/exports/{third}"


def test_a_failed_s3_export_leaves_the_pointer_and_no_prefix(home, s3_lake, monkeypatch):
    s3, root = s3_lake
    lake.export_sources(home)
    [current] = _exports(s3, root)
    real_write = lake._write_table

    def fail_on_the_last_source(con, schema, table, *args):
        if (schema, table) == ("audit", "exclusions"):
            raise OSError("connection reset")
        return real_write(con, schema, table, *args)

    monkeypatch.setattr(lake, "_write_table", fail_on_the_last_source)
    with pytest.raises(OSError, match="connection reset"):
        lake.export_sources(home)
    assert _current(s3, root) == current
    assert _exports(s3, root) == [current]


def test_the_lake_setting_needs_no_data_home_folder(home, s3_lake):
    lake.export_sources(home)
    assert not (home.root / "spark").exists()
