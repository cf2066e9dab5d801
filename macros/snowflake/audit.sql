{#
    `just audit-grants` (Snowflake only): the account's grants and policy attachments compared with the
    declaration, one row per drift. ACCOUNT_USAGE lags (GRANTS_TO_ROLES, GRANTS_TO_USERS and
    POLICY_REFERENCES up to 2 hours): run it on a schedule, not right after a deploy.
      role grant not declared / declared role grant missing   GRANTS_TO_ROLES, USAGE on ROLE
      select grant not declared                               GRANTS_TO_ROLES, SELECT in our database
      policy attached, not declared / declared policy missing POLICY_REFERENCES in our database
      user may activate an unmasked-PII role (review)         GRANTS_TO_USERS
#}

{% macro sql_string_values(rows) -%}
    {%- set rendered = [] -%}
    {%- for row in rows -%}
        {%- set cells = [] -%}
        {%- for cell in row -%}
            {%- do cells.append("'" ~ (cell | string | replace("'", "''")) ~ "'") -%}
        {%- endfor -%}
        {%- do rendered.append('(' ~ cells | join(', ') ~ ')') -%}
    {%- endfor -%}
    {{ return(rendered | join(', ')) }}
{%- endmacro %}

{% macro declared_role_grants() -%}
    {%- set g = governance() -%}
    {%- set rows = [] -%}
    {%- for name, spec in g['roles'].items() -%}
        {%- for parent in spec.get('inherits', []) -%}
            {%- do rows.append([governance_role(parent), governance_role(name)]) -%}
        {%- endfor -%}
        {%- for grantee in spec.get('granted_to', []) -%}
            {%- do rows.append([governance_role(name), grantee]) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for region in sales_regions() -%}
        {%- do rows.append([governance_role(g['sales_region_roles']['inherits']), sales_region_role(region)]) -%}
    {%- endfor -%}
    {{ return(rows) }}
{%- endmacro %}

{# (policy, relation, column or '') the build and deploy-governance attach, upper-case. #}
{% macro declared_policy_references() -%}
    {%- set rows = [] -%}
    {%- for node in graph.nodes.values() if node.resource_type in ['model', 'snapshot'] -%}
        {%- set pii = pii_columns(node) -%}
        {%- for column in node.columns if column | lower in pii and not pii[column | lower].startswith('invalid:') -%}
            {%- do rows.append([('pii_' ~ pii[column | lower] ~ '_mask') | upper, node.alias | upper, column | upper]) -%}
        {%- endfor -%}
        {%- for policy, spec in governance()['row_access'].items() if node.name in spec['models'] -%}
            {%- do rows.append([policy | upper, node.alias | upper, '']) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for source in graph.sources.values() -%}
        {%- for column, kind in own_pii_columns(source).items() -%}
            {%- do rows.append([('pii_' ~ kind ~ '_mask') | upper, source.identifier | upper, column | upper]) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(rows) }}
{%- endmacro %}

{# (schema, role) pairs allowed SELECT in the environment's database. #}
{% macro declared_select_grants() -%}
    {%- set rows = [] -%}
    {%- for custom_schema, roles in governance()['reads'].items() -%}
        {%- for role in roles -%}
            {%- do rows.append([generate_schema_name(custom_schema, none) | trim | upper, governance_role(role)]) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(rows) }}
{%- endmacro %}

{% macro audit_grants_sql() -%}
    {%- set database = governance_environment()['database'] | upper -%}
    {%- set declared_roles = [] -%}
    {%- for role in governance()['roles'] -%}{%- do declared_roles.append(governance_role(role)) -%}{%- endfor -%}
    {%- for region in sales_regions() -%}{%- do declared_roles.append(sales_region_role(region)) -%}{%- endfor -%}
    {%- set roles_list = "('" ~ declared_roles | join("', '") ~ "')" -%}
    {%- set pii_roles = unmasked_pii_roles() or ['-'] -%}
    {%- set usage = 'snowflake.account_usage' -%}
    {%- set sql -%}
with declared_role_grants as (
    select column1 as role_name, column2 as grantee_name from values {{ sql_string_values(declared_role_grants()) }}
),
actual_role_grants as (
    select name as role_name, grantee_name
    from {{ usage }}.grants_to_roles
    where deleted_on is null and granted_on = 'ROLE' and privilege = 'USAGE'
      and (name in {{ roles_list }} or grantee_name in {{ roles_list }})
),
declared_select_grants as (
    select column1 as schema_name, column2 as grantee_name from values {{ sql_string_values(declared_select_grants()) }}
),
actual_select_grants as (
    select distinct table_schema as schema_name, grantee_name
    from {{ usage }}.grants_to_roles
    where deleted_on is null and privilege = 'SELECT' and granted_to = 'ROLE'
      and table_catalog = '{{ database }}'
      and grantee_name in {{ roles_list }}
),
declared_policies as (
    select column1 as policy_name, column2 as ref_entity_name, column3 as ref_column_name from values {{ sql_string_values(declared_policy_references()) }}
),
actual_policies as (
    select policy_name, ref_entity_name, coalesce(ref_column_name, '') as ref_column_name
    from {{ usage }}.policy_references
    where policy_db = '{{ database }}' or ref_database_name = '{{ database }}'
),
drift as (
    select 'role grant not declared' as drift, role_name || ' -> ' || grantee_name as detail
    from (select * from actual_role_grants minus select * from declared_role_grants)
    union all
    select 'declared role grant missing', role_name || ' -> ' || grantee_name
    from (select * from declared_role_grants minus select * from actual_role_grants)
    union all
    select 'select grant not declared', schema_name || ' -> ' || grantee_name
    from (select * from actual_select_grants minus select * from declared_select_grants)
    union all
    select 'policy attached, not declared', policy_name || ' on ' || ref_entity_name || ' ' || ref_column_name
    from (select * from actual_policies minus select * from declared_policies)
    union all
    select 'declared policy missing', policy_name || ' on ' || ref_entity_name || ' ' || ref_column_name
    from (select * from declared_policies minus select * from actual_policies)
    union all
    select 'user may activate an unmasked-PII role (review)', role || ' -> ' || grantee_name
    from {{ usage }}.grants_to_users
    where deleted_on is null and role in ('{{ pii_roles | join("', '") }}')
)
select drift, detail from drift order by drift, detail
    {%- endset -%}
    {{ return(sql) }}
{%- endmacro %}

{#
    Reports drift between the account and the declaration; fails (non-zero exit) when there is any.
      dbt run-operation audit_grants --target prod [--args '{dry_run: true}']
#}
{% macro audit_grants(dry_run=false) -%}
    {%- do require_snowflake_target('audit_grants') -%}
    {%- set sql = audit_grants_sql() -%}
    {%- if dry_run -%}
        {{ return(run_governance_statements('audit_grants', [sql], true)) }}
    {%- endif -%}
    {%- set drift = run_query(sql) -%}
    {%- set failing = [] -%}
    {%- for row in drift.rows -%}
        {%- do print(row[0] ~ ': ' ~ row[1]) -%}
        {%- if not row[0].endswith('(review)') -%}{%- do failing.append(row) -%}{%- endif -%}
    {%- endfor -%}
    {%- if failing -%}
        {%- do exceptions.raise_compiler_error(failing | length ~ ' grants or policies drift from vars.governance (listed above)') -%}
    {%- endif -%}
    {%- do print('No drift: grants and policies match vars.governance.') -%}
{%- endmacro %}
