{#
    The two columns whose values depend on the run, not on the data: when the row was last written
    (dbt's run_started_at, UTC) and by which dbt invocation. Prefixed `_run_` so that comparisons of
    content (incremental vs full refresh, DuckDB vs Snowflake) leave them out, and nothing else is.
#}
{% macro run_columns(relation_alias=none) -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }}) as _run_loaded_at,
    cast('{{ invocation_id }}' as {{ dbt.type_string() }}) as _run_invocation_id
{%- endmacro %}
