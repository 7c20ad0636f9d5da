{{ design_based_means(ref('int_touchpoint_ratings'), ['pct_positive', 'pct_negative']) }}
