{#- Year-over-year change of docs/contract.md §6: against the same cell one year earlier. -#}
{% macro change(estimate, current='cur', previous='prev') -%}
    {{ current }}.{{ estimate }} - {{ previous }}.{{ estimate }}
{%- endmacro %}

{#- |change| / sqrt(se^2 + se_prev^2) > z; unknown (null) when either se is missing or both are 0. -#}
{% macro change_significant(estimate, se, current='cur', previous='prev') -%}
    case
        when {{ current }}.{{ se }} * {{ current }}.{{ se }} + {{ previous }}.{{ se }} * {{ previous }}.{{ se }} > 0
            then abs({{ change(estimate, current, previous) }})
                / sqrt({{ current }}.{{ se }} * {{ current }}.{{ se }} + {{ previous }}.{{ se }} * {{ previous }}.{{ se }})
                > {{ var('cxbench_z') }}
    end
{%- endmacro %}

{#- estimate -/+ z * se -#}
{% macro ci_low(estimate, se) -%}{{ estimate }} - {{ var('cxbench_z') }} * {{ se }}{%- endmacro %}
{% macro ci_high(estimate, se) -%}{{ estimate }} + {{ var('cxbench_z') }} * {{ se }}{%- endmacro %}
