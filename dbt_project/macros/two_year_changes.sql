{#-
  Year-over-year changes of contract section 6 with their standard error from the two-year design,
  written once for every *_by_sector_year table.

  The design of a change in year t holds the answers of market m to item k in years t - 1 and t,
  organisation_id as the cluster across both years, weight as the weight, no strata. In R:

    des <- svydesign(ids = ~organisation_id, weights = ~weight, data = two_years_rows)
    b   <- svyby(~y, ~sector + year, des, svymean, covmat = TRUE)
    svycontrast(b, <cell in year t> - <same cell in year t - 1>)

  The change of domain d (a sector, or 'ALL') is ŷ_d,t - ŷ_d,t-1. Its linearisation is the
  difference of the two years' linearised values, so per organisation h

    z_h,t = (sum_h,t(w * y) - ŷ_d,t * sum_h,t(w)) / sum_d,t(w)   (0 when h has no answer in d, t)
    u_h   = z_h,t - z_h,t-1
    se    = sqrt( n / (n - 1) * sum_h u_h^2 )

  with n the organisations of the two-year design (an answer to the item in t - 1 or t, any
  sector). sum_h u_h = 0, because each year's z_h add up to 0, so no centring term. An
  organisation present in both years brings z_h,t and z_h,t-1 together, which is where the
  covariance of the two estimates comes from; one present in one year contributes to that side
  only. A two-year design with a single organisation has no variance (R: svydesign stops,
  "only one primary sampling unit"): se null.

  `sums` are per-organisation sums as organisation_sums gives them (int_*_sums), `estimates` the
  design_based_estimates of the same sums (int_*_estimates: one row per market, year, item and
  sector including 'ALL', with sum_weight and a column per measure). One row per market, year,
  item and sector that has a cell in year - 1 too: <measure>_change and <measure>_change_se for
  each of `measures`, and n_change_organisations (n above). Before disclosure control: the marts
  null a change whenever either year's cell is suppressed. Plain SQL (union all, group by,
  count distinct, sqrt, nullif): portable.
-#}
{% macro two_year_changes(sums, estimates, measures) %}
with
domain_organisations as (
    select
        market, year, item, sector, organisation_id, sum_weight
        {%- for m in measures %}, weighted_sum_{{ m }}{% endfor %}
    from {{ sums }} as s
    union all
    select
        market, year, item, 'ALL' as sector, organisation_id, sum(sum_weight)
        {%- for m in measures %}, sum(weighted_sum_{{ m }}){% endfor %}
    from {{ sums }} as s
    group by market, year, item, organisation_id
),

-- z_h of every organisation in every domain and year: the linearisation of the one-year estimate.
linearised as (
    select
        o.market, o.year, o.item, o.sector, o.organisation_id
        {%- for m in measures %},
        (o.weighted_sum_{{ m }} - e.{{ m }} * o.sum_weight) / nullif(e.sum_weight, 0) as z_{{ m }}
        {%- endfor %}
    from domain_organisations as o
    inner join {{ estimates }} as e
        on o.market = e.market and o.year = e.year and o.item = e.item and o.sector = e.sector
),

-- u_h = z_h,t - z_h,t-1: each year's z counts for its own change (+) and for next year's (-).
differences as (
    select
        market, year, item, sector, organisation_id
        {%- for m in measures %},
        sum(z_{{ m }}) as u_{{ m }}
        {%- endfor %}
    from (
        select market, year, item, sector, organisation_id
            {%- for m in measures %}, z_{{ m }}{% endfor %}
        from linearised
        union all
        select market, year + 1 as year, item, sector, organisation_id
            {%- for m in measures %}, -z_{{ m }} as z_{{ m }}{% endfor %}
        from linearised
    ) as signed
    group by market, year, item, sector, organisation_id
),

squares as (
    select
        market, year, item, sector
        {%- for m in measures %},
        sum(u_{{ m }} * u_{{ m }}) as sum_squares_{{ m }}
        {%- endfor %}
    from differences
    group by market, year, item, sector
),

-- n: the organisations with an answer to the item in year - 1 or year.
design_sizes as (
    select market, year, item, count(distinct organisation_id) as n_change_organisations
    from (
        select market, year, item, organisation_id from {{ sums }} as s
        union all
        select market, year + 1 as year, item, organisation_id from {{ sums }} as s
    ) as both_years
    group by market, year, item
)

select
    cur.market,
    cur.year,
    cur.item,
    cur.sector,
    n.n_change_organisations
    {%- for m in measures %},
    cur.{{ m }} - prev.{{ m }} as {{ m }}_change,
    case
        when n.n_change_organisations > 1
            then sqrt(
                cast(n.n_change_organisations as {{ type_double() }})
                / nullif(n.n_change_organisations - 1, 0) * q.sum_squares_{{ m }}
            )
    end as {{ m }}_change_se
    {%- endfor %}
from {{ estimates }} as cur
inner join {{ estimates }} as prev
    on cur.market = prev.market and cur.item = prev.item and cur.sector = prev.sector
    and cur.year = prev.year + 1
inner join squares as q
    on cur.market = q.market and cur.year = q.year and cur.item = q.item and cur.sector = q.sector
inner join design_sizes as n
    on cur.market = n.market and cur.year = n.year and cur.item = n.item
{% endmacro %}
