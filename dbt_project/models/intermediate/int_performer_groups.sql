-- Top performers (docs/contract.md §9): organisations with at least
-- `cxbench_top_performer_min_answers` valid recommend answers in the market-year whose own NPS is
-- at or above the 75th percentile (linear interpolation) of those organisations' NPS. An
-- organisation is judged as a whole (int_organisation_nps sector 'ALL'), whatever sectors its
-- respondents fall in. NPS equal to the threshold up to rounding (1e-9 NPS points: the
-- interpolation and the organisations' means are computed in floating point) meets it.
with organisations as (
    select * from {{ ref('int_organisation_nps') }}
    where sector = 'ALL'
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
    t.top_performer_threshold,
    coalesce(
        o.n_respondents >= {{ var('cxbench_top_performer_min_answers') }}
        and o.nps >= t.top_performer_threshold - 1e-9,
        false
    ) as is_top_performer
from organisations as o
left join thresholds as t
    on o.market = t.market and o.year = t.year
