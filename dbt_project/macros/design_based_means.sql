{#-
  Design-based estimates of contract section 6, written once for every benchmark table.

  `observations` has one row per answer: market, year, item, sector, organisation_id,
  respondent_id, weight and one column per measure (a 0/100 indicator, a score or a grade).
  The design of a cell is market x year x item: its organisations are the clusters (PSUs), weight
  is the sampling weight, no strata. For each sector and for the market total (sector 'ALL'):

    estimate  = sum(w * y) / sum(w)                                (the ratio mean)
    se        = sqrt( n / (n - 1) * sum_h z_h^2 )                 (Taylor linearisation)
    z_h       = sum over the cell's answers of organisation h of w * (y - estimate) / sum(w)
    n         = organisations in the whole market x year x item design (not only the sector)

  This is what R's survey package computes for
    svyby(~y, ~sector, svydesign(ids = ~organisation_id, weights = ~weight, data), svymean)
  Organisations outside the sector have z_h = 0 but count in n. With a single organisation in
  the design the variance is undefined (R: lonely PSU) and the se is null.
  Everything is first summed per organisation, so the answers are read once.
-#}
{% macro design_based_means(observations, measures) %}
with organisation_sums as (
    select
        market, year, item, sector, organisation_id,
        count(*) as n_observations,
        count(distinct respondent_id) as n_respondents,
        sum(weight) as sum_weight
        {%- for m in measures %},
        sum(weight * {{ m }}) as weighted_sum_{{ m }}
        {%- endfor %}
    from {{ observations }}
    group by market, year, item, sector, organisation_id
),

design_sizes as (
    select market, year, item, count(distinct organisation_id) as n_design_organisations
    from organisation_sums
    group by market, year, item
),

domain_organisations as (
    select * from organisation_sums
    union all
    select
        market, year, item, 'ALL' as sector, organisation_id,
        sum(n_observations), sum(n_respondents), sum(sum_weight)
        {%- for m in measures %}, sum(weighted_sum_{{ m }}){% endfor %}
    from organisation_sums
    group by market, year, item, organisation_id
),

domains as (
    select
        market, year, item, sector,
        cast(sum(n_observations) as {{ dbt.type_bigint() }}) as n_observations,
        cast(sum(n_respondents) as {{ dbt.type_bigint() }}) as n_respondents,
        count(*) as n_organisations,
        max(n_respondents) as largest_organisation_respondents,
        sum(sum_weight) as sum_weight
        {%- for m in measures %},
        sum(weighted_sum_{{ m }}) / sum(sum_weight) as {{ m }}
        {%- endfor %}
    from domain_organisations
    group by market, year, item, sector
),

linearised as (
    select
        o.market, o.year, o.item, o.sector
        {%- for m in measures %},
        sum(
            ((o.weighted_sum_{{ m }} - d.{{ m }} * o.sum_weight) / d.sum_weight)
            * ((o.weighted_sum_{{ m }} - d.{{ m }} * o.sum_weight) / d.sum_weight)
        ) as sum_squares_{{ m }}
        {%- endfor %}
    from domain_organisations as o
    inner join domains as d
        on o.market = d.market and o.year = d.year and o.item = d.item and o.sector = d.sector
    group by o.market, o.year, o.item, o.sector
)

select
    d.market, d.year, d.item, d.sector,
    d.n_observations,
    d.n_respondents,
    d.n_organisations,
    cast(d.largest_organisation_respondents as {{ type_double() }}) / d.n_respondents
        as largest_organisation_share,
    s.n_design_organisations,
    d.sum_weight
    {%- for m in measures %},
    d.{{ m }},
    case
        when s.n_design_organisations > 1
            then sqrt(
                cast(s.n_design_organisations as {{ type_double() }})
                / (s.n_design_organisations - 1) * l.sum_squares_{{ m }}
            )
    end as {{ m }}_se
    {%- endfor %}
from domains as d
inner join linearised as l
    on d.market = l.market and d.year = l.year and d.item = l.item and d.sector = l.sector
inner join design_sizes as s
    on d.market = s.market and d.year = s.year and d.item = s.item
{% endmacro %}
