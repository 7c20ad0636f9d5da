{#- Year-over-year change of docs/contract.md §6: against the same cell one year earlier. -#}
{% macro change(estimate, current='cur', previous='prev') -%}
    {{ current }}.{{ estimate }} - {{ previous }}.{{ estimate }}
{%- endmacro %}

{#-
  The change's standard error `se` (an expression, from two_year_changes: the two-year design),
  published where the change is: null when either year's estimate is (suppressed, or no cell).
-#}
{% macro change_se(estimate, se, current='cur', previous='prev') -%}
    case
        when {{ current }}.{{ estimate }} is not null and {{ previous }}.{{ estimate }} is not null
            then {{ se }}
    end
{%- endmacro %}

{#- |change| / change_se > z; unknown (null) when the change or its se is missing, or the se is 0. -#}
{% macro change_significant(estimate, se, current='cur', previous='prev') -%}
    abs({{ change(estimate, current, previous) }})
        / nullif({{ change_se(estimate, se, current, previous) }}, 0)
        > {{ var('cxbench_z') }}
{%- endmacro %}

{#- estimate -/+ z * se -#}
{% macro ci_low(estimate, se) -%}{{ estimate }} - {{ var('cxbench_z') }} * {{ se }}{%- endmacro %}
{% macro ci_high(estimate, se) -%}{{ estimate }} + {{ var('cxbench_z') }} * {{ se }}{%- endmacro %}
