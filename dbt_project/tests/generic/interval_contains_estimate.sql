{#- Each published interval contains its estimate. -#}
{% test interval_contains_estimate(model, column_name, low, high) %}
select *
from {{ model }}
where {{ column_name }} is not null
  and not ({{ low }} <= {{ column_name }} and {{ column_name }} <= {{ high }})
{% endtest %}
