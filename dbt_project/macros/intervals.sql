{#-
  estimate -/+ z * se, clipped to the measure's scale [low, high] (docs/contract.md §6: NPS
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
