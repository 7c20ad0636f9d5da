{#-
  A double-precision float. type_double() is FLOAT, which DuckDB reads as 4-byte REAL: enough
  to move published estimates in the 8th digit. Dispatched so other engines can name theirs.
-#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'cxbench')()) }}
{%- endmacro %}

{% macro default__type_double() -%}double{%- endmacro %}
{% macro postgres__type_double() -%}double precision{%- endmacro %}

{#- A 0/100 indicator: its design-based mean is a percentage (docs/contract.md §6). -#}
{% macro share_indicator(condition) -%}
    case when {{ condition }} then cast(100 as {{ type_double() }}) else cast(0 as {{ type_double() }}) end
{%- endmacro %}
