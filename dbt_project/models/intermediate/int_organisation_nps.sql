-- Each organisation's own NPS per market x year, with a standard error over its respondents
-- (svydesign(ids = ~1, weights = ~weight) on that organisation's answers: every respondent is
-- its own unit). Reuses the one estimator: the design is the organisation (item), its units the
-- respondents, its sectors the domains. Sector 'ALL' is the whole organisation (top performers
-- are organisations); the sector rows are what it has in each sector of the market-year, which
-- is all of it unless its respondents fall in several sectors (a conglomerate's divisions, a
-- sector column filled per respondent): svyby(~nps, ~sector, design, svymean).
-- A respondent's sums are its own row (n = 1, sum_weight = w, weighted sums w * y, min = max = y;
-- respondent_id is unique within organisation x year, see one_delivery_per_study), so the
-- respondents go to design_based_estimates as they are, without an aggregation. The sums are a
-- subquery, not a CTE, so that the engine reads the answers again instead of materialising them.
{% set measures = ['nps', 'pct_promoters'] %}
{% set respondent_sums %}
(
    select
        market,
        year,
        organisation_id as item,
        sector,
        respondent_id as organisation_id,
        1 as n_observations,
        1 as n_respondents,
        weight as sum_weight
        {%- for m in measures %},
        weight * {{ m }} as weighted_sum_{{ m }},
        {{ m }} as min_{{ m }},
        {{ m }} as max_{{ m }}
        {%- endfor %}
    from {{ ref('int_recommend_answers') }}
)
{% endset %}

with estimates as (
    {{ design_based_estimates(respondent_sums, measures) }}
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
