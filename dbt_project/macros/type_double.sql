{#-
  A double-precision float. type_double() is FLOAT, which DuckDB reads as 4-byte REAL: enough
  to move published estimates in the 8th digit. Dispatched so other engines can name theirs.
-#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'cxbench')()) }}
{%- endmacro %}

{% macro default__type_double() -%}double{%- endmacro %}
{% macro postgres__type_double() -%}double precision{%- endmacro %}
