-- Key drivers, the one pass over the respondents (macros/design_based_regression.sql): per market,
-- year, sector and organisation the complete cases' weighted sums of the NPS score, the aspect
-- grades (every grade_<aspect> but overall) and their cross-products. Kept per market-year, not
-- per study (macros/study_increments.sql): the aspects in a market-year's model, and so every
-- organisation's complete cases, depend on all its respondents.
{{ config(**market_year_increments()) }}
{{ by_market_year(
    driver_sums(ref('stg_survey__responses'), driver_aspects(ref('stg_survey__responses'))),
    ref('stg_survey__responses'),
) }}
