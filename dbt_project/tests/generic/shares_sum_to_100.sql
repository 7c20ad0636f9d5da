{#- Shares that partition the answers add up to 100 wherever they are published. -#}
{% test shares_sum_to_100(model, columns, tolerance=1e-9) %}
select *
from {{ model }}
where {{ columns | join(' is not null and ') }} is not null
  and abs({{ columns | join(' + ') }} - 100) > {{ tolerance }}
{% endtest %}
