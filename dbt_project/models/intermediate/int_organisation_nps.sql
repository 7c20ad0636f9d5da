-- Each organisation's own NPS per market x year, with a standard error over its respondents
-- (svydesign(ids = ~1, weights = ~weight) on that organisation's answers: every respondent is
-- its own unit). Reuses the one estimator: the design is the organisation, its unit the respondent.
with answers as (
    select
        market,
        year,
        organisation_id as item,
        sector,
        respondent_id as organisation_id,
        respondent_id,
        weight,
        nps,
        pct_promoters
    from {{ ref('int_recommend_answers') }}
),

estimates as (
    {{ design_based_means('answers', ['nps', 'pct_promoters']) }}
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
where sector <> 'ALL'
