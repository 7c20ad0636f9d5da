{#-
  Disclosure control of docs/contract.md §7, as CTEs a mart includes in its own `with` chain.

  `cells` has market, year, item, sector ('ALL' = total), n_respondents, n_organisations,
  largest_organisation_share and largest_organisation_weight_share. The last CTE, `published`,
  has the `columns` of `cells` (expressions over alias `e`), each of `measures` and its `_se`
  (null when suppressed), `suppressed` and `suppression_reason`.

  Primary (per cell, `primary_suppression_reason`): too few respondents or organisations, or one
  organisation supplying more than the maximum share of the cell's respondents or of its weight.
  Complementary: along each margin (sector, or item where items add up, like contact moments),
  a group with exactly one suppressed cell beside a published total could be solved for it, so a
  published cell of the group is suppressed too: chosen for the protection it gives, not for
  being small (see `complement_order`). `margins` lists the passes in order; repeating them lets
  a pass on one margin repair what the other created (a dbt test checks the result). The
  disclosure audit after dbt (Python package `cxbench.disclosure`) then adds what linear
  programming over the published tables still asks for. `extra_reasons`, (SQL condition over the
  columns of `cells`, reason) pairs, are further primary rules of one table, checked after the
  others (drivers_by_year: too few organisations for a regression).
-#}

{#-
  The primary suppression reason of one cell, null when it may be published. Arguments name the
  cell's columns, so a new table (e.g. drivers_by_year) applies it to its own rows:
  `{{ primary_suppression_reason() }} as suppression_reason`.
-#}
{% macro primary_suppression_reason(
    n_respondents='n_respondents',
    n_organisations='n_organisations',
    respondent_share='largest_organisation_share',
    weight_share='largest_organisation_weight_share',
    extra_reasons=[]
) -%}
    {%- set max_share = var('cxbench_max_organisation_share') %}
    {%- set percent = (max_share * 100) | round | int %}
    case
        when {{ n_respondents }} < {{ var('cxbench_min_respondents') }}
            then 'fewer than {{ var("cxbench_min_respondents") }} respondents'
        when {{ n_organisations }} < {{ var('cxbench_min_organisations') }}
            then 'fewer than {{ var("cxbench_min_organisations") }} organisations'
        when {{ respondent_share }} > {{ max_share }}
            then 'one organisation supplies more than {{ percent }}% of respondents'
        when {{ weight_share }} > {{ max_share }}
            then 'one organisation supplies more than {{ percent }}% of the weight'
        {%- for condition, reason in extra_reasons %}
        when {{ condition }} then '{{ reason }}'
        {%- endfor %}
    end
{%- endmacro %}

{#-
  The order in which published cells of a group are taken as its complement (first = taken).
  A complement protects a suppressed cell of size n_s by about n_c / n_s of the measure's scale
  (the reader solves n_s x_s + n_c x_c = the rest of the total), so cells of at least
  cxbench_protection_level x n_s come first, the smallest of them; without one, the largest.
  With two margins (`across`: cells of the candidate's own group along the other margin that
  are suppressed already) a candidate that opens no new lonely cell in the other direction comes
  before one that would.
-#}
{% macro complement_order(margin, across=none) -%}
    {%- set enough = 'n_respondents >= ' ~ var('cxbench_protection_level') ~ ' * suppressed_size' %}
    {%- if across %}case when {{ across }} > 0 then 0 else 1 end, {% endif -%}
    case when {{ enough }} then 0 else 1 end,
    case when {{ enough }} then n_respondents else -n_respondents end,
    {{ margin }}
{%- endmacro %}

{% macro disclosure_control_ctes(cells, margins, columns, measures, extra_reasons=[]) %}
disclosure_pass_0 as (
    select market, year, item, sector, n_respondents, {{ primary_suppression_reason(extra_reasons=extra_reasons) }} as suppression_reason
    from {{ cells }}
),
{%- set two_margins = margins | unique | list | length > 1 %}
{%- for margin in margins %}
{%- set other = 'item' if margin == 'sector' else 'sector' %}
disclosure_groups_{{ loop.index }} as (
    select
        *,
        sum(case when suppression_reason is not null and {{ margin }} <> 'ALL' then 1 else 0 end)
            over (partition by market, year, {{ other }}) as suppressed_in_group,
        max(case when {{ margin }} = 'ALL' and suppression_reason is null then 1 else 0 end)
            over (partition by market, year, {{ other }}) as total_published,
        max(case when suppression_reason is not null and {{ margin }} <> 'ALL' then n_respondents end)
            over (partition by market, year, {{ other }}) as suppressed_size
        {%- if two_margins %},
        sum(case when suppression_reason is not null and {{ other }} <> 'ALL' then 1 else 0 end)
            over (partition by market, year, {{ margin }}) as suppressed_across
        {%- endif %}
    from disclosure_pass_{{ loop.index0 }}
),
disclosure_ranked_{{ loop.index }} as (
    select
        *,
        row_number() over (
            partition by market, year, {{ other }},
                case when suppression_reason is null and {{ margin }} <> 'ALL' then 0 else 1 end
            order by {{ complement_order(margin, 'suppressed_across' if two_margins else none) }}
        ) as rank_among_published
    from disclosure_groups_{{ loop.index }}
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
