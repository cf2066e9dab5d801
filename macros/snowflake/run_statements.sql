{#
    Runs a governance operation's statements, or only returns them.
    dry_run=true: prints every statement (under a `-- operation: <name>` header) and executes nothing,
    so `dbt run-operation <op> --args '{dry_run: true}'` shows the SQL and the checks can parse it.
    Either way the statements are returned, joined with ";\n".
#}
{% macro run_governance_statements(operation, statements, dry_run=false) -%}
    {%- if dry_run -%}
        {%- do print('-- operation: ' ~ operation) -%}
        {%- for statement in statements -%}
            {%- do print(statement ~ ';') -%}
        {%- endfor -%}
    {%- else -%}
        {%- for statement in statements -%}
            {%- do log(operation ~ ': ' ~ statement, info=true) -%}
            {%- do run_query(statement) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(statements | join(';\n')) }}
{%- endmacro %}

{# Fails with a clear message unless the current target is a Snowflake one. #}
{% macro require_snowflake_target(operation) -%}
    {%- if target.type != 'snowflake' -%}
        {%- do exceptions.raise_compiler_error(
            operation ~ ' creates Snowflake objects: run it with a Snowflake target, e.g. '
            ~ '`dbt run-operation ' ~ operation ~ ' --target prod --args "{dry_run: true}"`') -%}
    {%- endif -%}
{%- endmacro %}

{#
    Every setup operation in dry-run mode, one after the other: what `just check-snowflake` parses.
    The list is the set of run-operations this project ships; add new ones here.
#}
{% macro dry_run_operations() -%}
    {%- do create_role_hierarchy(dry_run=true) -%}
    {%- do setup_warehouses(dry_run=true) -%}
    {%- do mask_landing_pii(dry_run=true) -%}
    {%- do governance_plan(dry_run=true) -%}
{%- endmacro %}
