{#-
  Rebuild per study (docs/performance.md). A market-year holds half of all respondents, so
  recomputing the market-year a new study falls in cost as much as a full build. The models that
  read the respondent rows (the int_*_sums and int_organisation_nps) are sums or estimates per
  organisation: a row depends only on its own study's rows (market x year x organisation), so
  only the studies that changed need recomputing. Every row keeps its study's build_signature
  from int_study_deliveries: the code version (var cxbench_build_version, and the engine), the
  respondent columns and the study's deliveries after exclusions. A build reads only the studies
  whose signature is not in the table and appends their rows; a post-hook deletes every row whose
  signature is no longer current: a recomputed study's old rows, and studies that vanished
  (excluded, their file removed). So a table always equals a full rebuild: each study's rows were
  computed from exactly its current rows by the current code.

  int_driver_sums is kept per market-year instead: which aspects enter a market-year's key-driver
  model depends on every respondent in it (design_based_regression.sql), and so does each
  organisation's set of complete cases. Its signature is that of all the market-year's studies.

  Column built_by names the dbt invocation that built a row (its logs and run_results.json).
  A respondent column a new delivery brings is appended to the kept table (on_schema_change), so
  its column order can differ from a fresh build's; everything is rebuilt then (the columns are
  part of the signature). Without var cxbench_build_version (dbt run by hand) the version is the
  invocation id: every build is then a full one.

  DuckDB only (the warehouse of record keeps its tables between runs); on Spark these models are
  plain tables, rebuilt every run, with the same columns.
-#}

{#- The config of a model kept per study, and of one kept per market-year. -#}
{% macro study_increments() -%}
    {{ return(adapter.dispatch('increments', 'cxbench')('drop_superseded_studies')) }}
{%- endmacro %}

{% macro market_year_increments() -%}
    {{ return(adapter.dispatch('increments', 'cxbench')('drop_superseded_market_years')) }}
{%- endmacro %}

{% macro default__increments(post_hook) -%}
    {{ return({'materialized': 'table'}) }}
{%- endmacro %}

{% macro duckdb__increments(post_hook) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'append',
        'on_schema_change': 'sync_all_columns',
        'post_hook': ['{{ ' ~ post_hook ~ '() }}'],
    }) }}
{%- endmacro %}

{#- The model's rows with their study's signature (see _by_increment). -#}
{% macro by_study(body, reads) -%}
    {{ _by_increment(body, reads, ref('int_study_deliveries'), _study_key()) }}
{%- endmacro %}

{#- The model's rows with their market-year's signature (see _by_increment). -#}
{% macro by_market_year(body, reads) -%}
    {{ _by_increment(body, reads, _market_year_signatures(), ['market', 'year']) }}
{%- endmacro %}

{#- The post-hooks: rows whose signature is no longer current go. -#}
{% macro drop_superseded_studies() -%}
    {{ _drop_superseded(ref('int_study_deliveries'), _study_key()) }}
{%- endmacro %}

{% macro drop_superseded_market_years() -%}
    {{ _drop_superseded(_market_year_signatures(), ['market', 'year']) }}
{%- endmacro %}

{% macro _study_key() -%}
    {{ return(['market', 'year', 'organisation_id']) }}
{%- endmacro %}

{#- A market-year's signature: its studies' signatures together, so it changes when any does. -#}
{% macro _market_year_signatures() -%}
(
    select
        market,
        year,
        {{ dbt.hash(ordered_listagg(
            dbt.concat(['organisation_id', "':'", 'build_signature']),
            "','",
            ['organisation_id'],
        )) }} as build_signature
    from {{ ref('int_study_deliveries') }}
    group by market, year
)
{%- endmacro %}

{#- `left`.column = `right`.column for every column of `key`. -#}
{% macro _same_key(key, left, right) -%}
    {%- for column in key -%}
        {{ left }}.{{ column }} = {{ right }}.{{ column }}{% if not loop.last %} and {% endif %}
    {%- endfor -%}
{%- endmacro %}

{% macro _drop_superseded(signatures, key) -%}
delete from {{ this }}
where not exists (
    select 1 from {{ signatures }} as d
    where {{ _same_key(key, 'd', this) }}
        and d.build_signature = {{ this }}.build_signature
)
{%- endmacro %}

{#-
  The units of `key` whose signature the table does not hold, as a filter of literals on
  `alias`: DuckDB takes a constant filter down to the scan and skips the row groups whose min
  and max exclude it, where the exact semi-join in _by_increment reads every respondent row
  (one new study into 10 M: 0.26 s a read, 0.02 s with this). Above max_literals units (a
  rebuild of most of the table), or with a null key, no filter but the semi-join.
-#}
{% macro _changed_literals(signatures, key, alias) -%}
    {%- set max_literals = 1000 -%}
    {%- if not execute -%}{{ return('1 = 1') }}{%- endif -%}
    {%- set query -%}
select distinct {{ key | join(', ') }}
from {{ signatures }} as d
where not exists (
    select 1 from {{ this }} as t
    where {{ _same_key(key, 't', 'd') }}
        and t.build_signature = d.build_signature
)
    {%- endset -%}
    {%- set units = run_query(query) -%}
    {%- if units | length == 0 -%}{{ return('1 = 0') }}{%- endif -%}
    {%- if units | length > max_literals -%}{{ return('1 = 1') }}{%- endif -%}
    {%- set conditions = [] -%}
    {%- for column in key -%}
        {%- set literals = [] -%}
        {%- for value in units.columns[loop.index0].values() | unique -%}
            {%- if value is none -%}{{ return('1 = 1') }}{%- endif -%}
            {%- do literals.append(value if value is number else "'" ~ (value | replace("'", "''")) ~ "'") -%}
        {%- endfor -%}
        {%- do conditions.append(alias ~ '.' ~ column ~ ' in (' ~ literals | join(', ') ~ ')') -%}
    {%- endfor -%}
    {{ return(conditions | join(' and ')) }}
{%- endmacro %}

{#-
  `body` is the model's SQL reading the respondent rows from `reads` (a relation); `signatures`
  has one row per `key` (the unit kept or rebuilt) with its current build_signature. On an
  incremental build `reads` is narrowed to the units whose signature the table does not hold yet
  (all of them when the table has no signatures: a table built before this scheme).
-#}
{% macro _by_increment(body, reads, signatures, key) -%}
{%- if is_incremental() -%}
    {%- set existing = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {%- if 'build_signature' in existing -%}
        {%- set changed -%}
(
    select r.*
    from {{ reads }} as r
    where {{ _changed_literals(signatures, key, 'r') }}
    and exists (
        select 1 from {{ signatures }} as d
        where {{ _same_key(key, 'd', 'r') }}
            and not exists (
                select 1 from {{ this }} as t
                where {{ _same_key(key, 't', 'd') }}
                    and t.build_signature = d.build_signature
            )
    )
)
        {%- endset -%}
        {%- set body = body | replace(reads | string, changed) -%}
    {%- endif -%}
{%- endif %}
select
    built.*,
    d.build_signature,
    cast('{{ invocation_id }}' as {{ dbt.type_string() }}) as built_by
from (
{{ body }}
) as built
inner join {{ signatures }} as d
    on {{ _same_key(key, 'built', 'd') }}
{%- endmacro %}
