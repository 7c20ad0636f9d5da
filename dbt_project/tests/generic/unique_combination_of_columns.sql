{#- Each row has its own values of `combination_of_columns`, none of them null: the key
    identifies one row (a null key column would hide a duplicate, and the rows' keys are what
    joins and failure messages name). Replaces not_null tests on the key columns. -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
select {{ combination_of_columns | join(', ') }}, count(*) as n_rows
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1
    {%- for column in combination_of_columns %}
    or {{ column }} is null
    {%- endfor %}
{% endtest %}
