"""What BI tools rely on: descriptions, and each way of connecting the README documents."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.dataset as ds
import pytest

from cxbench.publication import PUBLIC_TABLES, STORAGE_VERSION_ENV, publish
from cxbench.settings import DataHome
from tests.publication.homes import copy_home

pytestmark = pytest.mark.slow


def test_tables_and_most_columns_carry_their_description(published_home: Path):
    con = duckdb.connect(str(published_home / "published" / "benchmark.duckdb"), read_only=True)
    try:
        tables = dict(
            con.execute(
                "select table_name, comment from duckdb_tables() where schema_name = 'main'"
            ).fetchall()
        )
        # duckdb_columns() also lists the system catalog's views, in a schema `main` of their own
        columns = con.execute(
            "select table_name, column_name, comment from duckdb_columns() "
            "where database_name = 'benchmark' and schema_name = 'main'"
        ).fetchall()
    finally:
        con.close()
    assert set(tables) == set(PUBLIC_TABLES)
    assert all(comment and len(comment) > 40 for comment in tables.values())
    described = [c for c in columns if c[2]]
    assert len(described) / len(columns) >= 0.9, [c[:2] for c in columns if not c[2]]


def test_duckdb_reads_it_read_only_as_the_readme_says(published_home: Path):
    snapshot = published_home / "published" / "benchmark.duckdb"
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        # The first queries a BI user types: qualified by the file's name, and bare.
        qualified = con.execute("select count(*) from benchmark.nps_by_sector_year").fetchone()[0]
        bare = con.execute("select count(*) from nps_by_sector_year").fetchone()[0]
        assert qualified == bare > 0
        assert con.execute("select current_schema()").fetchone()[0] == "main"
    finally:
        con.close()
    con = duckdb.connect()
    try:
        con.execute(f"attach '{snapshot}' as cx (read_only)")
        rows = con.execute("select * from cx.nps_by_sector_year").df()
        assert len(rows) > 0 and "organisation_id" not in rows.columns
    finally:
        con.close()


def test_sqlalchemy_reads_it_through_duckdb_engine(published_home: Path):
    """The URL a Superset user enters (README, 'Connect your BI tool')."""
    import sqlalchemy as sa

    snapshot = (published_home / "published" / "benchmark.duckdb").resolve()
    engine = sa.create_engine(f"duckdb:///{snapshot}?access_mode=read_only")
    try:
        with engine.connect() as connection:
            count = connection.execute(
                sa.text("select count(*) from benchmark.nps_by_sector_year")
            ).scalar()
            bare = connection.execute(sa.text("select count(*) from nps_by_sector_year")).scalar()
            assert count == bare > 0
            with pytest.raises(sa.exc.DBAPIError):  # read-only: a BI tool cannot write
                connection.execute(sa.text("create table benchmark.x (a int)"))
        assert set(sa.inspect(engine).get_table_names()) == set(PUBLIC_TABLES)
    finally:
        engine.dispose()


def test_parquet_tools_read_the_folder(published_home: Path):
    folder = published_home / "published" / "parquet"
    con = duckdb.connect(str(published_home / "published" / "benchmark.duckdb"), read_only=True)
    try:
        for table in PUBLIC_TABLES:
            from_parquet = pd.read_parquet(folder / f"{table}.parquet")
            rows = con.execute(f"select count(*) from benchmark.{table}").fetchone()[0]
            assert len(from_parquet) == rows
            assert "organisation_id" not in from_parquet.columns
    finally:
        con.close()
    # A folder reader (Power BI, pyarrow) sees the same files.
    nps = ds.dataset(folder / "nps_by_sector_year.parquet", format="parquet").to_table()
    assert nps.num_rows > 0


def test_the_snapshot_can_be_written_for_an_older_duckdb(
    published_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    home = DataHome(copy_home(published_home, tmp_path / "home"))
    monkeypatch.setenv(STORAGE_VERSION_ENV, "v1.5.0")
    publish(home)
    con = duckdb.connect()
    try:
        con.execute(f"attach '{home.snapshot}' as cx (read_only)")
        (tags,) = con.execute(
            "select tags from duckdb_databases() where database_name = 'cx'"
        ).fetchone()
        assert tags["storage_version"].startswith("v1.5.0")
        assert con.execute("select count(*) from cx.nps_by_sector_year").fetchone()[0]
    finally:
        con.close()
    monkeypatch.setenv(STORAGE_VERSION_ENV, "v1.5.0'; drop table x; --")
    with pytest.raises(ValueError, match="must look like v1.5.0"):
        publish(home)
