{{ design_based_estimates(ref('int_recommend_sums'), ['pct_promoters', 'pct_passives', 'pct_detractors', 'nps']) }}
