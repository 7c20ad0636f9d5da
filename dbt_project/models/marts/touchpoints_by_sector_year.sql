-- Experience of contact moments per market x sector x year x touchpoint; each rating is one
-- observation, touchpoint 'ALL' pools every rated moment. Contact moments add up to 'ALL', so
-- complementary suppression works along both margins.
with estimates as (
    select * from {{ ref('int_touchpoint_estimates') }}
),

changes as (
    select * from {{ ref('int_touchpoint_changes') }}
),

{{ disclosure_control_ctes(
    'estimates',
    margins=['sector', 'item', 'sector', 'item', 'sector'],
    columns=['e.market', 'e.sector', 'e.year', 'e.item as touchpoint', 'e.n_observations as n_ratings', 'e.n_respondents', 'e.n_organisations'],
    measures=['pct_positive', 'pct_negative'],
) }},

final as (
    select
        cur.market,
        cur.sector,
        cur.year,
        cur.touchpoint,
        cur.n_ratings,
        cur.n_respondents,
        cur.n_organisations,
        cur.pct_positive,
        cur.pct_negative,
        cur.pct_positive_se,
        cur.pct_negative_se,
        {{ ci_low('cur.pct_positive', 'cur.pct_positive_se', 0) }} as ci_low,
        {{ ci_high('cur.pct_positive', 'cur.pct_positive_se', 100) }} as ci_high,
        {{ change('pct_positive') }} as change,
        {{ change_se('pct_positive', 'ch.pct_positive_change_se') }} as change_se,
        {{ change_significant('pct_positive', 'ch.pct_positive_change_se') }} as change_significant,
        cur.suppressed,
        cur.suppression_reason
    from published as cur
    left join published as prev
        on
            cur.market = prev.market and cur.sector = prev.sector
            and cur.touchpoint = prev.touchpoint and cur.year = prev.year + 1
    left join changes as ch
        on cur.market = ch.market and cur.sector = ch.sector and cur.year = ch.year and cur.touchpoint = ch.item
)

select * from final
