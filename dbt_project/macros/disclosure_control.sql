{#-
  Disclosure control of docs/contract.md §7, as CTEs a mart includes in its own `with` chain.

  `cells` has market, year, item, sector ('ALL' = total), n_respondents, n_organisations and
  largest_organisation_share. The last CTE, `published`, has the `columns` of `cells` (expressions
  over alias `e`), each of `measures` and its `_se` (null when suppressed), `suppressed` and
  `suppression_reason`.

  Primary: too few respondents or organisations, or one organisation dominating the cell.
  Complementary: along each margin (sector, or item where items add up, like contact moments),
  a group with exactly one suppressed cell beside a published total could be solved for it, so
  its smallest published cell is suppressed too. `margins` lists the passes in order; repeating
  them lets a pass on one margin repair what the other created (a dbt test checks the result).
  `extra_reasons`, (SQL condition over the columns of `cells`, reason) pairs, are further primary
  rules of one table, checked after the others (drivers_by_year: too few organisations for a
  regression).
-#}
{% macro primary_suppression_reason(extra_reasons=[]) -%}
    case
        when n_respondents < {{ var('cxbench_min_respondents') }}
            then 'fewer than {{ var("cxbench_min_respondents") }} respondents'
        when n_organisations < {{ var('cxbench_min_organisations') }}
            then 'fewer than {{ var("cxbench_min_organisations") }} organisations'
        when largest_organisation_share > {{ var('cxbench_max_organisation_share') }}
            then 'one organisation supplies more than {{ (var("cxbench_max_organisation_share") * 100) | round | int }}% of respondents'
        {%- for condition, reason in extra_reasons %}
        when {{ condition }} then '{{ reason }}'
        {%- endfor %}
    end
{%- endmacro %}

{% macro disclosure_control_ctes(cells, margins, columns, measures, extra_reasons=[]) %}
disclosure_pass_0 as (
    select market, year, item, sector, n_respondents, {{ primary_suppression_reason(extra_reasons) }} as suppression_reason
    from {{ cells }}
),
{%- for margin in margins %}
{%- set other = 'item' if margin == 'sector' else 'sector' %}
disclosure_ranked_{{ loop.index }} as (
    select
        *,
        sum(case when suppression_reason is not null and {{ margin }} <> 'ALL' then 1 else 0 end)
            over (partition by market, year, {{ other }}) as suppressed_in_group,
        max(case when {{ margin }} = 'ALL' and suppression_reason is null then 1 else 0 end)
            over (partition by market, year, {{ other }}) as total_published,
        row_number() over (
            partition by market, year, {{ other }},
                case when suppression_reason is null and {{ margin }} <> 'ALL' then 0 else 1 end
            order by n_respondents, {{ margin }}
        ) as rank_among_published
    from disclosure_pass_{{ loop.index0 }}
),
disclosure_pass_{{ loop.index }} as (
    select
        market, year, item, sector, n_respondents,
        case
            when suppression_reason is null and {{ margin }} <> 'ALL'
                and suppressed_in_group = 1 and total_published = 1 and rank_among_published = 1
                then 'complementary: would reveal a suppressed {{ margin }} through the total'
            else suppression_reason
        end as suppression_reason
    from disclosure_ranked_{{ loop.index }}
),
{%- endfor %}
published as (
    select
        {%- for column in columns %}
        {{ column }},
        {%- endfor %}
        {%- for measure in measures %}
        case when d.suppression_reason is null then e.{{ measure }} end as {{ measure }},
        case when d.suppression_reason is null then e.{{ measure }}_se end as {{ measure }}_se,
        {%- endfor %}
        d.suppression_reason is not null as suppressed,
        d.suppression_reason
    from {{ cells }} as e
    inner join disclosure_pass_{{ margins | length }} as d
        on e.market = d.market and e.year = d.year and e.item = d.item and e.sector = d.sector
)
{% endmacro %}
