-- Year-over-year change of the positive share per market x sector x touchpoint (and the pooled
-- 'ALL'), se from the two-year design (macros/two_year_changes.sql).
{{ two_year_changes(ref('int_touchpoint_sums'), ref('int_touchpoint_estimates'), ['pct_positive']) }}
