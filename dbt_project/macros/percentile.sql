{#- The p-th percentile with linear interpolation (numpy's default, R type 7), as an aggregate. -#}
{% macro percentile_linear(column, fraction) -%}
    {{ return(adapter.dispatch('percentile_linear', 'cxbench')(column, fraction)) }}
{%- endmacro %}

{% macro default__percentile_linear(column, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by {{ column }})
{%- endmacro %}

{% macro spark__percentile_linear(column, fraction) -%}
    percentile({{ column }}, {{ fraction }})
{%- endmacro %}
