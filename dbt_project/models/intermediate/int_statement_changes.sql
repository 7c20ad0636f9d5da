-- Year-over-year change of the agree share per market x sector x statement, se from the
-- two-year design (macros/two_year_changes.sql).
{{ two_year_changes(ref('int_statement_sums'), ref('int_statement_estimates'), ['pct_agree']) }}
