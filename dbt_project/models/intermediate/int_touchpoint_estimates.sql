{{ design_based_estimates(ref('int_touchpoint_sums'), ['pct_positive', 'pct_negative']) }}
