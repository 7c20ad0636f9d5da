-- Year-over-year NPS change per market x sector with its se from the two-year design
-- (macros/two_year_changes.sql).
{{ two_year_changes(ref('int_recommend_sums'), ref('int_nps_estimates'), ['nps']) }}
