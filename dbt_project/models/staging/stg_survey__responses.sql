-- The accepted respondent rows as delivered; item columns pass through untouched because their
-- set grows with the deliveries (the int_*_sums models discover them).
select *
from {{ source('raw', 'survey_responses') }}
