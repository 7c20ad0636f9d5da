{{ design_based_means(ref('int_recommend_answers'), ['pct_promoters', 'pct_passives', 'pct_detractors', 'nps']) }}
