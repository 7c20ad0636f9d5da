{#- Year-over-year change of contract section 6: against the same cell one year earlier. -#}
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

{#-
  estimate -/+ z * se, clipped to the measure's scale [low, high] (contract section 6: NPS
  -100..100, shares 0..100, grades 1..10); null when the estimate or the se is null.
-#}
{% macro ci_low(estimate, se, low) -%}
    case when {{ estimate }} is not null and {{ se }} is not null
        then greatest({{ estimate }} - {{ var('cxbench_z') }} * {{ se }}, {{ low }}) end
{%- endmacro %}
{% macro ci_high(estimate, se, high) -%}
    case when {{ estimate }} is not null and {{ se }} is not null
        then least({{ estimate }} + {{ var('cxbench_z') }} * {{ se }}, {{ high }}) end
{%- endmacro %}
