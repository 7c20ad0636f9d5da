{{ config(materialized='view') }}
-- Report grades: the grade itself and whether it is sufficient (>= 5.5).
select
    market, year, item, sector, organisation_id, respondent_id, weight,
    answer as mean_grade,
    {{ share_indicator('answer >= 5.5') }} as pct_sufficient
from {{ ref('int_item_answers') }}
where item_family = 'grade'
