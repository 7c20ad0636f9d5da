{{ design_based_means(ref('int_performer_answers'), ['value']) }}
