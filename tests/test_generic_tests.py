"""The project's generic data tests (dbt_project/tests/generic), run as SQL on small tables.

A generic test is a query for the failing rows. It is rendered here with plain Jinja (dbt's
`{% test %}` block read as a macro) and run on DuckDB, so that what it catches is shown without
a dbt build.
"""

from __future__ import annotations

import duckdb
import jinja2

from cxbench.settings import DBT_PROJECT_DIR


def _failing_rows(test: str, table: str, con: duckdb.DuckDBPyConnection, **kwargs) -> list:
    source = (DBT_PROJECT_DIR / "tests" / "generic" / f"{test}.sql").read_text()
    source = source.replace("{% test ", "{% macro ").replace("{% endtest %}", "{% endmacro %}")
    macro = getattr(jinja2.Environment().from_string(source).module, test)
    return con.execute(str(macro(model=table, **kwargs))).fetchall()


def test_a_key_fails_on_a_duplicate_and_on_a_null_column():
    con = duckdb.connect()
    con.execute(
        "create table cells as select * from (values ('B2B', 2020, 'ict'), "
        "('B2B', 2020, 'retail'), ('B2C', 2020, 'ict')) as t(market, year, sector)"
    )
    key = {"combination_of_columns": ["market", "year", "sector"]}
    assert _failing_rows("unique_combination_of_columns", "cells", con, **key) == []

    con.execute("insert into cells values ('B2B', 2020, 'ict')")
    assert _failing_rows("unique_combination_of_columns", "cells", con, **key) == [
        ("B2B", 2020, "ict", 2)
    ]

    con.execute("delete from cells where sector = 'ict' and market = 'B2B'")
    con.execute("insert into cells values ('B2B', 2020, null)")
    # One row with a null sector: no duplicate, but the key does not name its cell.
    assert _failing_rows("unique_combination_of_columns", "cells", con, **key) == [
        ("B2B", 2020, None, 1)
    ]
