{#- A suppressed cell publishes no estimate; a published cell has no suppression reason. -#}
{% test suppressed_cells_hide_estimates(model, estimates) %}
select *
from {{ model }}
where (suppressed and ({{ estimates | join(' is not null or ') }} is not null))
   or (not suppressed and suppression_reason is not null)
   or (suppressed and suppression_reason is null)
{% endtest %}
