-- RESTRICTED: names organisations. Published only to published/restricted/ (never to the public
-- snapshot). Each organisation's own mean grade per aspect and year, the weighted mean of its
-- respondents' grades (from its sums in int_grade_sums): what the client edition of the report
-- sets against its sector on the key drivers.
select
    organisation_id,
    market,
    sector,
    year,
    item as aspect,
    cast(sum(n_respondents) as {{ dbt.type_bigint() }}) as n_respondents,
    sum(weighted_sum_mean_grade) / nullif(sum(sum_weight), 0) as mean_grade
from {{ ref('int_grade_sums') }}
group by organisation_id, market, sector, year, item
