{#
    The generator's defect manifest (table_name, row_key, defect_type), written by `--dirty-rate`
    into the DuckDB file it lands. Only the generator writes one, and only on DuckDB: elsewhere (and
    on a DuckDB file the generator did not write) the manifest is empty.
#}
{% macro generator_defect_manifest() -%}
    {{ return(adapter.dispatch('generator_defect_manifest', 'logistics')()) }}
{%- endmacro %}

{% macro default__generator_defect_manifest() -%}
    select
        cast(null as {{ dbt.type_string() }}) as table_name,
        cast(null as {{ dbt.type_string() }}) as row_key,
        cast(null as {{ dbt.type_string() }}) as defect_type
    where 1 = 0
{%- endmacro %}

{% macro duckdb__generator_defect_manifest() -%}
    {%- set manifest = adapter.get_relation(
        database=target.database,
        schema=var('generator_manifest_schema'),
        identifier='_generator_defects',
    ) if execute else none -%}
    {%- if manifest is none -%}
        {{ default__generator_defect_manifest() }}
    {%- else -%}
        select table_name, row_key, defect_type from {{ manifest }}
    {%- endif -%}
{%- endmacro %}
