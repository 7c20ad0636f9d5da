-- The accepted respondent rows as delivered; item columns pass through untouched because their
-- set grows with the deliveries (int_item_answers discovers them).
select *
from {{ source('raw', 'survey_responses') }}
