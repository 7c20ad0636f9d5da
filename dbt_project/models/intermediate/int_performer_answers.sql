{{ config(materialized='view') }}
-- One row per answer and published measure (nps, pct_promoters, ..., grade_<aspect>), labelled
-- with the respondent's performer group. The group takes the place of the sector in the one
-- estimator, so the groups pool their respondents with the design of contract section 6; the
-- market total is the estimator's 'ALL' cell. Organisations without enough recommend answers
-- to qualify count as others.
with groups as (
    select * from {{ ref('int_performer_groups') }}
),

recommend as (
    select * from {{ ref('int_recommend_answers') }}
),

measures as (
    {%- for measure in ['nps', 'pct_promoters', 'pct_passives', 'pct_detractors'] %}
    select
        market, year, organisation_id, respondent_id, weight,
        cast('{{ measure }}' as {{ dbt.type_string() }}) as item,
        {{ measure }} as value
    from recommend
    union all
    {%- endfor %}
    select
        market, year, organisation_id, respondent_id, weight,
        {{ dbt.concat(["'grade_'", 'item']) }} as item,
        mean_grade as value
    from {{ ref('int_grade_answers') }}
)

select
    m.market,
    m.year,
    m.item,
    case when g.is_top_performer then 'top_performers' else 'others' end as sector,
    m.organisation_id,
    m.respondent_id,
    m.weight,
    m.value
from measures as m
left join groups as g
    on m.market = g.market and m.year = g.year and m.organisation_id = g.organisation_id
