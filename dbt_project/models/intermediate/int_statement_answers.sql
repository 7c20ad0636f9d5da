{{ config(materialized='view') }}
-- Agreement with relationship statements: agree 4-5, disagree 1-2.
select
    market, year, item, sector, organisation_id, respondent_id, weight,
    {{ share_indicator('answer >= 4') }} as pct_agree,
    {{ share_indicator('answer <= 2') }} as pct_disagree
from {{ ref('int_item_answers') }}
where item_family = 'statement'
