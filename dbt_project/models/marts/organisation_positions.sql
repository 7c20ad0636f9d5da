-- RESTRICTED: names organisations. Published only to published/restricted/ (never to the public
-- snapshot). Each organisation's NPS with its interval, its percentile among the organisations
-- of its sector and of its market, and its gap to its sector's published NPS.
-- One row per organisation x sector x market x year: an organisation whose respondents fall in
-- several sectors of a market-year (a conglomerate's divisions) has a row for each, with what it
-- has in that sector (NPS, se, sector percentile, gap). What involves no sector is the
-- organisation's as a whole: its market percentile and whether it is a top performer.
with organisations as (
    select * from {{ ref('int_organisation_nps') }}
    where sector <> 'ALL'
),

wholes as (
    select
        market,
        year,
        organisation_id,
        100 * percent_rank() over (partition by market, year order by nps) as market_percentile
    from {{ ref('int_organisation_nps') }}
    where sector = 'ALL'
),

groups as (
    select * from {{ ref('int_performer_groups') }}
),

sectors as (
    select market, year, sector, nps, nps_se
    from {{ ref('int_nps_estimates') }}
    where sector <> 'ALL'
),

ranked as (
    select
        o.*,
        100 * percent_rank() over (partition by o.market, o.year, o.sector order by o.nps)
            as sector_percentile,
        w.market_percentile
    from organisations as o
    inner join wholes as w
        on o.market = w.market and o.year = w.year and o.organisation_id = w.organisation_id
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
        r.sector_percentile,
        r.market_percentile,
        g.is_top_performer,
        r.nps - s.nps as gap_to_sector,
        -- The organisation is part of its sector; treating the two as independent is
        -- conservative (it overstates the variance of the gap).
        case
            when r.nps_se * r.nps_se + s.nps_se * s.nps_se > 0
                then abs(r.nps - s.nps) / sqrt(r.nps_se * r.nps_se + s.nps_se * s.nps_se)
                    > {{ var('cxbench_z') }}
        end as gap_significant
    from ranked as r
    inner join groups as g
        on r.market = g.market and r.year = g.year and r.organisation_id = g.organisation_id
    inner join sectors as s
        on r.market = s.market and r.year = s.year and r.sector = s.sector
)

select * from final
