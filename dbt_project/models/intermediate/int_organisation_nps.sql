-- Each organisation's own NPS per market x year, with a standard error over its respondents
-- (svydesign(ids = ~1, weights = ~weight) on that organisation's answers: every respondent is
-- its own unit). Reuses the one estimator: the design is the organisation (item), its units the
-- respondents. A respondent's sums are its own row (n = 1, sum_weight = w, weighted sums w * y;
-- respondent_id is unique within organisation x year, see one_delivery_per_study), so the
-- respondents go to design_based_estimates as they are, without an aggregation. Only the
-- organisation's own rows are needed, not the 'ALL' total. The sums are a subquery, not a CTE,
-- so that the engine reads the answers twice instead of materialising them.
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
        weight as sum_weight,
        weight * nps as weighted_sum_nps,
        weight * pct_promoters as weighted_sum_pct_promoters
    from {{ ref('int_recommend_answers') }}
)
{% endset %}

with estimates as (
    {{ design_based_estimates(respondent_sums, ['nps', 'pct_promoters'], total=false) }}
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
