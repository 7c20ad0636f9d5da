{#-
  Sources for engines that do not read the DuckDB warehouse (on-run-start). DuckDB reads its
  sources where ingest wrote them (raw, audit schemas of the warehouse): nothing to do. Spark
  reads the lake the Spark engine exports before dbt runs (cxbench/lake.py): one Parquet folder
  per source table under var `cxbench_lake` (the respondent rows partitioned by market and year).
-#}
{% macro register_sources() -%}
    {{ return(adapter.dispatch('register_sources', 'cxbench')()) }}
{%- endmacro %}

{% macro default__register_sources() -%}
    select 1
{%- endmacro %}

{% macro spark__register_sources() -%}
    {%- set lake = var('cxbench_lake', none) -%}
    {%- if execute and lake -%}
        {%- for node in graph.sources.values() if node.package_name == 'cxbench' -%}
            {%- set location = lake ~ '/' ~ node.source_name ~ '/' ~ node.name -%}
            {%- do run_query('create database if not exists ' ~ node.source_name) -%}
            {#- Dropping an external table leaves its files; re-creating it picks up new item
                columns and partitions of this run's export. -#}
            {%- do run_query('drop table if exists ' ~ node.source_name ~ '.' ~ node.name) -%}
            {%- do run_query(
                'create table ' ~ node.source_name ~ '.' ~ node.name
                ~ " using parquet location '" ~ location ~ "'"
            ) -%}
            {%- if node.meta.get('lake_partitions') -%}
                {#- The metastore learns the partition folders (market=.../year=...). -#}
                {%- do run_query('msck repair table ' ~ node.source_name ~ '.' ~ node.name) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    select 1
{%- endmacro %}

{#-
  The values of `expression` joined with `delimiter` in the order of `order_by` (a list of
  columns), as an aggregate. dbt-spark's listagg drops the order (collect_list has none), so
  Spark sorts (order_by..., value) structs: the same byte-wise order as DuckDB's.
-#}
{% macro ordered_listagg(expression, delimiter, order_by) -%}
    {{ return(adapter.dispatch('ordered_listagg', 'cxbench')(expression, delimiter, order_by)) }}
{%- endmacro %}

{% macro default__ordered_listagg(expression, delimiter, order_by) -%}
    {{ dbt.listagg(expression, delimiter, 'order by ' ~ order_by | join(', ')) }}
{%- endmacro %}

{% macro spark__ordered_listagg(expression, delimiter, order_by) -%}
    array_join(
        transform(
            array_sort(collect_list(named_struct(
                {%- for column in order_by %}'k{{ loop.index }}', {{ column }}, {% endfor -%}
                'v', {{ expression }}
            ))),
            x -> x.v
        ),
        {{ delimiter }}
    )
{%- endmacro %}
