{#-
  Design-based estimates of docs/contract.md §6, written once for every benchmark table.

  The design of a cell is market x year x item: its organisations are the clusters (PSUs), weight
  is the sampling weight, no strata. For each sector and for the market total (sector 'ALL'):

    estimate  = sum(w * y) / sum(w)                                (the ratio mean)
    se        = sqrt( n / (n - 1) * sum_h z_h^2 )                 (Taylor linearisation)
    z_h       = sum over the cell's answers of organisation h of w * (y - estimate) / sum(w)
    n         = organisations in the whole market x year x item design (not only the sector)

  This is what R's survey package computes for
    svyby(~y, ~sector, svydesign(ids = ~organisation_id, weights = ~weight, data), svymean)
  Organisations outside the sector have z_h = 0 but count in n. With a single organisation in
  the design the variance is undefined (R: lonely PSU) and the se is null.

  Everything above needs the answers only through each organisation's sums: the estimate through
  sum(w) and sum(w * y), and z_h = (sum_h(w * y) - estimate * sum_h(w)) / sum(w). So the
  estimator is split in two:

    organisation_sums        the one pass over the answers (O(respondents)): per market, year,
                             item, sector and organisation, n_observations, n_respondents,
                             sum_weight, weighted_sum_<measure> = sum(w * y) and the smallest and
                             largest answer, min_<measure> and max_<measure>
    design_based_estimates   the rest, on those few rows: domains (sectors and 'ALL'), design
                             sizes, linearisation, se

  The sums are materialised (int_*_sums), so each answer is read once per build.

  Numerics (issue 14). A weighted mean lies within [min, max] of the answers it averages; in
  floating point sum(w * y) / sum(w) can land a rounding step outside (a share of 100.00000000000003
  where every answer qualifies), so each estimate is clipped to its domain's [min, max]: a cell
  whose answers are all equal gets exactly that answer (every answer qualifying: exactly 100). An
  organisation whose answers in the domain are all equal (min = max) has the linearised total
  sum(w) * (min - estimate) / sum_domain(w), the same value without the rounding of
  sum(w * y) - estimate * sum(w); so a domain of equal answers has every z_h exactly 0 and a
  standard error of exactly 0.

  Denominators go through nullif: Spark 4 (ANSI mode) raises on x / 0 where DuckDB gives null or
  inf. Weights are positive (validated at ingest), so no published figure changes.
-#}

{#-
  The item columns of `relation` whose name starts with `prefix`, as (item, column) pairs with
  item = the name without the prefix. Item columns arrive with deliveries, so they are discovered
  from the relation, not listed.
-#}
{% macro item_columns(relation, prefix) %}
    {%- set items = [] -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- if column.name.startswith(prefix) -%}
                {%- do items.append((column.name[prefix | length:], column.name)) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(items) }}
{% endmacro %}

{#-
  Per-organisation sums of the answers to `items`, one row per market, year, item, sector and
  organisation_id with at least one answer: n_observations, n_respondents, sum_weight and
  weighted_sum_<measure> for each of `measures`.

  `relation` has one row per respondent: market, year, sector, organisation_id, weight and the
  answer columns. `items` lists (item, column) pairs; a null in the column means not answered.
  `measures` maps each measure to its value for one answer, an SQL expression in which
  `{answer}` stands for the answer as a double (e.g. "{answer}" for a mean, or a 0/100
  indicator); it may also use other columns of the row. Besides each measure's weighted sum, its
  smallest and largest value over the organisation's answers (min_<measure>, max_<measure>),
  which keep the estimates within the answers' range. `pooled_item`, when given, adds an item
  that pools the answers to every item (touchpoint 'ALL': each answer is an observation, a
  respondent with at least one answer counts once in n_respondents).

  The respondent rows are aggregated wide, every item in one pass, and only the small result is
  unpivoted into one row per item. Plain SQL (count, sum, case, union all): portable.

  n_respondents = the answering rows: respondent_id is unique within organisation x year (one
  delivery per study, each validated at ingest; the test one_delivery_per_study on
  stg_survey__responses guards it), so the rows with an answer are distinct respondents.
-#}
{% macro organisation_sums(relation, items, measures, pooled_item=none) %}
{%- if not items %}
select
    market, year, cast(null as {{ dbt.type_string() }}) as item, sector, organisation_id,
    cast(null as {{ dbt.type_bigint() }}) as n_observations,
    cast(null as {{ dbt.type_bigint() }}) as n_respondents,
    cast(null as {{ type_double() }}) as sum_weight
    {%- for name in measures %},
    cast(null as {{ type_double() }}) as weighted_sum_{{ name }},
    cast(null as {{ type_double() }}) as min_{{ name }},
    cast(null as {{ type_double() }}) as max_{{ name }}
    {%- endfor %}
from {{ relation }}
where 1 = 0
{%- else %}
{%- set aggregates = [] %}
{%- set answered = [] %}
{%- for item, column in items %}
    {%- set i = loop.index %}
    {%- set quoted = adapter.quote(column) %}
    {%- set answer = 'cast(' ~ quoted ~ ' as ' ~ type_double() ~ ')' %}
    {%- do answered.append(quoted ~ ' is not null') %}
    {%- do aggregates.append('count(' ~ quoted ~ ') as n_' ~ i) %}
    {%- do aggregates.append('sum(case when ' ~ quoted ~ ' is not null then weight end) as sum_weight_' ~ i) %}
    {%- for name, expression in measures.items() %}
        {%- set value = '(' ~ (expression | replace('{answer}', answer)) ~ ')' %}
        {%- do aggregates.append(
            'sum(case when ' ~ quoted ~ ' is not null then weight * ' ~ value ~ ' end) as weighted_sum_' ~ i ~ '_' ~ name
        ) %}
        {%- do aggregates.append(
            'min(case when ' ~ quoted ~ ' is not null then ' ~ value ~ ' end) as min_' ~ i ~ '_' ~ name
        ) %}
        {%- do aggregates.append(
            'max(case when ' ~ quoted ~ ' is not null then ' ~ value ~ ' end) as max_' ~ i ~ '_' ~ name
        ) %}
    {%- endfor %}
{%- endfor %}
{%- if pooled_item %}
    {%- do aggregates.append(
        'count(case when ' ~ answered | join(' or ') ~ ' then 1 end) as n_pooled_respondents'
    ) %}
{%- endif %}
with wide as (
    select
        market, year, sector, organisation_id,
        {{ aggregates | join(',\n        ') }}
    from {{ relation }}
    group by market, year, sector, organisation_id
)
{%- for item, column in items %}
{%- set i = loop.index %}
select
    market, year, cast('{{ item | replace("'", "''") }}' as {{ dbt.type_string() }}) as item,
    sector, organisation_id,
    n_{{ i }} as n_observations,
    n_{{ i }} as n_respondents,
    sum_weight_{{ i }} as sum_weight
    {%- for name in measures %},
    weighted_sum_{{ i }}_{{ name }} as weighted_sum_{{ name }},
    min_{{ i }}_{{ name }} as min_{{ name }},
    max_{{ i }}_{{ name }} as max_{{ name }}
    {%- endfor %}
from wide
where n_{{ i }} > 0
{%- if not loop.last or pooled_item %}
union all
{%- endif %}
{%- endfor %}
{%- if pooled_item %}
select
    market, year, cast('{{ pooled_item }}' as {{ dbt.type_string() }}) as item,
    sector, organisation_id,
    {% for item in items %}n_{{ loop.index }}{% if not loop.last %} + {% endif %}{% endfor %} as n_observations,
    n_pooled_respondents as n_respondents,
    {% for item in items %}coalesce(sum_weight_{{ loop.index }}, 0){% if not loop.last %} + {% endif %}{% endfor %} as sum_weight
    {%- for name in measures %},
    {% for item in items %}coalesce(weighted_sum_{{ loop.index }}_{{ name }}, 0){% if not loop.last %} + {% endif %}{% endfor %}
        as weighted_sum_{{ name }},
    {#- least and greatest skip nulls (items the organisation's respondents did not rate) #}
    {% if items | length > 1 %}least({% endif %}{% for item in items %}min_{{ loop.index }}_{{ name }}{% if not loop.last %}, {% endif %}{% endfor %}{% if items | length > 1 %}){% endif %}
        as min_{{ name }},
    {% if items | length > 1 %}greatest({% endif %}{% for item in items %}max_{{ loop.index }}_{{ name }}{% if not loop.last %}, {% endif %}{% endfor %}{% if items | length > 1 %}){% endif %}
        as max_{{ name }}
    {%- endfor %}
from wide
where n_pooled_respondents > 0
{%- endif %}
{%- endif %}
{% endmacro %}

{#-
  The estimates of every domain from per-organisation `sums` (a relation, CTE or parenthesised
  subquery with the columns of organisation_sums, one row per market, year, item, sector and
  organisation_id): one row per market x year x item x sector, and with `total` also the market
  total, sector 'ALL' (the organisations' sums over their sectors). n of the se is the number of
  organisations in the design, which is the 'ALL' domain's; without `total` every organisation
  must lie in one domain, and n is the sum of the domains' organisations. Estimates are clipped
  to [min, max] of their domain's answers (min_<m>, max_<m> of the sums).
-#}
{% macro design_based_estimates(sums, measures, total=true) %}
{%- set rows = 'domain_organisations' if total else sums %}
with
{%- if total %}
domain_organisations as (
    select
        market, year, item, sector, organisation_id, n_observations, n_respondents, sum_weight
        {%- for m in measures %}, weighted_sum_{{ m }}, min_{{ m }}, max_{{ m }}{% endfor %}
    from {{ sums }} as s
    union all
    select
        market, year, item, 'ALL' as sector, organisation_id,
        sum(n_observations), sum(n_respondents), sum(sum_weight)
        {%- for m in measures %}, sum(weighted_sum_{{ m }}), min(min_{{ m }}), max(max_{{ m }}){% endfor %}
    from {{ sums }} as s
    group by market, year, item, organisation_id
),
{%- endif %}

domains as (
    select
        market, year, item, sector,
        cast(sum(n_observations) as {{ dbt.type_bigint() }}) as n_observations,
        cast(sum(n_respondents) as {{ dbt.type_bigint() }}) as n_respondents,
        count(*) as n_organisations,
        max(n_respondents) as largest_organisation_respondents,
        max(sum_weight) as largest_organisation_weight,
        sum(sum_weight) as sum_weight
        {%- for m in measures %},
        -- The weighted mean, clipped to the range of the answers it averages (see the top).
        least(
            greatest(sum(weighted_sum_{{ m }}) / nullif(sum(sum_weight), 0), min(min_{{ m }})),
            max(max_{{ m }})
        ) as {{ m }}
        {%- endfor %}
    from {{ rows }} as o
    group by market, year, item, sector
),

design_sizes as (
    select
        market, year, item,
        {%- if total %}
        n_organisations as n_design_organisations
    from domains
    where sector = 'ALL'
        {%- else %}
        cast(sum(n_organisations) as {{ dbt.type_bigint() }}) as n_design_organisations
    from domains
    group by market, year, item
        {%- endif %}
),

linearised as (
    select
        o.market, o.year, o.item, o.sector
        {%- for m in measures %},
        sum({{ _linearised_total('o', 'd', m) }} * {{ _linearised_total('o', 'd', m) }})
            as sum_squares_{{ m }}
        {%- endfor %}
    from {{ rows }} as o
    inner join domains as d
        on o.market = d.market and o.year = d.year and o.item = d.item and o.sector = d.sector
    group by o.market, o.year, o.item, o.sector
)

select
    d.market, d.year, d.item, d.sector,
    d.n_observations,
    d.n_respondents,
    d.n_organisations,
    cast(d.largest_organisation_respondents as {{ type_double() }}) / nullif(d.n_respondents, 0)
        as largest_organisation_share,
    d.largest_organisation_weight / nullif(d.sum_weight, 0) as largest_organisation_weight_share,
    s.n_design_organisations,
    d.sum_weight
    {%- for m in measures %},
    d.{{ m }},
    case
        when s.n_design_organisations > 1
            then sqrt(
                cast(s.n_design_organisations as {{ type_double() }})
                / (s.n_design_organisations - 1) * l.sum_squares_{{ m }}
            )
    end as {{ m }}_se
    {%- endfor %}
from domains as d
inner join linearised as l
    on d.market = l.market and d.year = l.year and d.item = l.item and d.sector = l.sector
inner join design_sizes as s
    on d.market = s.market and d.year = s.year and d.item = s.item
{% endmacro %}

{#-
  z_h of organisation row `o` in domain row `d` for measure `m`: (sum_h(w * y) - estimate *
  sum_h(w)) / sum_d(w), or sum_h(w) * (y - estimate) / sum_d(w) when the organisation's answers
  are all equal to y (exactly 0 when the estimate is y too).
-#}
{% macro _linearised_total(o, d, m) -%}
    (case
        when {{ o }}.min_{{ m }} = {{ o }}.max_{{ m }}
            then {{ o }}.sum_weight * ({{ o }}.min_{{ m }} - {{ d }}.{{ m }})
        else {{ o }}.weighted_sum_{{ m }} - {{ d }}.{{ m }} * {{ o }}.sum_weight
    end / nullif({{ d }}.sum_weight, 0))
{%- endmacro %}
