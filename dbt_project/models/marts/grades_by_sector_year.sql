-- Mean report grade per market x sector x year x aspect ('overall' or the aspect name).
with estimates as (
    select * from {{ ref('int_grade_estimates') }}
),

changes as (
    select * from {{ ref('int_grade_changes') }}
),

{{ disclosure_control_ctes(
    'estimates',
    margins=['sector'],
    columns=['e.market', 'e.sector', 'e.year', 'e.item as aspect', 'e.n_respondents', 'e.n_organisations'],
    measures=['mean_grade', 'pct_sufficient'],
) }},

final as (
    select
        cur.market,
        cur.sector,
        cur.year,
        cur.aspect,
        cur.n_respondents,
        cur.n_organisations,
        cur.mean_grade,
        cur.mean_grade_se,
        {{ ci_low('cur.mean_grade', 'cur.mean_grade_se', 1) }} as ci_low,
        {{ ci_high('cur.mean_grade', 'cur.mean_grade_se', 10) }} as ci_high,
        cur.pct_sufficient,
        cur.pct_sufficient_se,
        {{ change('mean_grade') }} as change,
        {{ change_se('mean_grade', 'ch.mean_grade_change_se') }} as change_se,
        {{ change_significant('mean_grade', 'ch.mean_grade_change_se') }} as change_significant,
        cur.suppressed,
        cur.suppression_reason
    from published as cur
    left join published as prev
        on
            cur.market = prev.market and cur.sector = prev.sector and cur.aspect = prev.aspect
            and cur.year = prev.year + 1
    left join changes as ch
        on cur.market = ch.market and cur.sector = ch.sector and cur.year = ch.year and cur.aspect = ch.item
)

select * from final
