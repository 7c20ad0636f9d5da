"""The floor: one hand-written DuckDB query for the NPS table with clustered standard errors,
straight from the landing CSVs. No validation, no audit, no publication: the least work there is.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

NPS_WITH_CLUSTERED_SE = """
with answers as (
    select market, year, sector, organisation_id, weight,
           case when recommend >= 9 then 100.0 when recommend <= 6 then -100.0 else 0.0 end as y
    from read_csv('{landing}/**/*.csv', union_by_name = true)
    where recommend is not null
),
organisations as (
    select market, year, sector, organisation_id, sum(weight) as w, sum(weight * y) as wy
    from answers group by all
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
    select market, year, sector, sum(wy) / sum(w) as nps, sum(w) as sw, count(*) as n_org
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
        return con.execute(NPS_WITH_CLUSTERED_SE.format(landing=landing)).fetchall()


if __name__ == "__main__":
    import sys

    for row in nps_table(Path(sys.argv[1])):
        print(row)
