-- Top performers (docs/contract.md §9): the published measures (nps, pct_promoters, ...,
-- grade_<aspect>) per performer group. Groups are made of whole organisations, so the groups'
-- per-organisation sums are the organisations' sums of int_recommend_sums and int_grade_sums
-- with the performer group in place of the sector: the one estimator then pools each group's
-- respondents with the design of docs/contract.md §6, and its 'ALL' cell is the market total.
-- Organisations without enough recommend answers to qualify count as others.
with groups as (
    select * from {{ ref('int_performer_groups') }}
),

measures as (
    {%- for measure in ['nps', 'pct_promoters', 'pct_passives', 'pct_detractors'] %}
        select
            market,
            year,
            cast('{{ measure }}' as {{ dbt.type_string() }}) as item,
            organisation_id,
            n_observations,
            n_respondents,
            sum_weight,
            weighted_sum_{{ measure }} as weighted_sum_value,
            min_{{ measure }} as min_value,
            max_{{ measure }} as max_value
        from {{ ref('int_recommend_sums') }}
        union all
    {%- endfor %}
    select
        market,
        year,
        {{ dbt.concat(["'grade_'", 'item']) }} as item,
        organisation_id,
        n_observations,
        n_respondents,
        sum_weight,
        weighted_sum_mean_grade as weighted_sum_value,
        min_mean_grade as min_value,
        max_mean_grade as max_value
    from {{ ref('int_grade_sums') }}
),

-- One row per organisation and group (an organisation's sectors of a market-year merge).
performer_sums as (
    select
        m.market,
        m.year,
        m.item,
        case when g.is_top_performer then 'top_performers' else 'others' end as sector,
        m.organisation_id,
        cast(sum(m.n_observations) as {{ dbt.type_bigint() }}) as n_observations,
        cast(sum(m.n_respondents) as {{ dbt.type_bigint() }}) as n_respondents,
        sum(m.sum_weight) as sum_weight,
        sum(m.weighted_sum_value) as weighted_sum_value,
        min(m.min_value) as min_value,
        max(m.max_value) as max_value
    from measures as m
    left join groups as g
        on m.market = g.market and m.year = g.year and m.organisation_id = g.organisation_id
    group by
        m.market, m.year, m.item,
        case when g.is_top_performer then 'top_performers' else 'others' end,
        m.organisation_id
),

estimates as (
    {{ design_based_estimates('performer_sums', ['value']) }}
)

select * from estimates
