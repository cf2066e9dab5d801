{#
    The generator's defect manifest (table_name, row_key, defect_type), written by `--dirty-rate`
    into the DuckDB file it lands. Only the generator writes one, and only on DuckDB: elsewhere (and
    on a DuckDB file the generator did not write) there is none, and the defect audit is empty.
#}
{% macro generator_defect_manifest() -%}
    {{ return(adapter.dispatch('generator_defect_manifest', 'logistics')()) }}
{%- endmacro %}

{% macro default__generator_defect_manifest() -%}
    {{ return(none) }}
{%- endmacro %}

{% macro duckdb__generator_defect_manifest() -%}
    {#- No adapter call while parsing (dbt: execute is false; SQLMesh's load: flags.WHICH is 'parse'). -#}
    {%- if not execute or flags.WHICH == 'parse' -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(adapter.get_relation(
        database=target.database,
        schema=var('generator_manifest_schema'),
        identifier='_generator_defects',
    )) }}
{%- endmacro %}
