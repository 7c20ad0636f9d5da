-- How top performers differ (docs/contract.md §9): per market x year and measure, the pooled value
-- of the top performers, of the other organisations and of all organisations.
with estimates as (
    select * from {{ ref('int_performer_estimates') }}
),

{{ disclosure_control_ctes(
    'estimates',
    margins=['sector'],
    columns=['e.market', 'e.year', 'e.sector', 'e.item', 'e.n_respondents', 'e.n_organisations'],
    measures=['value'],
) }},

-- Each measure's scale, to which its interval is clipped: NPS -100..100, shares 0..100, grades 1..10.
scaled as (
    select
        *,
        case when item = 'nps' then -100 when item like 'pct%' then 0 else 1 end as scale_low,
        case when item like 'grade%' then 10 else 100 end as scale_high
    from published
),

final as (
    select
        market,
        year,
        case when sector = 'ALL' then 'all' else sector end as performer_group,
        item as measure,
        value,
        value_se,
        {{ ci_low('value', 'value_se', 'scale_low') }} as ci_low,
        {{ ci_high('value', 'value_se', 'scale_high') }} as ci_high,
        n_organisations,
        n_respondents,
        suppressed,
        suppression_reason
    from scaled
)

select * from final
