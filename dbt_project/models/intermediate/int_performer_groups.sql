-- Top performers (docs/contract.md §9): organisations with at least
-- `cxbench_top_performer_min_answers` valid recommend answers in the market-year whose own NPS is
-- at or above the 75th percentile (linear interpolation) of those organisations' NPS.
with organisations as (
    select * from {{ ref('int_organisation_nps') }}
),

eligible as (
    select * from organisations
    where n_respondents >= {{ var('cxbench_top_performer_min_answers') }}
),

thresholds as (
    select
        market,
        year,
        {{ percentile_linear('nps', var('cxbench_top_performer_percentile')) }} as top_performer_threshold
    from eligible
    group by market, year
)

select
    o.market,
    o.year,
    o.organisation_id,
    o.sector,
    t.top_performer_threshold,
    coalesce(
        o.n_respondents >= {{ var('cxbench_top_performer_min_answers') }}
        and o.nps >= t.top_performer_threshold,
        false
    ) as is_top_performer
from organisations as o
left join thresholds as t
    on o.market = t.market and o.year = t.year
