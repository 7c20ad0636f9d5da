{#- accepted_range for several columns in one query: `ranges` maps a column to its min_value,
    max_value and inclusive (as accepted_range; nulls pass). A failing row is returned once with
    every column, so the failures show which value broke which range. One test per model instead
    of one per column: every test is a query, a node and three Dagster events per run. -#}
{% test accepted_ranges(model, ranges) %}
select *
from {{ model }}
where false
{%- for column, bounds in ranges.items() %}
  {%- set inclusive = bounds.get('inclusive', true) %}
  {%- if bounds.get('min_value') is not none %}
  or {{ column }} {{ '<' if inclusive else '<=' }} {{ bounds['min_value'] }}
  {%- endif %}
  {%- if bounds.get('max_value') is not none %}
  or {{ column }} {{ '>' if inclusive else '>=' }} {{ bounds['max_value'] }}
  {%- endif %}
{%- endfor %}
{% endtest %}
