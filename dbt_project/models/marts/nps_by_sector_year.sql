-- Net Promoter Score per market x sector x year, with the market total as sector 'ALL'.
with estimates as (
    select * from {{ ref('int_nps_estimates') }}
),

changes as (
    select * from {{ ref('int_nps_changes') }}
),

{{ disclosure_control_ctes(
    'estimates',
    margins=['sector'],
    columns=['e.market', 'e.sector', 'e.year', 'e.n_respondents', 'e.n_organisations'],
    measures=['pct_promoters', 'pct_passives', 'pct_detractors', 'nps'],
) }},

final as (
    select
        cur.market,
        cur.sector,
        cur.year,
        cur.n_respondents,
        cur.n_organisations,
        cur.pct_promoters,
        cur.pct_passives,
        cur.pct_detractors,
        cur.nps,
        cur.nps_se,
        {{ ci_low('cur.nps', 'cur.nps_se') }} as nps_ci_low,
        {{ ci_high('cur.nps', 'cur.nps_se') }} as nps_ci_high,
        {{ change('nps') }} as nps_change,
        {{ change_se('nps', 'ch.nps_change_se') }} as nps_change_se,
        {{ change_significant('nps', 'ch.nps_change_se') }} as nps_change_significant,
        cur.pct_promoters_se,
        cur.pct_passives_se,
        cur.pct_detractors_se,
        cur.suppressed,
        cur.suppression_reason
    from published as cur
    left join published as prev
        on cur.market = prev.market and cur.sector = prev.sector and cur.year = prev.year + 1
    left join changes as ch
        on cur.market = ch.market and cur.sector = ch.sector and cur.year = ch.year
)

select * from final
