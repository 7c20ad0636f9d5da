-- The accepted respondent rows as delivered; item columns pass through untouched because their
-- set grows with the deliveries (the int_*_sums models discover them). Studies and files an
-- analyst excluded (exclusions.yml, audit.exclusions) stay in raw but not in the benchmark: two
-- anti-joins on equal keys, each a hash join against the few entries.
with exclusions as (
    select * from {{ source('audit', 'exclusions') }}
)

select r.*
from {{ source('raw', 'survey_responses') }} as r
where not exists (
    select 1 from exclusions as e
    where e.kind = 'file' and e.source_file = r.source_file
)
and not exists (
    select 1 from exclusions as e
    where e.kind = 'study' and e.organisation_id = r.organisation_id and e.year = r.year
)
