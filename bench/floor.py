"""The floor: the fastest hand-written DuckDB query we know for the NPS table with clustered
standard errors, straight from the landing CSVs. No validation, no audit, no publication.

What makes it fast (and the earlier floor five times slower): the files' schema is declared, so
DuckDB sniffs nothing (`auto_detect = false`; `union_by_name` over a `**` glob read every file's
header first), the glob is the one folder the files are in, and only the four columns the
estimate needs are parsed (projection pushdown). PLAIN_READ is a read of the same columns with
nothing computed: the floor is held to it (tests/test_bench.py, and `make bench` prints both).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

# The columns bench/generate.py writes, in file order.
SCHEMA = {
    "respondent_id": "VARCHAR",
    "organisation_id": "VARCHAR",
    "sector": "VARCHAR",
    "market": "VARCHAR",
    "year": "INTEGER",
    "recommend": "INTEGER",
    "grade_overall": "DOUBLE",
    "touch_question": "INTEGER",
    "weight": "DOUBLE",
}
_COLUMNS = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in SCHEMA.items()) + "}"
READ = (
    "read_csv('{landing}/*.csv', header = true, auto_detect = false, delim = ',', "
    f"quote = '\"', escape = '\"', columns = {_COLUMNS})"
)

PLAIN_READ = f"""
select count(*), sum(recommend), sum(weight), count(distinct organisation_id)
from {READ}
"""

NPS_WITH_CLUSTERED_SE = f"""
with organisations as (
    select market, year, sector, organisation_id,
           sum(weight) as w,
           sum(weight * case when recommend >= 9 then 100.0
                             when recommend <= 6 then -100.0 else 0.0 end) as wy
    from {READ}
    where recommend is not null
    group by all
),
domains as (
    select market, year, sector, organisation_id, w, wy from organisations
    union all
    select market, year, 'ALL', organisation_id, sum(w), sum(wy) from organisations
    group by market, year, organisation_id
),
design as (
    select market, year, count(distinct organisation_id) as n from organisations group by all
),
estimates as (
    select market, year, sector, sum(wy) / sum(w) as nps, sum(w) as sw
    from domains group by all
)
select e.market, e.year, e.sector, e.nps,
       sqrt(d.n / (d.n - 1) * sum(power((o.wy - e.nps * o.w) / e.sw, 2))) as nps_se
from domains o
join estimates e using (market, year, sector)
join design d using (market, year)
group by e.market, e.year, e.sector, e.nps, d.n
order by 1, 2, 3
"""


def nps_table(landing: Path):
    with duckdb.connect() as con:
        return con.execute(NPS_WITH_CLUSTERED_SE.replace("{landing}", str(landing))).fetchall()


def plain_read(landing: Path):
    with duckdb.connect() as con:
        return con.execute(PLAIN_READ.replace("{landing}", str(landing))).fetchall()


if __name__ == "__main__":
    import sys

    if sys.argv[1:2] == ["--plain-read"]:
        print(plain_read(Path(sys.argv[2])))
    else:
        for row in nps_table(Path(sys.argv[1])):
            print(row)
