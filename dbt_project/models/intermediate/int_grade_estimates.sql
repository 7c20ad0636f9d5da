{{ design_based_means(ref('int_grade_answers'), ['mean_grade', 'pct_sufficient']) }}
