-- Key drivers per market x sector x year x aspect: the design-based regression of the NPS score
-- on the aspect grades (int_driver_estimates, macros/design_based_regression.sql), with the
-- disclosure control of the other tables. A regression also needs one organisation more than it
-- has coefficients (design degrees of freedom >= 1): with fewer, the organisations' score totals
-- cannot estimate the coefficients' variance and svyglm gives no p-value.
with estimates as (
    select * from {{ ref('int_driver_estimates') }}
),

{{ disclosure_control_ctes(
    'estimates',
    margins=['sector'],
    columns=[
        'e.market', 'e.sector', 'e.year', 'e.item as aspect', 'e.n_respondents', 'e.n_organisations',
        'e.p_value', 'e.importance', 'e.df',
    ],
    measures=['coefficient', 'mean_grade'],
    extra_reasons=[
        ('df < 1', 'too few organisations for the regression: it needs one more than its coefficients'),
    ],
) }},

final as (
    select
        market,
        sector,
        year,
        aspect,
        n_respondents,
        n_organisations,
        coefficient,
        coefficient_se,
        case when not suppressed then p_value end as p_value,
        case when not suppressed then importance end as importance,
        mean_grade,
        mean_grade_se,
        case when not suppressed then df end as degrees_of_freedom,
        suppressed,
        suppression_reason
    from published
)

select * from final
