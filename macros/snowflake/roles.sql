{#
    The role hierarchy, as Snowflake SQL statements (see create_role_hierarchy):
      LOADER          Fivetran: owns and writes the landing schemas
      TRANSFORMER     dbt: reads landing, builds raw .. marts; holds PII_READER (it must read real
                      values, or masked text would flow into the models it builds)
      ANALYST         reads marts and serving views, every region
      DATA_SCIENTIST  inherits ANALYST; reads ML features
      ML_SERVICE      the model-serving application: reads ML serving tables only
      PII_READER      sees unmasked PII (masking policies test it with IS_ROLE_IN_SESSION)
      SALES           reads marts, restricted to its regions' customers by the row access policy
      SALES_<REGION>  one per sales region of the account_managers seed, each inheriting SALES
    Every top-level role is granted to SYSADMIN, as Snowflake recommends.
#}
{% macro governance_roles() -%}
    {{ return(var('governance_roles', {
        'loader': 'LOADER',
        'transformer': 'TRANSFORMER',
        'analyst': 'ANALYST',
        'data_scientist': 'DATA_SCIENTIST',
        'ml_service': 'ML_SERVICE',
        'pii_reader': 'PII_READER',
        'sales': 'SALES',
    })) }}
{%- endmacro %}

{# The role that sees one sales region's customers: SALES_ + the region, upper-case, '-' as '_'. #}
{% macro sales_region_role(region) -%}
    {{ return(governance_roles()['sales'] ~ '_' ~ region | upper | replace('-', '_') | replace(' ', '_')) }}
{%- endmacro %}

{# The sales regions of the account_managers seed (read from the built seed table). #}
{% macro sales_regions() -%}
    {%- set seed = graph.nodes.get('seed.' ~ project_name ~ '.account_managers') -%}
    {%- set relation = adapter.get_relation(seed.database, seed.schema, seed.alias) if execute and seed else none -%}
    {%- if execute and relation is none -%}
        {%- do exceptions.raise_compiler_error(
            'The account_managers seed is not built on this target: run `dbt seed` first.') -%}
    {%- endif -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set rows = run_query('select distinct sales_region from ' ~ relation ~ ' order by 1') -%}
    {{ return(rows.columns[0].values() | list) }}
{%- endmacro %}

{% macro role_hierarchy_sql() -%}
    {%- set r = governance_roles() -%}
    {%- set database = target.database -%}
    {%- set landing = var('landing_database') or target.database -%}
    {%- set comments = {
        'loader': 'Fivetran: writes the landing schemas',
        'transformer': 'dbt: reads landing, builds the warehouse',
        'analyst': 'Reads marts and serving views, all regions',
        'data_scientist': 'Analyst plus ML features',
        'ml_service': 'Model serving: reads ML serving tables',
        'pii_reader': 'Sees unmasked PII',
        'sales': 'Reads marts, own sales regions only',
    } -%}
    {%- set statements = [] -%}
    {%- for key, role in r.items() -%}
        {%- do statements.append("create role if not exists " ~ role ~ " comment = '" ~ comments.get(key, key) ~ "'") -%}
    {%- endfor -%}
    {%- do statements.append('grant role ' ~ r['analyst'] ~ ' to role ' ~ r['data_scientist']) -%}
    {%- do statements.append('grant role ' ~ r['pii_reader'] ~ ' to role ' ~ r['transformer']) -%}
    {%- for key in ['loader', 'transformer', 'data_scientist', 'ml_service', 'sales'] -%}
        {%- do statements.append('grant role ' ~ r[key] ~ ' to role SYSADMIN') -%}
    {%- endfor -%}
    {%- for region in sales_regions() -%}
        {%- set role = sales_region_role(region) -%}
        {%- do statements.append("create role if not exists " ~ role ~ " comment = 'Sales, region " ~ region ~ "'") -%}
        {%- do statements.append('grant role ' ~ r['sales'] ~ ' to role ' ~ role) -%}
        {%- do statements.append('grant role ' ~ role ~ ' to role SYSADMIN') -%}
    {%- endfor -%}
    {#- landing database: the loader writes, the transformer reads -#}
    {%- do statements.append('grant usage, create schema on database ' ~ landing ~ ' to role ' ~ r['loader']) -%}
    {%- do statements.append('grant usage on database ' ~ landing ~ ' to role ' ~ r['transformer']) -%}
    {%- do statements.append('grant usage on future schemas in database ' ~ landing ~ ' to role ' ~ r['transformer']) -%}
    {%- do statements.append('grant select on future tables in database ' ~ landing ~ ' to role ' ~ r['transformer']) -%}
    {#- warehouse database: the transformer builds; readers see schemas, tables come from dbt grants -#}
    {%- do statements.append('grant usage, create schema on database ' ~ database ~ ' to role ' ~ r['transformer']) -%}
    {%- for key in ['analyst', 'ml_service', 'sales'] -%}
        {%- do statements.append('grant usage on database ' ~ database ~ ' to role ' ~ r[key]) -%}
        {%- do statements.append('grant usage on future schemas in database ' ~ database ~ ' to role ' ~ r[key]) -%}
    {%- endfor -%}
    {{ return(statements) }}
{%- endmacro %}

{#
    Creates the role hierarchy (run as SECURITYADMIN or higher):
      dbt run-operation create_role_hierarchy --target prod --args '{dry_run: true}'
#}
{% macro create_role_hierarchy(dry_run=false) -%}
    {%- do require_snowflake_target('create_role_hierarchy') -%}
    {{ return(run_governance_statements('create_role_hierarchy', role_hierarchy_sql(), dry_run)) }}
{%- endmacro %}
