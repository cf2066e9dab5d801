{#
    The role hierarchy and the grants that do not depend on a built relation, generated from the
    declaration (vars.governance): its roles, `inherits` and `granted_to` edges and nothing else (the
    role-graph test compares these statements with the declaration). Run as SECURITYADMIN by
    `just deploy-governance`. Relation grants come from the build's post-hook, after the policies.
#}

{# The role that sees one sales region's customers: SALES_ + the region, upper-case, '-' as '_'. #}
{% macro sales_region_role(region) -%}
    {{ return(governance_role(governance()['sales_region_roles']['inherits'])
        ~ '_' ~ region | upper | replace('-', '_') | replace(' ', '_')) }}
{%- endmacro %}

{# Rows of the seed that maps account managers to sales regions (read from the built seed). #}
{% macro sales_region_rows() -%}
    {%- set seed = graph.nodes.get('seed.' ~ project_name ~ '.' ~ governance()['sales_region_roles']['seed']) -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set relation = adapter.get_relation(seed.database, seed.schema, seed.alias) if seed else none -%}
    {%- if relation is none -%}
        {%- do exceptions.raise_compiler_error(
            'The ' ~ governance()['sales_region_roles']['seed'] ~ ' seed is not built on this target: run `dbt seed` first.') -%}
    {%- endif -%}
    {%- set rows = run_query('select account_manager, sales_region from ' ~ relation ~ ' order by 1') -%}
    {{ return(rows.rows | map('list') | list) }}
{%- endmacro %}

{# The distinct sales regions of the seed, sorted. #}
{% macro sales_regions() -%}
    {{ return(sales_region_rows() | map(attribute=1) | unique | sort | list) }}
{%- endmacro %}

{# The databases and schemas dbt reads sources from (the landing schemas), except Snowflake's own. #}
{% macro landing_schemas() -%}
    {%- set found = [] -%}
    {%- for source in graph.sources.values() if source.database | upper != 'SNOWFLAKE' -%}
        {%- set pair = [source.database, source.schema] -%}
        {%- if pair not in found -%}{%- do found.append(pair) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(found | sort) }}
{%- endmacro %}

{% macro role_hierarchy_sql() -%}
    {%- set g = governance() -%}
    {%- set database = governance_environment()['database'] -%}
    {%- set statements = ['use role SECURITYADMIN'] -%}
    {%- for name, spec in g['roles'].items() -%}
        {%- do statements.append("create role if not exists " ~ governance_role(name)
            ~ " comment = '" ~ spec['purpose'] | replace("'", "") ~ "'") -%}
    {%- endfor -%}
    {%- for name, spec in g['roles'].items() -%}
        {%- for parent in spec.get('inherits', []) -%}
            {%- do statements.append('grant role ' ~ governance_role(parent) ~ ' to role ' ~ governance_role(name)) -%}
        {%- endfor -%}
        {%- for grantee in spec.get('granted_to', []) -%}
            {%- do statements.append('grant role ' ~ governance_role(name) ~ ' to role ' ~ grantee) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for region in sales_regions() -%}
        {%- set role = sales_region_role(region) -%}
        {%- do statements.append("create role if not exists " ~ role ~ " comment = 'Sales, region " ~ region ~ "'") -%}
        {%- do statements.append('grant role ' ~ governance_role(g['sales_region_roles']['inherits']) ~ ' to role ' ~ role) -%}
    {%- endfor -%}
    {#- policies: GOVERNANCE_ADMIN creates and owns them (and their schema); applying them anywhere is its job -#}
    {%- do statements.append('grant usage, create schema on database ' ~ database ~ ' to role ' ~ governance_role('GOVERNANCE_ADMIN')) -%}
    {%- do statements.append('grant apply masking policy on account to role ' ~ governance_role('GOVERNANCE_ADMIN')) -%}
    {%- do statements.append('grant apply row access policy on account to role ' ~ governance_role('GOVERNANCE_ADMIN')) -%}
    {#- just audit-grants reads GRANTS_TO_ROLES/GRANTS_TO_USERS (SECURITY_VIEWER) and POLICY_REFERENCES (GOVERNANCE_VIEWER) -#}
    {%- for viewer in ['SECURITY_VIEWER', 'GOVERNANCE_VIEWER'] -%}
        {%- do statements.append('grant database role SNOWFLAKE.' ~ viewer ~ ' to role ' ~ governance_role('GOVERNANCE_ADMIN')) -%}
    {%- endfor -%}
    {#- landing: the loader writes; the transformer reads the tables that exist AND future ones, per schema
        (a schema-level future grant takes precedence over a database-level one) -#}
    {%- for landing_database, schema in landing_schemas() -%}
        {%- if loop.first -%}
            {%- do statements.append('grant usage, create schema on database ' ~ landing_database ~ ' to role ' ~ governance_role('LOADER')) -%}
            {%- do statements.append('grant usage on database ' ~ landing_database ~ ' to role ' ~ governance_role('TRANSFORMER')) -%}
        {%- endif -%}
        {%- set qualified = landing_database ~ '.' ~ schema -%}
        {%- do statements.append('grant usage on schema ' ~ qualified ~ ' to role ' ~ governance_role('TRANSFORMER')) -%}
        {%- do statements.append('grant select on all tables in schema ' ~ qualified ~ ' to role ' ~ governance_role('TRANSFORMER')) -%}
        {%- do statements.append('grant select on future tables in schema ' ~ qualified ~ ' to role ' ~ governance_role('TRANSFORMER')) -%}
    {%- endfor -%}
    {#- the warehouse database: the transformer builds; readers get USAGE here, schema and SELECT from the build -#}
    {%- do statements.append('grant usage, create schema on database ' ~ database ~ ' to role ' ~ governance_role('TRANSFORMER')) -%}
    {%- set readers = [] -%}
    {%- for roles in g['reads'].values() -%}
        {%- for role in roles if role not in readers -%}{%- do readers.append(role) -%}{%- endfor -%}
    {%- endfor -%}
    {%- for role in readers | sort -%}
        {%- do statements.append('grant usage on database ' ~ database ~ ' to role ' ~ governance_role(role)) -%}
    {%- endfor -%}
    {#- the cost views (models/snowflake/) read ACCOUNT_USAGE with their owner's rights -#}
    {%- for viewer in ['USAGE_VIEWER', 'GOVERNANCE_VIEWER'] -%}
        {%- do statements.append('grant database role SNOWFLAKE.' ~ viewer ~ ' to role ' ~ governance_role('TRANSFORMER')) -%}
    {%- endfor -%}
    {{ return(statements) }}
{%- endmacro %}

{#
    Creates the role hierarchy (as SECURITYADMIN):
      dbt run-operation create_role_hierarchy --target prod --args '{dry_run: true}'
#}
{% macro create_role_hierarchy(dry_run=false) -%}
    {%- do require_snowflake_target('create_role_hierarchy') -%}
    {{ return(run_governance_statements('create_role_hierarchy', role_hierarchy_sql(), dry_run)) }}
{%- endmacro %}
