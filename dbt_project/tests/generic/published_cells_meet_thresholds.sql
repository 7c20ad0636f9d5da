{#- Published cells meet the disclosure thresholds of docs/contract.md §7. -#}
{% test published_cells_meet_thresholds(model, respondents_column='n_respondents') %}
select *
from {{ model }}
where not suppressed
  and ({{ respondents_column }} < {{ var('cxbench_min_respondents') }}
       or n_organisations < {{ var('cxbench_min_organisations') }})
{% endtest %}
