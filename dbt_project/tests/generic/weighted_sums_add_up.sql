{#-
  Per-organisation weighted sums that add up (`terms`, signed, sum to `total`) within a
  tolerance relative to 100 x sum_weight, the largest a weighted sum of 0/100 indicators can be.
-#}
{% test weighted_sums_add_up(model, terms, total, tolerance=1e-9) %}
select *
from {{ model }}
where abs({{ terms | join(' + ') }} - ({{ total }})) > {{ tolerance }} * 100 * sum_weight
{% endtest %}
