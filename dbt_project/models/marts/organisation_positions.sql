-- RESTRICTED: names organisations. Published only to published/restricted/ (never to the public
-- snapshot). Each organisation's NPS with its interval, its percentile among the eligible
-- organisations of its sector and of its market, and its gap to its sector's published NPS.
-- Nothing is computed against a suppressed public cell (docs/contract.md §7): where the public
-- table suppresses the sector (or the market), gap, significance and percentile are null, so
-- `nps - gap_to_sector` can never return a suppressed sector's NPS.
-- One row per organisation x sector x market x year: an organisation whose respondents fall in
-- several sectors of a market-year (a conglomerate's divisions) has a row for each, with what it
-- has in that sector (NPS, se, sector percentile, gap). What involves no sector is the
-- organisation's as a whole: its market percentile and whether it is a top performer.
with organisations as (
    select * from {{ ref('int_organisation_nps') }}
    where sector <> 'ALL'
),

groups as (
    select * from {{ ref('int_performer_groups') }}
),

-- The public cells as published: estimates are null where suppressed.
public_cells as (
    select
        market,
        year,
        sector,
        nps,
        nps_se,
        suppressed
    from {{ ref('nps_by_sector_year') }}
),

-- Percentiles rank only organisations that meet the top-performer eligibility rule, and only
-- where at least cxbench_min_organisations of them are ranked: a rank among two tells each
-- whether the other scored higher. In the market, the organisation as a whole is ranked.
wholes as (
    select
        market,
        year,
        organisation_id,
        nps,
        n_respondents >= {{ var('cxbench_top_performer_min_answers') }} as is_eligible
    from {{ ref('int_organisation_nps') }}
    where sector = 'ALL'
),

wholes_ranked as (
    select
        w.*,
        100 * percent_rank() over (partition by w.market, w.year, w.is_eligible order by w.nps)
            as market_rank,
        sum(case when w.is_eligible then 1 else 0 end)
            over (partition by w.market, w.year) as market_ranked
    from wholes as w
),

eligible as (
    select
        o.*,
        o.n_respondents >= {{ var('cxbench_top_performer_min_answers') }} as is_eligible
    from organisations as o
),

ranked as (
    select
        e.*,
        100 * percent_rank() over (
            partition by e.market, e.year, e.sector, e.is_eligible order by e.nps
        ) as sector_rank,
        sum(case when e.is_eligible then 1 else 0 end)
            over (partition by e.market, e.year, e.sector) as sector_ranked,
        w.is_eligible as is_eligible_in_market,
        w.market_rank,
        w.market_ranked
    from eligible as e
    inner join wholes_ranked as w
        on e.market = w.market and e.year = w.year and e.organisation_id = w.organisation_id
),

final as (
    select
        r.organisation_id,
        r.market,
        r.sector,
        r.year,
        r.n_respondents,
        r.nps,
        r.nps_se,
        {{ ci_low('r.nps', 'r.nps_se', -100) }} as nps_ci_low,
        {{ ci_high('r.nps', 'r.nps_se', 100) }} as nps_ci_high,
        case
            when
                r.is_eligible and not s.suppressed
                and r.sector_ranked >= {{ var('cxbench_min_organisations') }}
                then r.sector_rank
        end as sector_percentile,
        case
            when
                r.is_eligible_in_market and not m.suppressed
                and r.market_ranked >= {{ var('cxbench_min_organisations') }}
                then r.market_rank
        end as market_percentile,
        g.is_top_performer,
        case when not s.suppressed then r.nps - s.nps end as gap_to_sector,
        -- The organisation is part of its sector; treating the two as independent is
        -- conservative (it overstates the variance of the gap).
        case
            when not s.suppressed and r.nps_se * r.nps_se + s.nps_se * s.nps_se > 0
                then
                    abs(r.nps - s.nps) / sqrt(r.nps_se * r.nps_se + s.nps_se * s.nps_se)
                    > {{ var('cxbench_z') }}
        end as gap_significant
    from ranked as r
    inner join groups as g
        on r.market = g.market and r.year = g.year and r.organisation_id = g.organisation_id
    inner join public_cells as s
        on r.market = s.market and r.year = s.year and r.sector = s.sector
    inner join public_cells as m
        on r.market = m.market and r.year = m.year and m.sector = 'ALL'
)

select * from final
