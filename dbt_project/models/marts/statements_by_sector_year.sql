-- Agreement with relationship statements per market x sector x year x statement.
with estimates as (
    select * from {{ ref('int_statement_estimates') }}
),

changes as (
    select * from {{ ref('int_statement_changes') }}
),

{{ disclosure_control_ctes(
    'estimates',
    margins=['sector'],
    columns=['e.market', 'e.sector', 'e.year', 'e.item as statement', 'e.n_respondents', 'e.n_organisations'],
    measures=['pct_agree', 'pct_disagree'],
) }},

final as (
    select
        cur.market,
        cur.sector,
        cur.year,
        cur.statement,
        cur.n_respondents,
        cur.n_organisations,
        cur.pct_agree,
        cur.pct_disagree,
        cur.pct_agree_se,
        cur.pct_disagree_se,
        {{ ci_low('cur.pct_agree', 'cur.pct_agree_se', 0) }} as ci_low,
        {{ ci_high('cur.pct_agree', 'cur.pct_agree_se', 100) }} as ci_high,
        {{ change('pct_agree') }} as change,
        {{ change_se('pct_agree', 'ch.pct_agree_change_se') }} as change_se,
        {{ change_significant('pct_agree', 'ch.pct_agree_change_se') }} as change_significant,
        cur.suppressed,
        cur.suppression_reason
    from published as cur
    left join published as prev
        on
            cur.market = prev.market and cur.sector = prev.sector
            and cur.statement = prev.statement and cur.year = prev.year + 1
    left join changes as ch
        on cur.market = ch.market and cur.sector = ch.sector and cur.year = ch.year and cur.statement = ch.item
)

select * from final
