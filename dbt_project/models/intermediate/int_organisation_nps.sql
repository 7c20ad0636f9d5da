-- Each organisation's own NPS per market x year, with a standard error over its respondents
-- (svydesign(ids = ~1, weights = ~weight) on that organisation's answers: every respondent is
-- its own unit). Reuses the one estimator: the design is the organisation (item), its units the
-- respondents, its sectors the domains, i.e. svyby(~nps, ~sector, design, svymean): a sector row
-- is what the organisation has in that sector, which is all of it unless its respondents fall in
-- several sectors (a conglomerate's divisions, a sector column filled per respondent).
-- Sector 'ALL' is the whole organisation (top performers, market percentile): the sector row
-- itself for an organisation in one sector, and for one spanning sectors the same estimator with
-- all its respondents in one domain. Computing 'ALL' only where it differs keeps this model at
-- one pass over the answers for the usual organisation in one sector.
-- A respondent's sums are its own row (n = 1, sum_weight = w, weighted sums w * y, min = max = y;
-- respondent_id is unique within organisation x year, see one_delivery_per_study), so the
-- respondents go to design_based_estimates as they are, without an aggregation. The sums are
-- subqueries, not CTEs, so that the engine reads the answers again instead of materialising them.
{% set measures = ['nps', 'pct_promoters'] %}
-- noqa: disable=LT02
{% set sums_columns %}
        market,
        year,
        organisation_id as item,
        {sector} as sector,
        respondent_id as organisation_id,
        1 as n_observations,
        1 as n_respondents,
        weight as sum_weight
        {%- for m in measures %},
        weight * {{ m }} as weighted_sum_{{ m }},
        {{ m }} as min_{{ m }},
        {{ m }} as max_{{ m }}
        {%- endfor %}
{% endset %}
-- noqa: enable=LT02
{% set sector_sums %}
(
    select {{ sums_columns | replace('{sector}', 'sector') }}
    from {{ ref('int_recommend_answers') }}
)
{% endset %}
{% set whole_sums %}
(
    select {{ sums_columns | replace('{sector}', "cast('ALL' as " ~ dbt.type_string() ~ ")") }}
    from {{ ref('int_recommend_answers') }} as a
    where exists (
        select 1 from spanning as s
        where s.market = a.market and s.year = a.year and s.item = a.organisation_id
    )
)
{% endset %}

{% set body %}
with sector_rows as (
    -- Without a total: every unit lies in one domain, n = the organisation's respondents.
    {{ design_based_estimates(sector_sums, measures, total=false) }}
),

spanning as (
    select
        market,
        year,
        item
    from sector_rows
    group by market, year, item
    having count(*) > 1
),

whole_rows as (
    {{ design_based_estimates(whole_sums, measures, total=false) }}
),

estimates as (
    select
        market,
        year,
        item,
        sector,
        n_respondents,
        nps,
        nps_se,
        pct_promoters
    from sector_rows
    union all
    select
        r.market,
        r.year,
        r.item,
        'ALL' as sector,
        r.n_respondents,
        r.nps,
        r.nps_se,
        r.pct_promoters
    from sector_rows as r
    where
        not exists (
            select 1 from spanning as s
            where s.market = r.market and s.year = r.year and s.item = r.item
        )
    union all
    select
        market,
        year,
        item,
        sector,
        n_respondents,
        nps,
        nps_se,
        pct_promoters
    from whole_rows
)

select
    market,
    year,
    item as organisation_id,
    sector,
    n_respondents,
    nps,
    nps_se,
    pct_promoters
from estimates
{% endset %}

{{ config(**study_increments()) }}
{{ by_study(body, ref('int_recommend_answers')) }}
