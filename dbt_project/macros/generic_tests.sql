{#- Generic data tests written here because `dbt deps` cannot reach the package hub. -#}

{#- Values of a column within [min_value, max_value] (nulls pass). -#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}
select {{ column_name }}
from {{ model }}
where {{ column_name }} is not null
  and (
    false
    {%- if min_value is not none %}
    or {{ column_name }} {{ '<' if inclusive else '<=' }} {{ min_value }}
    {%- endif %}
    {%- if max_value is not none %}
    or {{ column_name }} {{ '>' if inclusive else '>=' }} {{ max_value }}
    {%- endif %}
  )
{% endtest %}

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

{#- No two rows share the same values of `combination_of_columns`. -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
select {{ combination_of_columns | join(', ') }}, count(*) as n_rows
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1
{% endtest %}

{#- Shares that partition the answers add up to 100 wherever they are published. -#}
{% test shares_sum_to_100(model, columns, tolerance=1e-9) %}
select *
from {{ model }}
where {{ columns | join(' is not null and ') }} is not null
  and abs({{ columns | join(' + ') }} - 100) > {{ tolerance }}
{% endtest %}

{#-
  Per-organisation weighted sums that add up (`terms`, signed, sum to `total`) within a
  tolerance relative to 100 x sum_weight, the largest a weighted sum of 0/100 indicators can be.
-#}
{% test weighted_sums_add_up(model, terms, total, tolerance=1e-9) %}
select *
from {{ model }}
where abs({{ terms | join(' + ') }} - ({{ total }})) > {{ tolerance }} * 100 * sum_weight
{% endtest %}

{#-
  Every study (organisation x year) comes from one delivery: its rows share source_file and
  content_hash. Ingest quarantines a row that repeats a respondent_id of its organisation x year
  in the delivery, so respondent_id is then unique within organisation x year, which the
  estimator relies on (macros/design_based_means.sql). One cheap aggregation per study, where
  testing the respondent keys themselves would hash every row (about 1 s at 10 M rows).
-#}
{% test one_delivery_per_study(model) %}
select organisation_id, year
from {{ model }}
group by organisation_id, year
having min(source_file) <> max(source_file) or min(content_hash) <> max(content_hash)
{% endtest %}

{#- A suppressed cell publishes no estimate; a published cell has no suppression reason. -#}
{% test suppressed_cells_hide_estimates(model, estimates) %}
select *
from {{ model }}
where (suppressed and ({{ estimates | join(' is not null or ') }} is not null))
   or (not suppressed and suppression_reason is not null)
   or (suppressed and suppression_reason is null)
{% endtest %}

{#- Published cells meet the disclosure thresholds of docs/contract.md §7. -#}
{% test published_cells_meet_thresholds(model, respondents_column='n_respondents') %}
select *
from {{ model }}
where not suppressed
  and ({{ respondents_column }} < {{ var('cxbench_min_respondents') }}
       or n_organisations < {{ var('cxbench_min_organisations') }})
{% endtest %}

{#-
  No group along `margin` has exactly one suppressed cell beside a published total: that cell
  could be recomputed from the others (docs/contract.md §7).
-#}
{% test no_single_suppressed_cell(model, margin, group_by, total='ALL') %}
with groups as (
    select
        {{ group_by | join(', ') }},
        sum(case when {{ margin }} <> '{{ total }}' and suppressed then 1 else 0 end) as n_suppressed,
        max(case when {{ margin }} = '{{ total }}' and not suppressed then 1 else 0 end) as total_published
    from {{ model }}
    group by {{ group_by | join(', ') }}
)
select * from groups where n_suppressed = 1 and total_published = 1
{% endtest %}

{#- Each published interval contains its estimate. -#}
{% test interval_contains_estimate(model, column_name, low, high) %}
select *
from {{ model }}
where {{ column_name }} is not null
  and not ({{ low }} <= {{ column_name }} and {{ column_name }} <= {{ high }})
{% endtest %}
