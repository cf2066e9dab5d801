{#
    on-run-end: append one row per node result of this invocation to tbl_dbt_run_results, so the
    warehouse holds dbt's own run history (vw_dbt_run_results, vw_performance_monitoring,
    vw_data_quality_sla ...). Reads dbt's `results` (the objects behind run_results.json) and records
    the data's as-of instant (tbl_audit_source_freshness.as_of_at) so test results line up with the
    data day they judged. Does nothing when the table has not been built yet (e.g. `dbt test` on a
    fresh file) or when the invocation ran no node.
#}
{% macro load_run_results(results) -%}
    {%- if not execute or not results -%}{{ return('') }}{%- endif -%}
    {%- set table_node = graph.nodes.get('model.' ~ project_name ~ '.tbl_dbt_run_results') -%}
    {%- if table_node is none -%}{{ return('') }}{%- endif -%}
    {%- set table = adapter.get_relation(table_node.database, table_node.schema, table_node.alias or table_node.name) -%}
    {%- if table is none -%}{{ return('') }}{%- endif -%}
    {%- set as_of = run_results_as_of() -%}
    {%- set rows = [] -%}
    {%- for result in results -%}
        {%- do rows.append(run_result_values(result, as_of)) -%}
    {%- endfor -%}
    {%- for batch in rows | batch(500) %}
    {%- call statement('load_run_results_' ~ loop.index) -%}
    insert into {{ table }} (
        invocation_id, run_started_at, data_as_of_at, target_name, node_id, node_name, resource_type,
        model_layer, materialized, tested_node_id, status, started_at, completed_at, execution_time_s,
        rows_affected, failures, message
    )
    values
    {{ batch | join(',\n    ') }}
    {%- endcall -%}
    {%- endfor -%}
    {%- do adapter.commit() if target.type == 'duckdb' -%}
    {{ return('') }}
{%- endmacro %}

{# The as-of instant of the data this invocation saw, as a SQL literal (null when not built). #}
{% macro run_results_as_of() -%}
    {%- set node = graph.nodes.get('model.' ~ project_name ~ '.tbl_audit_source_freshness') -%}
    {%- set relation = adapter.get_relation(node.database, node.schema, node.alias or node.name) if node else none -%}
    {%- if relation is none -%}{{ return('null') }}{%- endif -%}
    {%- set found = run_query('select cast(max(as_of_at) as varchar) from ' ~ relation) -%}
    {%- set value = found.columns[0].values()[0] if found and found.rows | length else none -%}
    {{ return("null" if value is none else "cast('" ~ value[:19] ~ "' as " ~ dbt.type_timestamp() ~ ")") }}
{%- endmacro %}

{# One node result as a parenthesised VALUES row (the column order of load_run_results). #}
{% macro run_result_values(result, as_of) -%}
    {%- set node = result.node -%}
    {%- set execute_timing = (result.timing | selectattr('name', 'equalto', 'execute') | list) -%}
    {%- set tested = [] -%}
    {%- if node.resource_type in ('test', 'unit_test') -%}
        {%- for parent in node.depends_on.nodes if parent.split('.')[0] in ('model', 'seed', 'snapshot', 'source') -%}
            {%- do tested.append(parent) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set tested_node = node.attached_node or (tested[0] if tested else none) -%}
    {%- set response = result.adapter_response or {} -%}
    {%- set rows_affected = response.get('rows_affected') -%}
    {%- set layer = node.fqn[1] if node.resource_type in ('model', 'seed', 'snapshot') and node.fqn | length > 2 else none -%}
    {%- set values = [
        sql_text(invocation_id),
        "cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S') ~ "' as " ~ dbt.type_timestamp() ~ ")",
        as_of,
        sql_text(target.name),
        sql_text(node.unique_id),
        sql_text(node.name),
        sql_text(node.resource_type),
        sql_text(layer),
        sql_text(node.config.get('materialized')),
        sql_text(tested_node),
        sql_text(result.status | string),
        sql_timestamp(execute_timing[0].started_at if execute_timing else none),
        sql_timestamp(execute_timing[0].completed_at if execute_timing else none),
        "cast(" ~ (result.execution_time or 0) ~ " as double)",
        (rows_affected | string if rows_affected is not none and rows_affected >= 0 else "cast(null as bigint)"),
        (result.failures | string if result.failures is not none else "cast(null as bigint)"),
        sql_text((result.message or '') | string | truncate(500, true, '...', 0)),
    ] -%}
    ({{ values | join(', ') }})
{%- endmacro %}

{# A string (or none) as a SQL literal. #}
{% macro sql_text(value) -%}
    {%- if value is none -%}cast(null as {{ dbt.type_string() }}){%- else -%}'{{ value | string | replace("\\", "/") | replace("'", "''") }}'{%- endif -%}
{%- endmacro %}

{# A datetime (or none) as a SQL timestamp literal, to the microsecond. #}
{% macro sql_timestamp(value) -%}
    {%- if value is none -%}cast(null as {{ dbt.type_timestamp() }}){%- else -%}cast('{{ value.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }}){%- endif -%}
{%- endmacro %}
