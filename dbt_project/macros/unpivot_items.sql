{#-
  One row per answered item from the wide respondent rows: every `<prefix><name>` column of
  `relation` becomes (item_family, item = <name>, value). Item columns arrive with deliveries, so
  they are discovered from the relation, not listed. Plain `union all`: portable to any engine.
-#}
{% macro unpivot_items(relation, families, id_columns) %}
    {%- set items = [] -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- for prefix, family in families.items() -%}
                {%- if column.name.startswith(prefix) -%}
                    {%- do items.append((column.name, family, column.name[prefix | length:])) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if items -%}
        {%- for name, family, item in items %}
    select
        {% for id in id_columns %}{{ id }}, {% endfor %}
        cast('{{ family }}' as {{ dbt.type_string() }}) as item_family,
        cast('{{ item }}' as {{ dbt.type_string() }}) as item,
        cast({{ adapter.quote(name) }} as {{ type_double() }}) as answer
    from {{ relation }}
    where {{ adapter.quote(name) }} is not null
    {% if not loop.last %}union all{% endif %}
        {%- endfor %}
    {%- else %}
    select
        {% for id in id_columns %}{{ id }}, {% endfor %}
        cast(null as {{ dbt.type_string() }}) as item_family,
        cast(null as {{ dbt.type_string() }}) as item,
        cast(null as {{ type_double() }}) as answer
    from {{ relation }}
    where 1 = 0
    {%- endif %}
{% endmacro %}
