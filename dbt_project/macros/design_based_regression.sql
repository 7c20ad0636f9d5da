{#-
  Key drivers (contract section 9, drivers_by_year): the design-based linear regression of the
  respondent's NPS score (+100 / 0 / -100) on the aspect grades, per market x year and per sector
  as a domain of the market-year, what R's survey package gives for

    des <- svydesign(ids = ~organisation_id, weights = ~weight, data = complete_cases)
    svyglm(nps_score ~ grade_a + grade_b + ..., des)                           # sector 'ALL'
    svyglm(nps_score ~ grade_a + grade_b + ..., subset(des, sector == s))      # a sector

  The model of a market-year: the aspects graded by at least one of its respondents who answered
  the recommend question (every `grade_<aspect>` column but grade_overall, which is an overall
  judgement like the NPS itself, not an aspect to act on). The design: the complete cases, those
  respondents with a recommend answer and a grade for every aspect of the model; organisation_id
  the cluster, weight the weight (contract section 6 with "answered the item" read as "answered
  every variable of the model").

  Like the means (design_based_means.sql), everything needs the answers only through sums per
  organisation, here of the cross-products of x = (1, grade_a - 5.5, grade_b - 5.5, ...) and y:

    G_h = sum_h(w x x'),  c_h = sum_h(w x y)     (aspects shifted to the middle of the 1-10 scale:
                                                   same slopes, better-conditioned sums)
    G = sum_h G_h,  c = sum_h c_h,  beta = G^-1 c                        (weighted least squares)
    u_h = c_h - G_h beta                                                 (organisation's score total)
    V = n / (n - 1) * G^-1 (sum_h u_h u_h') G^-1,  se_k = sqrt(V_kk)     (sandwich, svy.varcoef)

  n = organisations of the market-year design (a sector's regression is a domain of it, as R's
  subset keeps the design's number of PSUs); organisations outside the domain have u_h = 0.
  sum_h u_h = G beta - c = 0, so no centring. p-value: two-sided t with the design's residual
  degrees of freedom as summary.svyglm has them, df = (organisations in the cell - 1) + 1 - rank,
  rank = the intercept and the aspects not skipped (below).

  G^-1 comes from Gauss-Jordan elimination on [G | I], unrolled over the aspects known at compile
  time, no pivoting (G is positive semi-definite). An aspect whose pivot falls to
  `tolerance` x its diagonal or below is a linear combination of the ones before it in the cell (a
  grade that does not vary in a sector, say): it is skipped, as R's QR leaves an aliased column
  out, and its coefficient is null. Aspects outside the market-year's model are all 0 and skipped
  the same way. Plain SQL (sums, case, sqrt, exp, ln, power): portable.
-#}

{#- The middle of the 1-10 grade scale: aspects enter the sums as grade - 5.5. -#}
{% macro driver_centre() -%}5.5{%- endmacro %}

{#- The aspects of the driver model: every grade_<aspect> column but grade_overall. -#}
{% macro driver_aspects(relation) %}
    {%- set aspects = [] -%}
    {%- for item, column in item_columns(relation, 'grade_') -%}
        {%- if item != 'overall' -%}
            {%- do aspects.append((item, column)) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(aspects) }}
{% endmacro %}

{#- Column names of the per-organisation sums: G[i][j] and c[i], index 0 the intercept. -#}
{% macro _driver_g(i, j) -%}
    {%- if i == 0 and j == 0 -%}sum_weight
    {%- elif i == 0 or j == 0 -%}wx_{{ [i, j] | max }}
    {%- else -%}wxx_{{ [i, j] | min }}_{{ [i, j] | max }}
    {%- endif -%}
{%- endmacro %}

{% macro _driver_c(i) -%}
    {%- if i == 0 -%}wy{%- else -%}wxy_{{ i }}{%- endif -%}
{%- endmacro %}

{#- Every summed column of driver_sums, in order. -#}
{% macro _driver_sum_columns(k) %}
    {%- set columns = ['n_respondents', 'sum_weight', 'wy', 'wyy'] -%}
    {%- for i in range(1, k + 1) -%}
        {%- do columns.append('wx_' ~ i) -%}
        {%- do columns.append('wxy_' ~ i) -%}
        {%- for j in range(i, k + 1) -%}
            {%- do columns.append('wxx_' ~ i ~ '_' ~ j) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(columns) }}
{% endmacro %}

{#-
  The one pass over the respondents: per market, year, sector and organisation the complete cases'
  count and weighted sums of y (NPS score), y^2, x_i (aspect i - 5.5), x_i y and x_i x_j, plus
  in_model_i (1 when aspect i is in the market-year's model). `aspects` as driver_aspects gives.
  Market-years without any aspect in the model have no rows.
-#}
{% macro driver_sums(relation, aspects) %}
{%- set k = aspects | length %}
{%- if k == 0 %}
select
    market, year, sector, organisation_id,
    cast(null as {{ dbt.type_bigint() }}) as n_respondents,
    cast(null as {{ type_double() }}) as sum_weight,
    cast(null as {{ type_double() }}) as wy,
    cast(null as {{ type_double() }}) as wyy
from {{ relation }}
where 1 = 0
{%- else %}
with answers as (
    select
        market, year, sector, organisation_id, weight,
        {{ share_indicator('recommend >= 9') }} - {{ share_indicator('recommend <= 6') }} as y
        {%- for item, column in aspects %},
        cast({{ adapter.quote(column) }} as {{ type_double() }}) - {{ driver_centre() }} as x_{{ loop.index }}
        {%- endfor %}
    from {{ relation }}
    where recommend is not null
),

-- The aspects of each market-year's model: graded by at least one respondent with a recommend answer.
models as (
    select
        market, year
        {%- for i in range(1, k + 1) %},
        max(case when x_{{ i }} is not null then 1 else 0 end) as in_model_{{ i }}
        {%- endfor %}
    from answers
    group by market, year
),

complete_cases as (
    select
        a.market, a.year, a.sector, a.organisation_id, a.weight, a.y
        {%- for i in range(1, k + 1) %},
        m.in_model_{{ i }},
        case when m.in_model_{{ i }} = 1 then a.x_{{ i }} else 0 end as x_{{ i }}
        {%- endfor %}
    from answers as a
    inner join models as m
        on a.market = m.market and a.year = m.year
    where {% for i in range(1, k + 1) %}m.in_model_{{ i }}{% if not loop.last %} + {% endif %}{% endfor %} > 0
    {%- for i in range(1, k + 1) %}
        and (m.in_model_{{ i }} = 0 or a.x_{{ i }} is not null)
    {%- endfor %}
)

select
    market, year, sector, organisation_id
    {%- for i in range(1, k + 1) %},
    max(in_model_{{ i }}) as in_model_{{ i }}
    {%- endfor %},
    count(*) as n_respondents,
    sum(weight) as sum_weight,
    sum(weight * y) as wy,
    sum(weight * y * y) as wyy
    {%- for i in range(1, k + 1) %},
    sum(weight * x_{{ i }}) as wx_{{ i }},
    sum(weight * x_{{ i }} * y) as wxy_{{ i }}
    {%- for j in range(i, k + 1) %},
    sum(weight * x_{{ i }} * x_{{ j }}) as wxx_{{ i }}_{{ j }}
    {%- endfor %}
    {%- endfor %}
from complete_cases
group by market, year, sector, organisation_id
{%- endif %}
{% endmacro %}

{#-
  The regressions of every domain (sectors and 'ALL') from `sums` (driver_sums' columns): one row
  per market, year, sector and aspect of the model (`item`), with n_respondents, n_organisations,
  largest_organisation_share, largest_organisation_weight_share, n_design_organisations,
  coefficient, coefficient_se, t_value,
  df, p_value, importance, mean_grade, mean_grade_se and aliased.

  importance = coefficient x sd(aspect) / sd(NPS score), the standardised coefficient, with the
  cell's weighted standard deviations (null when either does not vary). mean_grade is the
  design-based mean of the aspect over the cell's complete cases (the regression's respondents),
  with its linearised se as in design_based_means.sql.
-#}
{% macro design_based_regression(sums, aspects, tolerance=1e-10) %}
{%- set k = aspects | length %}
{%- set p = k + 1 %}
{%- set summed = _driver_sum_columns(k) %}
{%- if k == 0 %}
select
    market, year, sector, cast(null as {{ dbt.type_string() }}) as item,
    n_respondents, cast(null as {{ dbt.type_bigint() }}) as n_organisations,
    cast(null as {{ type_double() }}) as largest_organisation_share,
    cast(null as {{ type_double() }}) as largest_organisation_weight_share,
    cast(null as {{ dbt.type_bigint() }}) as n_design_organisations,
    {%- for column in ['coefficient', 'coefficient_se', 't_value', 'p_value', 'importance', 'mean_grade', 'mean_grade_se'] %}
    cast(null as {{ type_double() }}) as {{ column }},
    {%- endfor %}
    cast(null as {{ dbt.type_bigint() }}) as df,
    cast(null as boolean) as aliased
from {{ sums }}
where 1 = 0
{%- else %}
with
domain_organisations as (
    select
        market, year, sector, organisation_id
        {%- for i in range(1, p) %}, in_model_{{ i }}{% endfor %}
        {%- for column in summed %}, {{ column }}{% endfor %}
    from {{ sums }} as s
    union all
    select
        market, year, 'ALL' as sector, organisation_id
        {%- for i in range(1, p) %}, max(in_model_{{ i }}){% endfor %}
        {%- for column in summed %}, sum({{ column }}){% endfor %}
    from {{ sums }} as s
    group by market, year, organisation_id
),

cells as (
    select
        market, year, sector,
        count(*) as n_organisations,
        max(n_respondents) as largest_organisation_respondents,
        max(sum_weight) as largest_organisation_weight
        {%- for i in range(1, p) %},
        max(in_model_{{ i }}) as in_model_{{ i }}
        {%- endfor %}
        {%- for column in summed %},
        sum({{ column }}) as {{ column }}
        {%- endfor %}
    from domain_organisations
    group by market, year, sector
),

design_sizes as (
    select market, year, n_organisations as n_design_organisations
    from cells
    where sector = 'ALL'
),

-- Gauss-Jordan on [G | I]: a_<row>_<column>, columns 0..p-1 G, p..2p-1 the identity.
inverse_0 as (
    select
        market, year, sector
        {%- for r in range(p) %}
        {%- for c in range(2 * p) %},
        {% if c < p %}{{ _driver_g(r, c) }}{% elif c - p == r %}cast(1 as {{ type_double() }}){% else %}cast(0 as {{ type_double() }}){% endif %} as a_{{ r }}_{{ c }}
        {%- endfor %}
        {%- endfor %}
    from cells
),
{%- for s in range(p) %}
inverse_{{ s + 1 }} as (
    select
        i.market, i.year, i.sector
        {%- for r in range(s) %}, i.aliased_{{ r }}{% endfor %},
        i.a_{{ s }}_{{ s }} <= {{ tolerance }} * c.{{ _driver_g(s, s) }} as aliased_{{ s }}
        {%- for r in range(p) %}
        {%- for c in range(2 * p) %},
        {%- if r == s %}
        case when i.a_{{ s }}_{{ s }} <= {{ tolerance }} * c.{{ _driver_g(s, s) }} then i.a_{{ r }}_{{ c }}
            else i.a_{{ s }}_{{ c }} / nullif(i.a_{{ s }}_{{ s }}, 0) end as a_{{ r }}_{{ c }}
        {%- else %}
        case when i.a_{{ s }}_{{ s }} <= {{ tolerance }} * c.{{ _driver_g(s, s) }} then i.a_{{ r }}_{{ c }}
            else i.a_{{ r }}_{{ c }} - i.a_{{ r }}_{{ s }} * i.a_{{ s }}_{{ c }} / nullif(i.a_{{ s }}_{{ s }}, 0) end as a_{{ r }}_{{ c }}
        {%- endif %}
        {%- endfor %}
        {%- endfor %}
    from inverse_{{ s }} as i
    inner join cells as c
        on i.market = c.market and i.year = c.year and i.sector = c.sector
),
{%- endfor %}

-- beta = G^-1 c; the inverse and beta with 0 for skipped (aliased) rows and columns.
solved as (
    select
        c.market, c.year, c.sector, c.n_organisations, c.largest_organisation_respondents,
        c.largest_organisation_weight, c.n_respondents, c.sum_weight, c.wy, c.wyy
        {%- for i in range(p) %},
        i.aliased_{{ i }}
        {%- endfor %}
        {%- for i in range(1, p) %},
        c.in_model_{{ i }}, c.wx_{{ i }}, c.wxx_{{ i }}_{{ i }}
        {%- endfor %}
        {%- for r in range(p) %}
        {%- for col in range(p) %},
        case when i.aliased_{{ r }} or i.aliased_{{ col }} then 0 else i.a_{{ r }}_{{ p + col }} end as inv_{{ r }}_{{ col }}
        {%- endfor %}
        {%- endfor %}
        {%- for r in range(p) %},
        case when i.aliased_{{ r }} then 0 else
            {% for col in range(p) %}i.a_{{ r }}_{{ p + col }} * c.{{ _driver_c(col) }}{% if not loop.last %} + {% endif %}{% endfor %}
        end as beta_{{ r }}
        {%- endfor %}
    from inverse_{{ p }} as i
    inner join cells as c
        on i.market = c.market and i.year = c.year and i.sector = c.sector
),

-- Per organisation: its score total u_h = c_h - G_h beta and linearised mean-grade totals.
scores as (
    select
        o.market, o.year, o.sector
        {%- for j in range(p) %},
        o.{{ _driver_c(j) }} - ({% for m in range(p) %}o.{{ _driver_g(j, m) }} * s.beta_{{ m }}{% if not loop.last %} + {% endif %}{% endfor %}) as u_{{ j }}
        {%- endfor %}
        {%- for i in range(1, p) %},
        (o.wx_{{ i }} - s.wx_{{ i }} / s.sum_weight * o.sum_weight) / s.sum_weight as z_{{ i }}
        {%- endfor %}
        {%- for r in range(p) %}
        {%- for col in range(p) %}, s.inv_{{ r }}_{{ col }}{% endfor %}
        {%- endfor %}
    from domain_organisations as o
    inner join solved as s
        on o.market = s.market and o.year = s.year and o.sector = s.sector
),

-- Sum over organisations of the squared influence (G^-1 u_h)_i and of z_i^2.
variances as (
    select
        market, year, sector
        {%- for r in range(1, p) %},
        sum(({% for col in range(p) %}inv_{{ r }}_{{ col }} * u_{{ col }}{% if not loop.last %} + {% endif %}{% endfor %})
            * ({% for col in range(p) %}inv_{{ r }}_{{ col }} * u_{{ col }}{% if not loop.last %} + {% endif %}{% endfor %}))
            as sum_influence_{{ r }},
        sum(z_{{ r }} * z_{{ r }}) as sum_z_{{ r }}
        {%- endfor %}
    from scores
    group by market, year, sector
),

estimates as (
    {%- for item, column in aspects %}
    {%- set i = loop.index %}
    select
        s.market,
        s.year,
        s.sector,
        cast('{{ item | replace("'", "''") }}' as {{ dbt.type_string() }}) as item,
        cast(s.n_respondents as {{ dbt.type_bigint() }}) as n_respondents,
        s.n_organisations,
        cast(s.largest_organisation_respondents as {{ type_double() }}) / s.n_respondents
            as largest_organisation_share,
        s.largest_organisation_weight / s.sum_weight as largest_organisation_weight_share,
        n.n_design_organisations,
        s.aliased_{{ i }} as aliased,
        case when not s.aliased_{{ i }} then s.beta_{{ i }} end as coefficient,
        case
            when not s.aliased_{{ i }} and n.n_design_organisations > 1
                then sqrt(
                    cast(n.n_design_organisations as {{ type_double() }})
                    / nullif(n.n_design_organisations - 1, 0) * v.sum_influence_{{ i }}
                )
        end as coefficient_se,
        cast(
            s.n_organisations
            {%- for r in range(p) %} - case when s.aliased_{{ r }} then 0 else 1 end{% endfor %}
            as {{ dbt.type_bigint() }}
        ) as df,
        s.wx_{{ i }} / s.sum_weight + {{ driver_centre() }} as mean_grade,
        case
            when n.n_design_organisations > 1
                then sqrt(
                    cast(n.n_design_organisations as {{ type_double() }})
                    / nullif(n.n_design_organisations - 1, 0) * v.sum_z_{{ i }}
                )
        end as mean_grade_se,
        -- Weighted variances of the aspect and of the NPS score in the cell, from the sums; below
        -- 1e-12 of the mean square they are rounding of a variable that does not vary.
        s.wxx_{{ i }}_{{ i }} / s.sum_weight - (s.wx_{{ i }} / s.sum_weight) * (s.wx_{{ i }} / s.sum_weight)
            as aspect_variance,
        s.wxx_{{ i }}_{{ i }} / s.sum_weight as aspect_mean_square,
        s.wyy / s.sum_weight - (s.wy / s.sum_weight) * (s.wy / s.sum_weight) as score_variance,
        s.wyy / s.sum_weight as score_mean_square
    from solved as s
    inner join variances as v
        on s.market = v.market and s.year = v.year and s.sector = v.sector
    inner join design_sizes as n
        on s.market = n.market and s.year = n.year
    where s.in_model_{{ i }} = 1
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

tested as (
    select
        e.*,
        e.coefficient / nullif(e.coefficient_se, 0) as t_value,
        case
            when e.aspect_variance > 1e-12 * e.aspect_mean_square
                and e.score_variance > 1e-12 * e.score_mean_square
                then e.coefficient * sqrt(e.aspect_variance) / sqrt(e.score_variance)
        end as importance
    from estimates as e
)

select
    market, year, sector, item, n_respondents, n_organisations, largest_organisation_share,
    largest_organisation_weight_share, n_design_organisations, coefficient, coefficient_se, t_value, df, p_value, importance,
    mean_grade, mean_grade_se, aliased
from (
    {{ student_t_p_values('tested', 't_value', 'df') }}
) as with_p_values
{%- endif %}
{% endmacro %}
