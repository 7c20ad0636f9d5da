{{ design_based_means(ref('int_statement_answers'), ['pct_agree', 'pct_disagree']) }}
