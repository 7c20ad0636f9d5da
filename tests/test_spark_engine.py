"""One dbt project, two engines: the same landing set published through DuckDB and through Apache
Spark (`cxbench run --engine spark`, a local SparkSession) gives the same tables, row for row.

Needs Java 17 and the spark extra (requirements-spark.lock); `make test` installs both, so a
missing one fails here rather than skipping. One Spark build (JVM start-up and the build take
about a minute and a half on two cores).
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from cxbench.publication import PUBLIC_TABLES, RESTRICTED_TABLES
from tests.conftest import REPO, Publication, run_cxbench, write_studies
from tests.reference.generate import make_survey_frame

pytestmark = pytest.mark.slow

RELATIVE = 1e-9
# Differ by construction between two runs: when each was published.
NOT_COMPARED = {"publication_info": ("published_at",)}


@pytest.fixture(scope="module")
def two_engines(tmp_path_factory) -> tuple[Publication, Publication]:
    respondents = make_survey_frame(11)
    published = []
    for engine in ("duckdb", "spark"):
        home = tmp_path_factory.mktemp(engine)
        write_studies(respondents, home / "landing")
        run = run_cxbench(home, "run", "--engine", engine, check=True)
        published.append(Publication(home=home, run=run))
    return published[0], published[1]


def _tables(publication: Publication) -> dict[str, pd.DataFrame]:
    con = duckdb.connect(str(publication.home / "published" / "benchmark.duckdb"), read_only=True)
    try:
        frames = {t: con.execute(f"select * from benchmark.{t}").df() for t in PUBLIC_TABLES}
        for table in RESTRICTED_TABLES:
            path = publication.home / "published" / "restricted" / f"{table}.parquet"
            frames[table] = con.execute(f"select * from read_parquet('{path}')").df()
    finally:
        con.close()
    return frames


def _sorted(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return frame.sort_values(keys, kind="stable", na_position="first").reset_index(drop=True)


def assert_same_table(name: str, duck: pd.DataFrame, spark: pd.DataFrame) -> None:
    assert list(duck.columns) == list(spark.columns), name
    assert len(duck) == len(spark) > 0, name
    floats = [c for c in duck.columns if pd.api.types.is_float_dtype(duck[c])]
    ignored = NOT_COMPARED.get(name, ())
    keys = [c for c in duck.columns if c not in floats and c not in ignored]
    duck, spark = _sorted(duck, keys), _sorted(spark, keys)
    for column in keys:  # keys, counts, flags and suppression reasons: identical
        left, right = duck[column].astype(object), spark[column].astype(object)
        same = (left == right) | (left.isna() & right.isna())
        assert same.all(), (
            f"{name}.{column}: {left[~same].head().tolist()} != {right[~same].head().tolist()}"
        )
    for column in floats:  # estimates and standard errors: to 1e-9 relative, nulls alike
        left, right = duck[column].to_numpy(float), spark[column].to_numpy(float)
        assert (np.isnan(left) == np.isnan(right)).all(), f"{name}.{column}: nulls differ"
        close = np.isclose(left, right, rtol=RELATIVE, atol=1e-12, equal_nan=True)
        assert close.all(), f"{name}.{column}: {left[~close][:5]} != {right[~close][:5]}"


def test_both_engines_publish(two_engines):
    duck, spark = two_engines
    for publication in (duck, spark):
        assert publication.run.returncode == 0, publication.run.stderr
    # The Spark run built its models on Spark: its metastore and tables are in its data home.
    assert (spark.home / "spark" / "warehouse" / "marts.db" / "nps_by_sector_year").is_dir()
    assert (spark.home / "spark" / "metastore_db").is_dir()
    assert not (duck.home / "spark").exists()


def test_every_published_row_is_equal_on_both_engines(two_engines):
    duck, spark = (_tables(p) for p in two_engines)
    assert duck.keys() == spark.keys()
    for name in duck:
        assert_same_table(name, duck[name], spark[name])
    # Suppression is part of the rows compared above; make sure the data exercised it.
    assert duck["nps_by_sector_year"]["suppressed"].any()


def test_the_spark_lake_is_partitioned_by_market_and_year(two_engines):
    _, spark = two_engines
    lake = spark.home / "spark" / "lake" / "raw" / "survey_responses"
    assert sorted(p.name for p in lake.glob("market=*")) == ["market=B2B", "market=B2C"]
    assert list(lake.glob("market=B2B/year=2022/*.parquet"))


def test_spark_leaves_nothing_in_the_working_folder(two_engines):
    for leftover in ("metastore_db", "derby.log", "spark-warehouse"):
        assert not (REPO / leftover).exists()
        assert not (REPO / "dbt_project" / leftover).exists()
