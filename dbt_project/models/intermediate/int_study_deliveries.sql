-- One row per study (market x year x organisation) with the signature of what its estimates are
-- built from (macros/study_increments.sql): the code version, the respondent columns and each of
-- its deliveries' content hash and rows as the benchmark keeps them (after exclusions). A study
-- whose signature changed is recomputed; the others keep their rows.
{%- set columns = [] %}
{%- if execute %}
    {%- for column in adapter.get_columns_in_relation(ref('stg_survey__responses')) %}
        {%- do columns.append(column.name ~ ' ' ~ column.data_type) %}
    {%- endfor %}
{%- endif %}
{#- The engine too: tables Spark built and cxbench imported are rebuilt by a DuckDB build. -#}
{%- set version = (var('cxbench_build_version', none) or invocation_id) ~ ':' ~ target.type %}
with deliveries as (
    select
        market,
        year,
        organisation_id,
        content_hash,
        count(*) as n_rows
    from {{ ref('stg_survey__responses') }}
    group by market, year, organisation_id, content_hash
),

signed as (
    select
        market,
        year,
        organisation_id,
        count(*) as n_deliveries,
        cast(sum(n_rows) as {{ dbt.type_bigint() }}) as n_rows,
        {{ ordered_listagg(
            dbt.concat(['content_hash', "':'", 'cast(n_rows as ' ~ dbt.type_string() ~ ')']),
            "','",
            ['content_hash'],
        ) }} as deliveries
    from deliveries
    group by market, year, organisation_id
)

select
    market,
    year,
    organisation_id,
    n_deliveries,
    n_rows,
    {{ dbt.hash(dbt.concat([
        "'" ~ version ~ "'",
        "'|" ~ (columns | join(',') | replace("'", "''")) ~ "|'",
        'deliveries',
    ])) }} as build_signature
from signed
