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

final as (
    select
        market,
        year,
        case when sector = 'ALL' then 'all' else sector end as performer_group,
        item as measure,
        value,
        value_se,
        {{ ci_low('value', 'value_se') }} as ci_low,
        {{ ci_high('value', 'value_se') }} as ci_high,
        n_organisations,
        n_respondents,
        suppressed,
        suppression_reason
    from published
)

select * from final
