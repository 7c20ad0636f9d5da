"""One dbt project, two engines: the same landing set published through DuckDB and through Apache
Spark (`cxbench run --engine spark`, a local SparkSession) gives the same tables, row for row,
and the project's dbt unit tests pass on Spark too.

Needs Java 17 and the spark extra (requirements-spark.lock); `make test` installs both, so a
missing one fails here rather than skipping. One Spark build, shared by every test here (JVM
start-up and the build take about a minute and a half on two cores), with its lake outside the
data home (CXBENCH_LAKE_URI as a file:// URI); the unit tests run in the same Spark session's
data home against a lake at a plain path.
"""

from __future__ import annotations

import json

import duckdb
import numpy as np
import pandas as pd
import pytest

from cxbench import lake
from cxbench.publication import PUBLIC_TABLES, RESTRICTED_TABLES
from cxbench.settings import DataHome
from tests.conftest import REPO, Publication, run_cxbench, run_dbt, write_studies
from tests.reference.generate import make_survey_frame

pytestmark = pytest.mark.slow

RELATIVE = 1e-9
# Differ by construction between two runs: when each was published.
NOT_COMPARED = {"publication_info": ("published_at",)}


@pytest.fixture(scope="module")
def spark_lake(tmp_path_factory):
    """Where the Spark run's lake lives: a folder outside its data home, named by a file:// URI
    (percent-encoded: the folder name has a space)."""
    return tmp_path_factory.mktemp("lakes") / "spark lake"


@pytest.fixture(scope="module")
def two_engines(tmp_path_factory, spark_lake) -> tuple[Publication, Publication]:
    respondents = make_survey_frame(11)
    published = []
    for engine in ("duckdb", "spark"):
        home = tmp_path_factory.mktemp(engine)
        write_studies(respondents, home / "landing")
        settings = {lake.LAKE_URI_ENV: spark_lake.as_uri()} if engine == "spark" else {}
        run = run_cxbench(home, "run", "--engine", engine, check=True, env=settings)
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


def test_the_spark_lake_is_partitioned_by_market_and_year(two_engines, spark_lake):
    _, spark = two_engines
    # CXBENCH_LAKE_URI put the lake outside the data home.
    assert not (spark.home / "spark" / "lake").exists()
    respondents = spark_lake / "raw" / "survey_responses"
    assert sorted(p.name for p in respondents.glob("market=*")) == ["market=B2B", "market=B2C"]
    assert list(respondents.glob("market=B2B/year=2022/*.parquet"))
    assert not [p.name for p in spark_lake.rglob(".*")]  # nothing staged is left


def test_the_dbt_unit_tests_pass_on_spark(two_engines, tmp_path, monkeypatch):
    """`dbt test --select test_type:unit --target spark` in the Spark run's data home (its
    metastore holds the models the fixtures stand in for), with the sources exported again to a
    lake at a plain path."""
    _, spark = two_engines
    home = DataHome(spark.home)
    monkeypatch.setenv(lake.LAKE_URI_ENV, str(tmp_path / "plain lake"))
    lake.export_sources(home)
    lake.prepare_environment(home)  # CXBENCH_SPARK_DIR: this data home's metastore
    target = tmp_path / "target"
    args = lake.dbt_args(home, ["test", "--select", "test_type:unit"])
    assert json.loads(args[args.index("--vars") + 1]) == {
        "cxbench_lake": str(tmp_path / "plain lake")
    }
    run_dbt(args, home.warehouse, target)
    defined = set(json.loads((target / "manifest.json").read_text())["unit_tests"])
    assert len(defined) >= 9
    results = json.loads((target / "run_results.json").read_text())["results"]
    # The on-run-start hook registered the sources from the plain-path lake, then every unit test.
    unit_tests = [r for r in results if not r["unique_id"].startswith("operation.")]
    assert {r["unique_id"] for r in unit_tests} == defined
    assert all(r["status"] == "pass" for r in unit_tests)


def test_spark_leaves_nothing_in_the_working_folder(two_engines):
    for leftover in ("metastore_db", "derby.log", "spark-warehouse"):
        assert not (REPO / leftover).exists()
        assert not (REPO / "dbt_project" / leftover).exists()
