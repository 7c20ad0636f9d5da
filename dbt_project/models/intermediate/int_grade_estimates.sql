{{ design_based_estimates(ref('int_grade_sums'), ['mean_grade', 'pct_sufficient']) }}
