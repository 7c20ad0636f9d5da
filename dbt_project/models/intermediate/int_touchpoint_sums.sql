-- Rated contact moments (`touch_<moment>` columns, 1-5) summed per organisation: 0/100
-- indicators for positive (4-5) and negative (1-2) ratings, docs/contract.md §5. Item 'ALL'
-- pools every rated moment: each rating is an observation, and a respondent with at least one
-- rating counts once in n_respondents.
{{ config(**study_increments()) }}
{{ by_study(
    organisation_sums(
        ref('stg_survey__responses'),
        item_columns(ref('stg_survey__responses'), 'touch_'),
        {
            'pct_positive': share_indicator('{answer} >= 4'),
            'pct_negative': share_indicator('{answer} <= 2'),
        },
        pooled_item='ALL',
    ),
    ref('stg_survey__responses'),
) }}
