-- Relationship statements (`agree_<statement>` columns, 1-5) summed per organisation: 0/100
-- indicators for agree (4-5) and disagree (1-2), docs/contract.md §5.
{{ config(**study_increments()) }}
{{ by_study(
    organisation_sums(
        ref('stg_survey__responses'),
        item_columns(ref('stg_survey__responses'), 'agree_'),
        {
            'pct_agree': share_indicator('{answer} >= 4'),
            'pct_disagree': share_indicator('{answer} <= 2'),
        },
    ),
    ref('stg_survey__responses'),
) }}
