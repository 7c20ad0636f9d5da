-- Key drivers, the one pass over the respondents (macros/design_based_regression.sql): per market,
-- year, sector and organisation the complete cases' weighted sums of the NPS score, the aspect
-- grades (every grade_<aspect> but overall) and their cross-products.
{{ config(**market_year_increments()) }}
{{ by_market_year(
    driver_sums(ref('stg_survey__responses'), driver_aspects(ref('stg_survey__responses'))),
    ref('stg_survey__responses'),
) }}
