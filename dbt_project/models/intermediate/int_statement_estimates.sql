{{ design_based_estimates(ref('int_statement_sums'), ['pct_agree', 'pct_disagree']) }}
