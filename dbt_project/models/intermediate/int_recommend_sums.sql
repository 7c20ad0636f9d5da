-- The recommend answers summed per organisation (the first half of the estimator, see
-- macros/design_based_means.sql): read by int_nps_estimates and int_performer_estimates.
{{ config(**study_increments()) }}
{{ by_study(
    organisation_sums(
        ref('int_recommend_answers'),
        [('recommend', 'recommend')],
        {
            'pct_promoters': 'pct_promoters',
            'pct_passives': 'pct_passives',
            'pct_detractors': 'pct_detractors',
            'nps': 'nps',
        },
    ),
    ref('int_recommend_answers'),
) }}
