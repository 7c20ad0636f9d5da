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
