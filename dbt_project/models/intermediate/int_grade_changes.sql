-- Year-over-year change of the mean grade per market x sector x aspect, se from the two-year
-- design (macros/two_year_changes.sql).
{{ two_year_changes(ref('int_grade_sums'), ref('int_grade_estimates'), ['mean_grade']) }}
