{{ config(materialized='view') }}
-- One row per answered NPS item with the respondent's derived answers (docs/contract.md §5):
-- 0/100 indicators for the shares and +100 / 0 / -100 for the NPS.
with responses as (
    select * from {{ ref('stg_survey__responses') }}
),

final as (
    select
        market,
        year,
        cast('recommend' as {{ dbt.type_string() }}) as item,
        sector,
        organisation_id,
        respondent_id,
        weight,
        recommend,
        {{ share_indicator('recommend >= 9') }} as pct_promoters,
        {{ share_indicator('recommend in (7, 8)') }} as pct_passives,
        {{ share_indicator('recommend <= 6') }} as pct_detractors,
        {{ share_indicator('recommend >= 9') }} - {{ share_indicator('recommend <= 6') }} as nps
    from responses
    where recommend is not null
)

select * from final
