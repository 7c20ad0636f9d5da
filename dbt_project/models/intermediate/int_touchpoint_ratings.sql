{{ config(materialized='view') }}
-- Rated contact moments: one observation per rating (positive 4-5, negative 1-2), and the same
-- ratings pooled as touchpoint 'ALL' (every rated moment of the respondent counts once).
with ratings as (
    select
        market, year, item, sector, organisation_id, respondent_id, weight,
        {{ share_indicator('answer >= 4') }} as pct_positive,
        {{ share_indicator('answer <= 2') }} as pct_negative
    from {{ ref('int_item_answers') }}
    where item_family = 'touchpoint'
)

select * from ratings
union all
select
    market, year, cast('ALL' as {{ dbt.type_string() }}) as item, sector, organisation_id,
    respondent_id, weight, pct_positive, pct_negative
from ratings
