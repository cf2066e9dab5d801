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
    The policies of the environment, as GOVERNANCE_ADMIN, which owns them, their schema and the
    sales region mapping table: created if absent, bodies set, APPLY granted to the build role, and
    the landing tables' PII columns masked. The build never creates or alters a policy.
#}
{% macro policies_sql() -%}
    {%- set schema = governance_environment()['database'] ~ '.' ~ governance()['policy_schema'] -%}
    {%- set statements = [
        'use role ' ~ governance_role('GOVERNANCE_ADMIN'),
        'create schema if not exists ' ~ schema ~ " comment = 'logistics: policies, owned by GOVERNANCE_ADMIN'",
        'grant usage on schema ' ~ schema ~ ' to role ' ~ governance_role('TRANSFORMER'),
    ] -%}
    {%- do statements.extend(sales_region_mapping_sql()) -%}
    {%- for kind in declared_pii_kinds() -%}
        {%- do statements.extend(masking_policy_sql(kind)) -%}
    {%- endfor -%}
    {%- for policy in governance()['row_access'] -%}
        {%- do statements.extend(row_access_policy_sql(policy)) -%}
    {%- endfor -%}
    {%- do statements.extend(mask_landing_pii_sql()) -%}
    {{ return(statements) }}
{%- endmacro %}

{#
    `just deploy-governance`: the role hierarchy (SECURITYADMIN) then the policies (GOVERNANCE_ADMIN),
    a step of its own, before `just deploy`:
      dbt run-operation deploy_governance --target prod --args '{dry_run: true}'
#}
{% macro deploy_governance(dry_run=false) -%}
    {%- do require_snowflake_target('deploy_governance') -%}
    {%- do run_governance_statements('create_role_hierarchy', role_hierarchy_sql(), dry_run) -%}
    {{ return(run_governance_statements('deploy_policies', policies_sql(), dry_run)) }}
{%- endmacro %}

{#
    Drops a pull request's CI schemas (`ci_pr_<N>` and `ci_pr_<N>_<custom>` for every custom schema
    of the project) in the CI environment's database; only on the `ci` target unless dry_run.
#}
{% macro drop_ci_schemas(pr, dry_run=false) -%}
    {%- do require_snowflake_target('drop_ci_schemas') -%}
    {%- if not dry_run and target.name != 'ci' -%}
        {%- do exceptions.raise_compiler_error('drop_ci_schemas runs on the ci target only, not ' ~ target.name) -%}
    {%- endif -%}
    {%- set base = 'CI_PR_' ~ (pr | int) -%}
    {%- set schemas = [base] -%}
    {%- for node in graph.nodes.values() if node.config.schema -%}
        {%- set schema = base ~ '_' ~ node.config.schema | upper -%}
        {%- if schema not in schemas -%}{%- do schemas.append(schema) -%}{%- endif -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for schema in schemas | sort -%}
        {%- do statements.append('drop schema if exists ' ~ governance_environment()['database'] ~ '.' ~ schema ~ ' cascade') -%}
    {%- endfor -%}
    {{ return(run_governance_statements('drop_ci_schemas', statements, dry_run)) }}
{%- endmacro %}

{#
    Every setup operation in dry-run mode, one after the other: what `just check-snowflake` parses.
    The list is the set of run-operations this project ships; add new ones here.
#}
{% macro dry_run_operations() -%}
    {%- do deploy_governance(dry_run=true) -%}
    {%- do setup_warehouses(dry_run=true) -%}
    {%- do enable_change_tracking(dry_run=true) -%}
    {%- do audit_grants(dry_run=true) -%}
    {%- do drop_ci_schemas(pr=1, dry_run=true) -%}
    {%- do governance_plan(dry_run=true) -%}
{%- endmacro %}
