{#-
  Rebuild by market-year (docs/performance.md). The models that read the respondent rows (the
  int_*_sums and int_organisation_nps) keep, on every row, the build_signature of its market-year
  in int_market_year_deliveries: the deliveries that made it (content hash, organisation, rows),
  the respondent columns and the code version cxbench passes in var cxbench_build_version. A
  build reads only the market-years whose signature is not yet in the table, appends their
  rows, and a post-hook deletes every row whose signature is no longer current: the rows those
  market-years had before, and market-years that lost all their deliveries. So a table always
  equals a full rebuild: a market-year is either recomputed from all its current rows or was
  built from exactly the same rows by the same code.

  Column built_by names the dbt invocation that built a row (its logs and run_results.json).
  A respondent column a new delivery brings is appended to the kept table (on_schema_change), so
  its column order can differ from a fresh build's; every market-year is rebuilt then (the
  columns are part of the signature). Without var cxbench_build_version (dbt run by hand) the
  version is the invocation id: every build is then a full one.

  DuckDB only (the warehouse of record keeps its tables between runs); on Spark these models are
  plain tables, rebuilt every run, with the same columns.
-#}
{% macro market_year_increments() -%}
    {{ return(adapter.dispatch('market_year_increments', 'cxbench')()) }}
{%- endmacro %}

{% macro default__market_year_increments() -%}
    {{ return({'materialized': 'table'}) }}
{%- endmacro %}

{% macro duckdb__market_year_increments() -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'append',
        'on_schema_change': 'sync_all_columns',
        'post_hook': ["{{ drop_superseded_market_years() }}"],
    }) }}
{%- endmacro %}

{#- The post-hook: rows whose market-year signature is no longer current go. -#}
{% macro drop_superseded_market_years() -%}
delete from {{ this }}
where not exists (
    select 1 from {{ ref('int_market_year_deliveries') }} as d
    where d.market = {{ this }}.market
        and d.year = {{ this }}.year
        and d.build_signature = {{ this }}.build_signature
)
{%- endmacro %}

{#-
  The model's rows with their market-year's signature. `body` is the model's SQL reading the
  respondent rows from `reads` (a relation); on an incremental build `reads` is narrowed to the
  market-years whose signature the table does not hold yet (all of them when the table has no
  signatures: a table built before this scheme).
-#}
{% macro by_market_year(body, reads) -%}
{%- set deliveries = ref('int_market_year_deliveries') -%}
{%- if is_incremental() -%}
    {%- set existing = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {%- if 'build_signature' in existing -%}
        {%- set changed -%}
(
    select r.*
    from {{ reads }} as r
    where exists (
        select 1 from {{ deliveries }} as d
        where d.market = r.market
            and d.year = r.year
            and not exists (
                select 1 from {{ this }} as t
                where t.market = d.market
                    and t.year = d.year
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
inner join {{ deliveries }} as d
    on built.market = d.market and built.year = d.year
{%- endmacro %}
