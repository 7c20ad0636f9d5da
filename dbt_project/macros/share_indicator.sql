{#- A 0/100 indicator: its design-based mean is a percentage (docs/contract.md §6). -#}
{% macro share_indicator(condition) -%}
    case when {{ condition }} then cast(100 as {{ type_double() }}) else cast(0 as {{ type_double() }}) end
{%- endmacro %}
