-- Report grades (`grade_<aspect>` columns, item = aspect) summed per organisation: the grade
-- itself (mean_grade) and a 0/100 indicator of a sufficient grade (>= 5.5), docs/contract.md §5.
{{ config(**study_increments()) }}
{{ by_study(
    organisation_sums(
        ref('stg_survey__responses'),
        item_columns(ref('stg_survey__responses'), 'grade_'),
        {
            'mean_grade': '{answer}',
            'pct_sufficient': share_indicator('{answer} >= 5.5'),
        },
    ),
    ref('stg_survey__responses'),
) }}
